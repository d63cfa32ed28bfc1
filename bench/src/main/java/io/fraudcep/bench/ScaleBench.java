package io.fraudcep.bench;

import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The scale mode of {@code bin/fraud bench}: how the DetectionJob behaves as the number of users
 * holding state grows, for each step of users in turn (e.g. 200 K, 500 K, 1 M, 2 M) on fresh topics
 * of one broker and one MiniCluster.
 *
 * <p>Each step streams a synthetic log straight into Kafka (no files): a <em>prefix</em> of two
 * events per user (a login, then a card payment or, for every tenth user, an address change), all
 * within the last 20 h before the instant T0, so at T0 every user has events inside the 24 h rule
 * horizon and the job really holds state for all of them; then, once the job has read the prefix
 * and was stopped with a savepoint, a <em>measured part</em> of {@code --scale-events} events from
 * T0 on, each of a user drawn at random from all of them (logins on the known device and small card
 * payments: no pattern is meant to fire). The job restored from the savepoint reads the measured
 * part with checkpoints every {@code --checkpoint-interval}.
 *
 * <p>Per step: events/s of the measured part (from the restored job's first record read to the last
 * record reaching the rule engine), state per user (the savepoint's size / users; and the last full
 * checkpoint size / users), the checkpoints during the measured part (duration, full and
 * incremental size, from the MiniCluster's checkpoint statistics), and the restore time (from the
 * submission of the restored job to its first record read: scheduling and state restore).
 */
final class ScaleBench {

    /** The settings of a scale bench. */
    record Settings(
            Path workDir,
            List<Integer> steps,
            long measuredEvents,
            Duration checkpointInterval,
            int parallelism,
            int partitions,
            Broker.Kind broker,
            BenchStateBackend stateBackend,
            long seed) {}

    /** The checkpoints completed while the measured part was read. */
    record Checkpoints(
            int completed,
            int failed,
            long medianDurationMillis,
            long maxDurationMillis,
            long medianIncrementalBytes,
            long lastFullBytes) {}

    /** One step's figures. */
    record Step(
            int users,
            long prefixEvents,
            double prefixSeconds,
            long savepointBytes,
            Map<String, Long> savepointPerOperator,
            double savepointSeconds,
            double restoreSeconds,
            long measuredEvents,
            double measuredSeconds,
            Checkpoints checkpoints,
            double produceSeconds) {

        double eventsPerSecond() {
            return measuredEvents / measuredSeconds;
        }

        double savepointBytesPerUser() {
            return savepointBytes / (double) users;
        }

        double checkpointBytesPerUser() {
            return checkpoints.lastFullBytes() < 0
                    ? Double.NaN
                    : checkpoints.lastFullBytes() / (double) users;
        }
    }

    /** Everything a scale bench measured. */
    record Result(Settings settings, String broker, List<Step> steps) {}

    /** The instant the prefix ends and the measured part begins. */
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final String READER = "split-dead-letters";
    private static final long SAMPLE_MILLIS = 20;

    private final Settings settings;
    private final PrintStream out;

    ScaleBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    Result run() throws Exception {
        Files.createDirectories(settings.workDir());
        List<Step> steps = new ArrayList<>();
        String describe;
        try (Broker broker = Broker.start(settings.broker(), settings.workDir())) {
            describe = broker.describe();
            String bootstrap = broker.bootstrapServers();
            out.printf(
                    "Scale: state backend %s, steps %s users, %,d measured events each, broker %s"
                            + " at %s%n",
                    settings.stateBackend().cliName(),
                    settings.steps(),
                    settings.measuredEvents(),
                    describe,
                    bootstrap);
            KafkaWarmUp.coordinators(bootstrap);
            try (BenchCluster cluster =
                    new BenchCluster(
                            settings.parallelism(),
                            settings.workDir().resolve("checkpoints"),
                            null,
                            null,
                            settings.stateBackend())) {
                for (int users : settings.steps()) {
                    Step step = step(cluster, bootstrap, users);
                    steps.add(step);
                    out.printf(
                            "  %,9d users: %,10.0f events/s measured, %,6.0f bytes per user"
                                    + " (savepoint), restore %.1f s, checkpoints %d (median %,d"
                                    + " ms, incremental %,d bytes)%n",
                            users,
                            step.eventsPerSecond(),
                            step.savepointBytesPerUser(),
                            step.restoreSeconds(),
                            step.checkpoints().completed(),
                            step.checkpoints().medianDurationMillis(),
                            step.checkpoints().medianIncrementalBytes());
                }
            }
        }
        return new Result(settings, describe, steps);
    }

