package io.fraudcep.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.RuleFileOptions;
import io.fraudcep.jobs.demo.DemoRuleChanges.LogSpan;
import io.fraudcep.jobs.demo.DemoRuleChanges.Published;
import io.fraudcep.jobs.local.LocalCluster;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.jobs.rules.RuleTopics;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.Fixtures;
import io.fraudcep.sampledata.LoadReport;
import io.fraudcep.sampledata.LogLoader;
import io.fraudcep.sampledata.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bin/fraud demo}: the whole product in one process. Starts a single-node KRaft Kafka broker
 * in this JVM (on transaction protocol V1, as {@code flink-conf/bin/kafka}), creates the topics,
 * loads the sample log, publishes two rule versions on the rule control topic ({@link
 * DemoRuleChanges}: a new rule in shadow mode, a lowered threshold from the middle of the log),
 * runs {@link DetectionJob} (exactly-once, bounded at the end of the topics) on a local Flink
 * MiniCluster, prints each alert and shadow alert as a read_committed consumer sees it, then the
 * rule versions the job applied (its audit topic) and a summary, and exits 0. The MiniCluster
 * listens on loopback only unless {@code --bind-address} says otherwise ({@link LocalCluster}).
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

    static final List<String> INPUT_TOPICS =
            List.of("user-logins", "user-transactions", "user-account-changes");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mark of an alert read from the shadow alert topic. */
    static final String SHADOW = "[shadow]";

    private DemoCommand() {}

    public static void main(String[] args) throws Exception {
        Options options =
                new Options(
                        "bin/fraud demo",
                        "Runs the detection job on an embedded Kafka and Flink with a sample log,"
                                + " with a new rule in shadow mode and a rule change published on"
                                + " the rule control topic.",
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
        LogSpan span;
        try {
            span = LogSpan.of(input, INPUT_TOPICS);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: --input: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(
                run(
                        input,
                        span,
                        o.get(RuleFileOptions.RULES),
                        o.get(PARALLELISM),
                        o.get(PARTITIONS),
                        o.get(LocalCluster.BIND_ADDRESS),
                        System.out));
    }

    /**
     * Runs the demo.
     *
     * @param span the log's event time, where the published versions take effect
     * @param rules the rule file the job starts with, or null for the shipped defaults
     * @param out where the demo's lines go (the job's logs go to the logger)
     * @return the exit code, 0
     */
    static int run(
            Path input,
            LogSpan span,
            Path rules,
            int parallelism,
            int partitions,
            String bindAddress,
            PrintStream out)
            throws Exception {
        out.println("Starting an in-JVM Kafka broker (KRaft, single node)...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String servers = kafka.bootstrapServers();
            kafka.createTopics(partitions, INPUT_TOPICS.toArray(new String[0]));
            kafka.createTopics(
                    1,
                    "fraud-alerts",
                    "fraud-alerts-shadow",
                    "fraud-dead-letters",
                    "fraud-late-events");
            // As flink-conf/bin/kafka formats its broker: exactly-once on protocol V1.
            KafkaWarmUp.transactionProtocolV1(servers);
            KafkaWarmUp.coordinators(servers);
            Properties producer = new Properties();
            producer.put("bootstrap.servers", servers);
            LoadReport loaded = LogLoader.load(input, producer, TopicNames.defaults());
            out.printf(
                    "Kafka at %s (transaction.version=1); loaded %d records from %s%n",
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
            KafkaSettings topics = config.kafka();
            RuleTopics ruleTopics = config.ruleTopics();
            Properties client = new Properties();
            client.put("bootstrap.servers", servers);
            ruleTopics.ensureTopics(client);

            // Published before the job is built: it reads them with the topic's history, applies
            // each from its effectiveFrom in event time (the log is replayed from its start, so
            // none is late), and records that on the audit topic when it starts.
            List<Published> published =
                    DemoRuleChanges.publish(client, ruleTopics.rulesTopic(), config.rules(), span);
            printPublished(published, ruleTopics.rulesTopic(), out);

            StreamExecutionEnvironment env = LocalCluster.environment(bindAddress);
            DetectionJob.build(env, config);

            out.printf(
                    "Running DetectionJob on a local Flink MiniCluster (parallelism %d,"
                            + " exactly-once, listening on %s)...%n",
                    parallelism, bindAddress);
            out.printf(
                    "Alerts as a read_committed consumer sees them (%s, and %s marked %s),%neach"
                            + " with the patternVersion (rule version-hash) of the rule version"
                            + " that judged it:%n%n",
                    topics.alertsTopic(), topics.shadowAlertsTopic(), SHADOW);
            AtomicBoolean jobDone = new AtomicBoolean();
            JobClient jobClient = env.executeAsync("fraud-detection-demo");
            Thread printer =
                    new Thread(() -> printAlerts(servers, topics, jobDone, out), "alert-printer");
            printer.start();
            JobExecutionResult result = jobClient.getJobExecutionResult().get();
            jobDone.set(true);
            printer.join();

            out.println();
            printApplied(kafka, ruleTopics.appliedTopic(), out);

            Map<String, Integer> deadLetterReasons = reasons(kafka, topics.deadLetterTopic());
            long deadLetters =
                    deadLetterReasons.values().stream().mapToInt(Integer::intValue).sum();
            long late = count(kafka, topics.lateEventsTopic());
            List<JsonNode> alerts = alerts(kafka, topics.alertsTopic());
            List<JsonNode> shadowAlerts = alerts(kafka, topics.shadowAlertsTopic());
            out.println();
            out.println("Summary");
            out.printf("  records read      %d%n", accumulator(result, FraudPipeline.EVENTS_READ));
            out.printf(
                    "  duplicates        %d (dropped)%n",
                    accumulator(result, FraudPipeline.DUPLICATES));
            out.printf(
                    "  dead letters      %d (topic %s) %s%n",
                    deadLetters, topics.deadLetterTopic(), deadLetterReasons);
            out.printf("  late events       %d (topic %s)%n", late, topics.lateEventsTopic());
            out.printf("  alerts            %d (topic %s)%n", alerts.size(), topics.alertsTopic());
            out.printf(
                    "  shadow alerts     %d (topic %s, rules in shadow mode)%n",
                    shadowAlerts.size(), topics.shadowAlertsTopic());
            out.println("  alerts by rule and mode (and by patternVersion where several judged):");
            byRuleAndMode(alerts, shadowAlerts).forEach(out::println);
            out.println();
            out.println(
                    "On a live job the same figures are Flink metrics (web UI, or Prometheus with"
                            + " flink-conf/): deadLetters, rejectedEvents per source partition and"
                            + " reason, lateEvents per source partition, duplicateEvents,"
                            + " eventTimeLagMs (wall clock minus watermark), and matches, alerts"
                            + " and suppressed per rule and mode; see the README's Operations"
                            + " section. bin/fraud rules list shows the rule versions of a live"
                            + " deployment.");
            return 0;
        }
    }

    /** One line per published version: rule, version, effective instant, mode, what changed. */
    private static void printPublished(List<Published> published, String topic, PrintStream out) {
        out.printf(
                "Published on %s (the rules of %s, as bin/fraud rules publish writes them):%n",
                topic, DemoRuleChanges.RESOURCE.substring(1));
        for (Published p : published) {
            out.println("  " + describe(p));
        }
        out.println();
    }

    /** A published version as the demo prints it. */
    static String describe(Published p) {
        return String.format(
                "%-18s version %d  effective %s  %-6s  patternVersion %s  (%s)",
                p.ruleId(),
                p.ruleVersion(),
                p.effectiveFrom(),
                p.mode(),
                p.patternVersion(),
                p.what());
    }

    /**
     * Prints each committed alert of both alert topics as it arrives, until the job is done and the
     * topics drained.
     */
    private static void printAlerts(
            String servers, KafkaSettings topics, AtomicBoolean jobDone, PrintStream out) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-printer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topics.alertsTopic(), topics.shadowAlertsTopic()));
            int emptyPollsAfterDone = 0;
            while (emptyPollsAfterDone < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                // A poll brings what the job committed since the last one: shown in event time.
                List<String> batch = new ArrayList<>();
                for (ConsumerRecord<String, String> r : records) {
                    JsonNode a = JSON.readTree(r.value());
                    batch.add(describe(a, r.topic().equals(topics.shadowAlertsTopic())));
                }
                batch.sort(Comparator.comparing(DemoCommand::detectedAt));
                batch.forEach(out::println);
                if (records.isEmpty() && jobDone.get()) {
                    emptyPollsAfterDone++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable alert", e);
        }
    }

    /**
     * One readable line: severity, rule, the shadow mark, user, detection time, patternVersion,
     * summary, id.
     */
    static String describe(JsonNode a, boolean shadow) {
        return String.format(
                "%-8s %-18s %-8s user %-7s at %s  %-15s  %s  [%s]",
                a.get("severity").asText(),
                a.get("patternId").asText(),
                shadow ? SHADOW : "",
                a.get("userId").asText(),
                a.get("detectedAt").asText(),
                a.path("patternVersion").asText("?"),
                a.get("summary").asText(),
                a.get("alertId").asText().substring(0, 12));
    }

    /** The detection time of an alert line, where {@link #describe(JsonNode, boolean)} puts it. */
    private static String detectedAt(String alertLine) {
        int at = alertLine.indexOf(" at ");
        return at < 0 ? "" : alertLine.substring(at + 4);
    }

    /** The audit records of the versions the job applied, one line each. */
    private static void printApplied(EmbeddedKafka kafka, String topic, PrintStream out) {
        List<ConsumerRecord<String, String>> records = kafka.readAll(topic, true);
        out.printf("Rule versions the job applied (topic %s):%n", topic);
        if (records.isEmpty()) {
            out.println("  none");
        }
        for (ConsumerRecord<String, String> r : records) {
            try {
                out.println("  " + describe(RuleRecords.parseApplied(r.value())));
            } catch (RuleRecordException e) {
                out.println("  unreadable audit record: " + e.getMessage());
            }
        }
    }

    /** An audit record as the demo prints it. */
    static String describe(AppliedVersion a) {
        return String.format(
                "%-18s version %d  %-6s  applied from %s  %s",
                a.ruleId(),
                a.ruleVersion(),
                a.mode(),
                a.appliedFrom(),
                a.late()
                        ? "late: it reached the job after the watermark had passed its"
                                + " effectiveFrom "
                                + a.effectiveFrom()
                        : "on time (its effectiveFrom)");
    }

    /**
     * Rows of the alerts counted by rule and mode, active rules first, each with its count per
     * patternVersion where more than one version judged.
     */
    static List<String> byRuleAndMode(List<JsonNode> alerts, List<JsonNode> shadowAlerts) {
        Map<String, Map<String, Integer>> active = byVersion(alerts);
        Map<String, Map<String, Integer>> shadow = byVersion(shadowAlerts);
        List<String> rows = new ArrayList<>();
        active.forEach((rule, versions) -> rows.add(row(rule, "active", versions)));
        shadow.forEach((rule, versions) -> rows.add(row(rule, "shadow", versions)));
        return rows;
    }

    private static String row(String rule, String mode, Map<String, Integer> versions) {
        int n = versions.values().stream().mapToInt(Integer::intValue).sum();
        String split =
                versions.size() < 2
                        ? ""
                        : versions.entrySet().stream()
                                .map(e -> e.getValue() + " by " + e.getKey())
                                .collect(Collectors.joining(", ", "  (", ")"));
        return String.format("    %-18s %-8s %3d%s", rule, mode, n, split);
    }

    /** Per rule id (sorted), per patternVersion in order of first appearance, the alerts. */
    private static Map<String, Map<String, Integer>> byVersion(List<JsonNode> alerts) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        alerts.stream()
                .sorted(
                        (x, y) ->
                                x.path("detectedAt")
                                        .asText()
                                        .compareTo(y.path("detectedAt").asText()))
                .forEach(
                        a ->
                                counts.computeIfAbsent(
                                                a.get("patternId").asText(),
                                                k -> new LinkedHashMap<>())
                                        .merge(
                                                a.path("patternVersion").asText("?"),
                                                1,
                                                Integer::sum));
        return counts;
    }

    /** The committed alerts of a topic. */
    private static List<JsonNode> alerts(EmbeddedKafka kafka, String topic) throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        for (ConsumerRecord<String, String> r : kafka.readAll(topic, true)) {
            alerts.add(JSON.readTree(r.value()));
        }
        return alerts;
    }

    /** The dead letters of a topic counted by reason code. */
    private static Map<String, Integer> reasons(EmbeddedKafka kafka, String topic)
            throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<String, String> r : kafka.readAll(topic, true)) {
            counts.merge(JSON.readTree(r.value()).path("reason").asText("?"), 1, Integer::sum);
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
