package io.fraudcep.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.RuleFileOptions;
import io.fraudcep.jobs.local.LocalCluster;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.Fixtures;
import io.fraudcep.sampledata.LoadReport;
import io.fraudcep.sampledata.LogLoader;
import io.fraudcep.sampledata.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bin/fraud demo}: the whole product in one process. Starts a single-node KRaft Kafka broker
 * in this JVM, creates the topics, loads the sample log, runs {@link DetectionJob} (exactly-once,
 * bounded at the end of the topics) on a local Flink MiniCluster, prints each alert as a
 * read_committed consumer sees it, then a summary, and exits 0. The MiniCluster listens on loopback
 * only unless {@code --bind-address} says otherwise ({@link LocalCluster}).
 */
public final class DemoCommand {

    static final Option<Path> INPUT =
            Option.path(
                    "input",
                    "DIR",
                    "a log directory (<topic>.jsonl per input topic); default: the bundled demo"
                            + " log");
    static final Option<Integer> PARALLELISM =
            Option.positiveInt("parallelism", 2, "parallelism of the detection job");
    static final Option<Integer> PARTITIONS =
            Option.positiveInt("partitions", 3, "partitions of each input topic");

    private static final List<String> INPUT_TOPICS =
            List.of("user-logins", "user-transactions", "user-account-changes");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoCommand() {}