    private Step step(BenchCluster cluster, String bootstrap, int users) throws Exception {
        String id = "scale-" + users + "-" + System.currentTimeMillis();
        String logins = id + "-logins";
        String transactions = id + "-transactions";
        String changes = id + "-account-changes";
        EmbeddedKafka.createTopics(
                bootstrap, settings.partitions(), Map.of(), logins, transactions, changes);
        EmbeddedKafka.createTopics(
                bootstrap,
                1,
                Map.of(),
                id + "-alerts",
                id + "-alerts-shadow",
                id + "-dead-letters",
                id + "-late-events");
        Topics topics = new Topics(logins, transactions, changes);
        out.printf("Step %,d users: producing the prefix ...%n", users);
        long t = System.nanoTime();
        long prefixEvents = produce(bootstrap, topics, prefix(users));
        double produceSeconds = (System.nanoTime() - t) / 1e9;
        out.printf(
                "  prefix: %,d events in %.1f s; the job reads it ...%n",
                prefixEvents, produceSeconds);

        // Prefix: the job from the earliest offsets until every prefix record reached the engine.
        StreamExecutionEnvironment env = cluster.environment();
        DetectionJob.build(env, config(bootstrap, id));
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync(id + "-prefix");
        awaitEngine(cluster, client, prefixEvents, -1);
        double prefixSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf(
                "  prefix read in %.1f s (%,.0f events/s); stop-with-savepoint ...%n",
                prefixSeconds, prefixEvents / prefixSeconds);
        Path savepoints = settings.workDir().resolve("savepoints").resolve(id);
        Files.createDirectories(savepoints);
        long s0 = System.nanoTime();
        String pointer =
                client.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(30, TimeUnit.MINUTES);
        client.getJobExecutionResult().get(10, TimeUnit.MINUTES);
        double savepointSeconds = (System.nanoTime() - s0) / 1e9;
        SavepointStats stats = SavepointStats.of(pointer);
        out.printf(
                "  savepoint %,d bytes (%,.0f per user) in %.1f s; producing the measured part"
                        + " ...%n",
                stats.bytesOnDisk(), stats.bytesOnDisk() / (double) users, savepointSeconds);
        long measured = produce(bootstrap, topics, measured(users));

        // Measured part: the job restored from the savepoint, checkpointing as it reads.
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, pointer);
        StreamExecutionEnvironment env2 = cluster.environment(restore);
        DetectionJob.build(env2, config(bootstrap, id));
        long submitted = System.nanoTime();
        JobClient client2 = env2.executeAsync(id + "-measured");
        Measured m;
        try {
            m = awaitEngine(cluster, client2, measured, submitted);
        } finally {
            client2.cancel().get(1, TimeUnit.MINUTES);
            try {
                client2.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            } catch (Exception cancelled) {
                // expected
            }
        }
        double restoreSeconds = (m.firstRecordNanos() - submitted) / 1e9;
        double measuredSeconds = (m.lastRecordNanos() - m.firstRecordNanos()) / 1e9;
        Broker.deleteTree(savepoints);
        return new Step(
                users,
                prefixEvents,
                prefixSeconds,
                stats.bytesOnDisk(),
                stats.perOperator(),
                savepointSeconds,
                restoreSeconds,
                measured,
                measuredSeconds,
                m.checkpoints(),
                produceSeconds);
    }

    private DetectionJob.Config config(String bootstrap, String id) {
        return DetectionJob.Config.parse(
                "--bootstrap-servers",
                bootstrap,
                "--group-id",
                id,
                "--transactional-id-prefix",
                id,
                "--starting-offsets",
                "earliest",
                "--delivery-guarantee",
                "at-least-once",
                "--logins-topic",
                id + "-logins",
                "--transactions-topic",
                id + "-transactions",
                "--account-changes-topic",
                id + "-account-changes",
                "--alerts-topic",
                id + "-alerts",
                "--shadow-alerts-topic",
                id + "-alerts-shadow",
                "--dead-letter-topic",
                id + "-dead-letters",
                "--late-events-topic",
                id + "-late-events",
                "--rules-topic",
                id + "-rules",
                "--rules-applied-topic",
                id + "-rules-applied",
                "--checkpoint-interval",
                settings.checkpointInterval().toMillis() + "ms",
                "--parallelism",
                Integer.toString(settings.parallelism()));
    }

    private record Measured(long firstRecordNanos, long lastRecordNanos, Checkpoints checkpoints) {}

    /**
     * Waits until {@code records} records reached the rule engine of the job (as the live runs of
     * the throughput bench time it); with {@code submitted >= 0} also notes when the first record
     * was read and collects the job's checkpoint statistics.
     */
    private Measured awaitEngine(
            BenchCluster cluster, JobClient client, long records, long submitted) throws Exception {
        JobID job = client.getJobID();
        LiveCounters live = cluster.counters();
        long first = -1;
        long lastChange = System.nanoTime();
        long lastCount = -1;
        long samples = 0;
        while (true) {
            long now = System.nanoTime();
            long read = live.sum(job, READER, LiveCounters.RECORDS_IN);
            long engine = live.sum(job, DetectionGraph.ENGINE_UID, LiveCounters.RECORDS_IN);
            if (first < 0 && read > 0) {
                first = now;
            }
            if (engine >= records) {
                Checkpoints cps = submitted < 0 ? null : checkpoints(cluster.checkpointStats(job));
                return new Measured(first, now, cps);
            }
            if (engine != lastCount) {
                lastCount = engine;
                lastChange = now;
            } else if (now - lastChange > 120_000_000_000L) {
                throw new IllegalStateException(
                        "the rule engine counted "
                                + engine
                                + " of "
                                + records
                                + " records and nothing for 2 minutes (read "
                                + read
                                + ")");
            }
            if (++samples % 50 == 0) {
                JobStatus status = client.getJobStatus().get(1, TimeUnit.MINUTES);
                if (status.isGloballyTerminalState()) {
                    client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
                    throw new IllegalStateException(job + " ended: " + status);
                }
            }
            Thread.sleep(SAMPLE_MILLIS);
        }
    }

    static Checkpoints checkpoints(CheckpointStatsSnapshot snapshot) {
        if (snapshot == null) {
            return new Checkpoints(0, 0, -1, -1, -1, -1);
        }
        List<Long> durations = new ArrayList<>();
        List<Long> incremental = new ArrayList<>();
        long lastFull = -1;
        long lastId = -1;
        for (AbstractCheckpointStats c : snapshot.getHistory().getCheckpoints()) {
            if (c.getStatus() != CheckpointStatsStatus.COMPLETED) {
                continue;
            }
            durations.add(c.getEndToEndDuration());
            incremental.add(c.getCheckpointedSize());
            if (c.getCheckpointId() > lastId) {
                lastId = c.getCheckpointId();
                lastFull = c.getStateSize();
            }
        }
        durations.sort(null);
        incremental.sort(null);
        return new Checkpoints(
                (int) snapshot.getCounts().getNumberOfCompletedCheckpoints(),
                (int) snapshot.getCounts().getNumberOfFailedCheckpoints(),
                durations.isEmpty() ? -1 : durations.get(durations.size() / 2),
                durations.isEmpty() ? -1 : durations.get(durations.size() - 1),
                incremental.isEmpty() ? -1 : incremental.get(incremental.size() / 2),
                lastFull);
    }

    // ---- the synthetic log -------------------------------------------------------------------

    private record Topics(String logins, String transactions, String accountChanges) {}

    /** One record of the log: topic index (0 logins, 1 transactions, 2 changes), key, value. */
    private record Line(int topic, String user, String json) {}

    private interface Lines {
        /** The line {@code i}, or null at the end. */
        Line line(long i);
    }

    static String user(long u) {
        return String.format("s%08d", u);
    }

    /**
     * Two events per user, all in (T0 - 20 h, T0), in time order: the logins of every user in one
     * pass over (T0 - 20 h, T0 - 10 h), then a card payment (an address change for every tenth
     * user) in a second pass over (T0 - 10 h, T0). Users are visited in a scrambled order.
     */
    private static Lines prefix(int users) {
        long span = Duration.ofHours(10).toNanos();
        long start = T0.minus(Duration.ofHours(20)).toEpochMilli() * 1_000_000L;
        return i -> {
            if (i >= 2L * users) {
                return null;
            }
            long pass = i / users;
            long k = i % users;
            long u = scramble(k, users);
            String user = user(u);
            long nanos = start + pass * span + (span / users) * k;
            String ts = Instant.ofEpochSecond(0, nanos).toString();
            if (pass == 0) {
                return new Line(0, user, login(user, user + "-p1", ts));
            }
            if (u % 10 == 0) {
                return new Line(
                        2,
                        user,
                        "{\"eventId\":\""
                                + user
                                + "-p2\",\"userId\":\""
                                + user
                                + "\",\"type\":\"ADDRESS_CHANGE\",\"timestamp\":\""
                                + ts
                                + "\"}");
            }
            return new Line(1, user, payment(user, user + "-p2", ts, u));
        };
    }

    /** Events from T0 on, 10 ms apart, each of a user drawn at random; login or card payment. */
    private Lines measured(int users) {
        long count = settings.measuredEvents();
        SplittableRandom random = new SplittableRandom(settings.seed() * 31 + users);
        long start = T0.toEpochMilli();
        return i -> {
            if (i >= count) {
                return null;
            }
            long u = random.nextInt(users);
            String user = user(u);
            String ts = Instant.ofEpochMilli(start + 10 * i).toString();
            String eventId = user + "-m" + i;
            return random.nextInt(3) == 0
                    ? new Line(0, user, login(user, eventId, ts))
                    : new Line(1, user, payment(user, eventId, ts, i));
        };
    }

    private static String login(String user, String eventId, String ts) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"userId\":\""
                + user
                + "\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\""
                + ts
                + "\",\"deviceId\":\"d-"
                + user
                + "\",\"ip\":\"203.0.113.7\",\"country\":\"PL\",\"lat\":52.2317,\"lon\":20.9828,"
                + "\"channel\":\"mobile\"}";
    }

    private static String payment(String user, String eventId, String ts, long n) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"userId\":\""
                + user
                + "\",\"type\":\"CARD_PAYMENT\",\"timestamp\":\""
                + ts
                + "\",\"amount\":\""
                + (5 + n % 40)
                + "."
                + String.format("%02d", n % 100)
                + "\",\"currency\":\"PLN\",\"cardId\":\"card-"
                + user
                + "\",\"merchantId\":\"m-"
                + (n % 997)
                + "\",\"mcc\":\"5411\",\"country\":\"PL\"}";
    }

    /** A bijection of [0, n) that spreads neighbours apart (an affine map with a unit stride). */
    static long scramble(long k, long n) {
        long stride = 0x9E3779B1L % n;
        while (gcd(stride, n) != 1) {
            stride++;
        }
        return (k * stride + 7) % n;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Streams the lines into their topics, keyed by user; returns how many were written. */
    private static long produce(String bootstrap, Topics topics, Lines lines) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        String[] names = {topics.logins(), topics.transactions(), topics.accountChanges()};
        AtomicReference<Exception> failure = new AtomicReference<>();
        long n = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (Line line = lines.line(0); line != null; line = lines.line(++n)) {
                producer.send(
                        new ProducerRecord<>(
                                names[line.topic()],
                                line.user().getBytes(StandardCharsets.UTF_8),
                                line.json().getBytes(StandardCharsets.UTF_8)),
                        (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the scale log failed", failure.get());
        }
        return n;
    }

    /** Default steps up to {@code users}: those of 200 K, 500 K, 1 M, 2 M below it, then it. */
    static List<Integer> defaultSteps(int users) {
        List<Integer> steps = new ArrayList<>();
        for (int s : new int[] {200_000, 500_000, 1_000_000, 2_000_000}) {
            if (s < users) {
                steps.add(s);
            }
        }
        steps.add(users);
        return steps;
    }
}
