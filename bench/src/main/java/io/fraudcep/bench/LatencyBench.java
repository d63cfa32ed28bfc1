package io.fraudcep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import io.fraudcep.sampledata.TopicNames;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The latency mode of {@code bin/fraud bench}: for each configuration, the DetectionJob runs
 * unbounded on fresh topics (created with {@code message.timestamp.type=LogAppendTime}, inputs and
 * outputs) while {@link LiveLoad} writes a live load at a fixed rate. For every alert the latency
 * is the alert record's append time minus the append time of its triggering event (the last of its
 * {@code eventIds}, found by reading the input topics back). A second figure takes, instead of the
 * alert's append time, the moment a {@code read_committed} consumer in this JVM received it: the
 * same for at-least-once, later by up to a checkpoint for exactly-once, whose alerts are appended
 * at once but become visible only when the checkpoint commits their transaction.
 */
final class LatencyBench {

    /** A configuration of the job under live load. */
    enum Mode {
        AT_LEAST_ONCE("at-least-once", Duration.ofSeconds(5), null),
        AT_LEAST_ONCE_ORDERED("at-least-once", Duration.ZERO, null),
        EXACTLY_ONCE("exactly-once", Duration.ofSeconds(5), Duration.ofSeconds(1)),
        EXACTLY_ONCE_ORDERED("exactly-once", Duration.ZERO, Duration.ofSeconds(1));

        final String delivery;
        final Duration outOfOrderness;
        final Duration checkpointInterval;

        Mode(String delivery, Duration outOfOrderness, Duration checkpointInterval) {
            this.delivery = delivery;
            this.outOfOrderness = outOfOrderness;
            this.checkpointInterval = checkpointInterval;
        }

        String describe() {
            return delivery
                    + ", --out-of-orderness "
                    + outOfOrderness.toMillis()
                    + "ms"
                    + (checkpointInterval == null
                            ? ""
                            : ", --checkpoint-interval " + checkpointInterval.toMillis() + "ms");
        }
    }

    /** The settings of a latency bench. */
    record Settings(
            Path workDir,
            int parallelism,
            int partitions,
            Broker.Kind broker,
            List<Mode> modes,
            int rate,
            int users,
            Duration duration,
            Duration warmUp,
            Duration burstEvery,
            Duration watermarkInterval,
            Duration bufferTimeout,
            BenchStateBackend stateBackend) {}

    /** Percentiles of one series of latencies, milliseconds. */
    record Stats(int count, long p50, long p99, long max) {
        static Stats of(List<Long> values) {
            if (values.isEmpty()) {
                return new Stats(0, -1, -1, -1);
            }
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return new Stats(
                    sorted.size(),
                    rank(sorted, 0.50),
                    rank(sorted, 0.99),
                    sorted.get(sorted.size() - 1));
        }

        /** Nearest-rank percentile. */
        private static long rank(List<Long> sorted, double q) {
            int i = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }
    }

    /** What one configuration measured. */
    record ModeResult(
            Mode mode,
            long eventsSent,
            double eventsPerSecond,
            int expected,
            int alerts,
            int missing,
            Map<String, Integer> alertsPerPattern,
            long lateEvents,
            double benchCpuShare,
            double brokerCpuShare,
            double otherCpuShare,
            Stats appendToAppend,
            Stats beyondBound,
            Stats appendToVisible) {}

    /** Everything a latency bench measured. */
    record Result(Settings settings, String broker, List<ModeResult> modes) {}

    /** One alert as the consumer saw it. */
    private record Seen(
            String alertId,
            String patternId,
            String triggerId,
            long appendMillis,
            long receivedMillis) {}

    /** The ids of the events that end each burst (see {@link LiveLoad}). */
    private static final Set<String> TRIGGER_SUFFIXES = Set.of("-v9", "-b5", "-c3", "-p1");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final PrintStream out;

    LatencyBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    Result run() throws Exception {
        Files.createDirectories(settings.workDir());
        List<ModeResult> results = new ArrayList<>();
        try (Broker broker = Broker.start(settings.broker(), settings.workDir())) {
            out.printf("Broker: %s at %s%n", broker.describe(), broker.bootstrapServers());
            KafkaWarmUp.coordinators(broker.bootstrapServers());
            try (BenchCluster cluster =
                    new BenchCluster(
                            settings.parallelism(),
                            settings.workDir().resolve("checkpoints"),
                            settings.watermarkInterval(),
                            settings.bufferTimeout(),
                            settings.stateBackend())) {
                int n = 0;
                for (Mode mode : settings.modes()) {
                    out.printf("Latency: %s ...%n", mode.describe());
                    ModeResult r = measure(cluster, broker, mode, ++n);
                    results.add(r);
                    out.printf(
                            "  %d/%d alerts (%d missing), append->append p50 %d p99 %d max %d ms;"
                                    + " beyond the bound p99 %d ms; append->visible p99 %d ms%n",
                            r.alerts(),
                            r.expected(),
                            r.missing(),
                            r.appendToAppend().p50(),
                            r.appendToAppend().p99(),
                            r.appendToAppend().max(),
                            r.beyondBound().p99(),
                            r.appendToVisible().p99());
                }
            }
            return new Result(settings, broker.describe(), results);
        }
    }