    public static void main(String[] args) throws Exception {
        Options options =
                new Options(
                        "bin/fraud demo",
                        "Runs the detection job on an embedded Kafka and Flink with a sample log.",
                        List.of(
                                INPUT,
                                RuleFileOptions.RULES,
                                RuleFileOptions.PATTERNS,
                                PARALLELISM,
                                PARTITIONS,
                                LocalCluster.BIND_ADDRESS));
        if (Options.wantsHelp(args)) {
            System.out.println(options.help());
            return;
        }
        Options.Parsed o;
        try {
            o = options.parse(args);
            // A rule file with errors fails here, before a broker is started.
            RuleFileOptions.load(RuleFileOptions.RULES, o.get(RuleFileOptions.RULES));
        } catch (UsageException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path input = o.get(INPUT) != null ? o.get(INPUT) : Fixtures.demo();
        if (!Files.isDirectory(input)) {
            System.err.println("demo: --input: '" + input + "' is not a directory");
            System.exit(2);
        }
        System.exit(
                run(
                        input,
                        o.get(RuleFileOptions.RULES),
                        o.get(PARALLELISM),
                        o.get(PARTITIONS),
                        o.get(LocalCluster.BIND_ADDRESS)));
    }

    static int run(Path input, Path rules, int parallelism, int partitions, String bindAddress)
            throws Exception {
        System.out.println("Starting an in-JVM Kafka broker (KRaft, single node)...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String servers = kafka.bootstrapServers();
            kafka.createTopics(partitions, INPUT_TOPICS.toArray(new String[0]));
            kafka.createTopics(
                    1,
                    "fraud-alerts",
                    "fraud-alerts-shadow",
                    "fraud-dead-letters",
                    "fraud-late-events");
            KafkaWarmUp.coordinators(servers);
            Properties producer = new Properties();
            producer.put("bootstrap.servers", servers);
            LoadReport loaded = LogLoader.load(input, producer, TopicNames.defaults());
            System.out.printf(
                    "Kafka at %s; loaded %d records from %s%n",
                    servers, loaded.sent(), input.toAbsolutePath());

            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--bootstrap-servers", servers,
                                    "--starting-offsets", "earliest",
                                    "--stop-at", "latest",
                                    "--delivery-guarantee", "exactly-once",
                                    "--checkpoint-interval", "1s",
                                    "--parallelism", Integer.toString(parallelism)));
            if (rules != null) {
                args.addAll(List.of("--rules", rules.toString()));
            }
            DetectionJob.Config config = DetectionJob.Config.parse(args.toArray(new String[0]));
            StreamExecutionEnvironment env = LocalCluster.environment(bindAddress);
            DetectionJob.build(env, config);
            System.out.printf(
                    "Running DetectionJob on a local Flink MiniCluster (parallelism %d,"
                            + " exactly-once, listening on %s)...%n%n",
                    parallelism, bindAddress);
            AtomicBoolean jobDone = new AtomicBoolean();
            Map<String, Integer> perPattern = new TreeMap<>();
            JobClient client = env.executeAsync("fraud-detection-demo");
            Thread printer =
                    new Thread(() -> printAlerts(servers, jobDone, perPattern), "alert-printer");
            printer.start();
            JobExecutionResult result = client.getJobExecutionResult().get();
            jobDone.set(true);
            printer.join();

            Map<String, Integer> deadLetterReasons = reasons(kafka, "fraud-dead-letters");
            long deadLetters =
                    deadLetterReasons.values().stream().mapToInt(Integer::intValue).sum();
            long late = count(kafka, "fraud-late-events");
            Map<String, Integer> shadowPerPattern = perPattern(kafka, "fraud-alerts-shadow");
            int shadowAlerts = shadowPerPattern.values().stream().mapToInt(Integer::intValue).sum();
            int alerts = perPattern.values().stream().mapToInt(Integer::intValue).sum();
            System.out.println();
            System.out.println("Summary");
            System.out.printf(
                    "  records read      %d%n", accumulator(result, FraudPipeline.EVENTS_READ));
            System.out.printf(
                    "  duplicates        %d (dropped)%n",
                    accumulator(result, FraudPipeline.DUPLICATES));
            System.out.printf(
                    "  dead letters      %d (topic fraud-dead-letters) %s%n",
                    deadLetters, deadLetterReasons);
            System.out.printf("  late events       %d (topic fraud-late-events)%n", late);
            System.out.printf("  alerts            %d (topic fraud-alerts)%n", alerts);
            perPattern.forEach((p, n) -> System.out.printf("    %-18s %d%n", p, n));
            System.out.printf(
                    "  shadow alerts     %d (topic fraud-alerts-shadow, rules in shadow mode)%n",
                    shadowAlerts);
            shadowPerPattern.forEach((p, n) -> System.out.printf("    %-18s %d%n", p, n));
            System.out.println();
            System.out.println(
                    "On a live job the same figures are Flink metrics (web UI, or Prometheus with"
                            + " flink-conf/): deadLetters, rejectedEvents per source partition and"
                            + " reason, lateEvents per source partition, duplicateEvents,"
                            + " eventTimeLagMs (wall clock minus watermark), and matches, alerts"
                            + " and suppressed per rule and mode; see the README's Operations"
                            + " section.");
            return 0;
        }
    }

    /** Prints each committed alert as it arrives, until the job is done and the topic drained. */
    private static void printAlerts(
            String servers, AtomicBoolean jobDone, Map<String, Integer> perPattern) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-printer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("fraud-alerts"));
            int emptyPollsAfterDone = 0;
            while (emptyPollsAfterDone < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    JsonNode a = JSON.readTree(r.value());
                    perPattern.merge(a.get("patternId").asText(), 1, Integer::sum);
                    System.out.println(describe(a));
                }
                if (records.isEmpty() && jobDone.get()) {
                    emptyPollsAfterDone++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable alert", e);
        }
    }

    /** One readable line: severity, pattern, user, detection time, summary, id. */
    static String describe(JsonNode a) {
        return String.format(
                "%-8s %-18s user %-8s at %s  %s  [%s]",
                a.get("severity").asText(),
                a.get("patternId").asText(),
                a.get("userId").asText(),
                a.get("detectedAt").asText(),
                a.get("summary").asText(),
                a.get("alertId").asText().substring(0, 12));
    }

    /** The alerts of a topic counted by pattern id. */
    private static Map<String, Integer> perPattern(EmbeddedKafka kafka, String topic)
            throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<String, String> r : kafka.readAll(topic, true)) {
            counts.merge(JSON.readTree(r.value()).get("patternId").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** The dead letters of a topic counted by reason code. */
    private static Map<String, Integer> reasons(EmbeddedKafka kafka, String topic)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<String, String> r : kafka.readAll(topic, true)) {
            counts.merge(json.readTree(r.value()).path("reason").asText("?"), 1, Integer::sum);
        }
        return counts;
    }

    private static long count(EmbeddedKafka kafka, String topic) {
        return kafka.readAll(topic, true).size();
    }

    private static long accumulator(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