    private ModeResult measure(BenchCluster cluster, Broker broker, Mode mode, int n)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long jvmCpu = 0;
        long brokerCpu = -1;
        long machineCpu = -1;
        String prefix = "live" + n + "-" + mode.name().toLowerCase().replace('_', '-') + "-";
        TopicNames topics =
                new TopicNames(
                        prefix + "logins", prefix + "transactions", prefix + "account-changes");
        Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
        EmbeddedKafka.createTopics(
                bootstrap,
                settings.partitions(),
                appendTime,
                topics.logins(),
                topics.transactions(),
                topics.accountChanges());
        String alerts = prefix + "alerts";
        String late = prefix + "late-events";
        EmbeddedKafka.createTopics(
                bootstrap,
                1,
                appendTime,
                alerts,
                prefix + "alerts-shadow",
                prefix + "dead-letters",
                late);

        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrap,
                                "--logins-topic",
                                topics.logins(),
                                "--transactions-topic",
                                topics.transactions(),
                                "--account-changes-topic",
                                topics.accountChanges(),
                                "--alerts-topic",
                                alerts,
                                "--shadow-alerts-topic",
                                prefix + "alerts-shadow",
                                "--dead-letter-topic",
                                prefix + "dead-letters",
                                "--late-events-topic",
                                late,
                                "--group-id",
                                prefix + "job",
                                "--transactional-id-prefix",
                                prefix + "job",
                                "--starting-offsets",
                                "earliest",
                                "--delivery-guarantee",
                                mode.delivery,
                                "--out-of-orderness",
                                mode.outOfOrderness.isZero()
                                        ? "0"
                                        : mode.outOfOrderness.toMillis() + "ms",
                                "--parallelism",
                                Integer.toString(settings.parallelism())));
        if (mode.checkpointInterval != null) {
            args.addAll(
                    List.of("--checkpoint-interval", mode.checkpointInterval.toMillis() + "ms"));
        }
        args.addAll(
                BenchCluster.detectionJobArgs(
                        settings.watermarkInterval(), settings.bufferTimeout()));
        DetectionJob.Config config = DetectionJob.Config.parse(args.toArray(new String[0]));
        StreamExecutionEnvironment env = cluster.environment();
        DetectionJob.build(env, config);
        JobClient client = env.executeAsync("bench-latency-" + prefix);
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        AtomicBoolean stopConsumer = new AtomicBoolean();
        Thread consumer = null;
        long loadStart;
        long sent;
        Duration total;
        try {
            cluster.awaitAllTasksRunning(client.getJobID(), Duration.ofMinutes(2));
            Thread.sleep(1_000);
            consumer = new Thread(() -> consume(bootstrap, alerts, seen, stopConsumer), "alerts");
            consumer.setDaemon(true);
            consumer.start();

            Duration tail = mode.outOfOrderness.plusSeconds(4);
            Duration bursting = settings.warmUp().plus(settings.duration());
            total = bursting.plus(tail);
            LiveLoad load =
                    new LiveLoad(
                            bootstrap,
                            topics,
                            settings.rate(),
                            settings.users(),
                            settings.burstEvery(),
                            bursting,
                            total);
            loadStart = System.currentTimeMillis();
            long jvm0 = os.getProcessCpuTime();
            Duration broker0 = broker.cpuTime();
            long machine0 = MachineCpu.busyNanos();
            Thread producer = new Thread(load, "live-load");
            producer.start();
            producer.join();
            jvmCpu = os.getProcessCpuTime() - jvm0;
            Duration broker1 = broker.cpuTime();
            long machine1 = MachineCpu.busyNanos();
            brokerCpu = broker0 == null || broker1 == null ? -1 : broker1.minus(broker0).toNanos();
            machineCpu = machine0 < 0 || machine1 < 0 ? -1 : machine1 - machine0;
            if (load.failure() != null) {
                throw new IllegalStateException("the live load failed", load.failure());
            }
            sent = load.sent();
            // Every burst's alert, or give up after the slowest path plus a margin.
            long deadline =
                    System.nanoTime()
                            + Duration.ofSeconds(15)
                                    .plus(mode.outOfOrderness)
                                    .plus(
                                            mode.checkpointInterval == null
                                                    ? Duration.ZERO
                                                    : mode.checkpointInterval.multipliedBy(3))
                                    .toNanos();
            while (seen.size() < load.bursts() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500);
        } finally {
            stopConsumer.set(true);
            if (consumer != null) {
                consumer.join(10_000);
            }
            client.cancel().get(1, TimeUnit.MINUTES);
            try {
                client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            } catch (Exception cancelled) {
                // expected: the job was cancelled
            }
        }

        // Append times of the triggering events, read back from the input topics.
        Map<String, Long> triggerAppend =
                appendTimes(
                        bootstrap,
                        List.of(topics.logins(), topics.transactions(), topics.accountChanges()));
        long from = loadStart + settings.warmUp().toMillis();
        long to = from + settings.duration().toMillis();
        int expected = 0;
        for (Map.Entry<String, Long> e : triggerAppend.entrySet()) {
            if (isBurstTrigger(e.getKey()) && e.getValue() >= from && e.getValue() < to) {
                expected++;
            }
        }
        List<Long> appendToAppend = new ArrayList<>();
        List<Long> beyond = new ArrayList<>();
        List<Long> visible = new ArrayList<>();
        Map<String, Integer> perPattern = new TreeMap<>();
        int matched = 0;
        for (Seen s : seen.values()) {
            Long trigger = triggerAppend.get(s.triggerId());
            if (trigger == null || trigger < from || trigger >= to) {
                continue;
            }
            if (isBurstTrigger(s.triggerId())) {
                matched++;
            }
            perPattern.merge(s.patternId(), 1, Integer::sum);
            long latency = s.appendMillis() - trigger;
            appendToAppend.add(latency);
            beyond.add(latency - mode.outOfOrderness.toMillis());
            visible.add(s.receivedMillis() - trigger);
        }
        long lateEvents = endOffset(bootstrap, late);
        double wall = total.toNanos();
        return new ModeResult(
                mode,
                sent,
                sent * 1000.0 / total.toMillis(),
                expected,
                appendToAppend.size(),
                expected - matched,
                perPattern,
                lateEvents,
                jvmCpu / wall,
                brokerCpu < 0 ? -1 : brokerCpu / wall,
                machineCpu < 0
                        ? -1
                        : Math.max(0, machineCpu - jvmCpu - Math.max(0, brokerCpu)) / wall,
                Stats.of(appendToAppend),
                Stats.of(beyond),
                Stats.of(visible));
    }

    private static boolean isBurstTrigger(String eventId) {
        int dash = eventId.lastIndexOf('-');
        return eventId.startsWith("fraud")
                && dash > 0
                && TRIGGER_SUFFIXES.contains(eventId.substring(dash));
    }

    /** Reads alerts as they are committed, noting when each became visible. */
    private static void consume(
            String bootstrap, String topic, Map<String, Seen> seen, AtomicBoolean stop) {
        Properties p = consumerProperties(bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!stop.get()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(20))) {
                    long received = System.currentTimeMillis();
                    JsonNode a = JSON.readTree(r.value());
                    JsonNode ids = a.get("eventIds");
                    String trigger = ids.get(ids.size() - 1).asText();
                    if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException(topic + " is not LogAppendTime");
                    }
                    seen.putIfAbsent(
                            a.get("alertId").asText(),
                            new Seen(
                                    a.get("alertId").asText(),
                                    a.get("patternId").asText(),
                                    trigger,
                                    r.timestamp(),
                                    received));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("alert consumer failed", e);
        }
    }

    /** eventId -> append time of every record of the topics. */
    private static Map<String, Long> appendTimes(String bootstrap, List<String> topics) {
        Map<String, Long> times = new HashMap<>();
        Properties p = consumerProperties(bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                parts.addAll(partitions(c, t));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                boolean done = true;
                for (TopicPartition tp : parts) {
                    if (c.position(tp) < end.get(tp)) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    return times;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read back " + topics);
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException(r.topic() + " is not LogAppendTime");
                    }
                    times.put(eventId(r.value()), r.timestamp());
                }
            }
        }
    }

    /** The eventId of a value that {@link io.fraudcep.model.EventCodec} wrote. */
    private static String eventId(String json) {
        String key = "\"eventId\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return "";
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    private static long endOffset(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            long sum = 0;
            for (long v : c.endOffsets(partitions(c, topic)).values()) {
                sum += v;
            }
            return sum;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(topic, info.partition()));
        }
        return parts;
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }
}
