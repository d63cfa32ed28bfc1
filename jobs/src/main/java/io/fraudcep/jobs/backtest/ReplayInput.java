package io.fraudcep.jobs.backtest;

import io.fraudcep.jobs.FraudPipeline;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.files.JsonlLogSource;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What a backtest replays: JSONL files, or a bounded range of the Kafka input topics. Either way
 * the records are parsed in the source exactly as in the live job, and the watermark is taken the
 * same way (per Kafka partition, with {@link FraudPipeline#watermarks}).
 */
public sealed interface ReplayInput {

    /** The source records, with event-time timestamps and watermarks. */
    DataStream<SourceRecord> records(
            StreamExecutionEnvironment env, Duration outOfOrderness, FutureTimestampGuard guard);

    /** One line for reports: what was replayed. */
    String describe();

    /**
     * A log on disk, merged by event time in one reader.
     *
     * @param files the files and the topics they stand for
     */
    record Files(List<LogFile> files) implements ReplayInput {

        public Files {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("a replay needs at least one file");
            }
        }

        @Override
        public DataStream<SourceRecord> records(
                StreamExecutionEnvironment env,
                Duration outOfOrderness,
                FutureTimestampGuard guard) {
            return env.fromSource(
                            new JsonlLogSource(files, guard),
                            FraudPipeline.watermarks(outOfOrderness, null),
                            "file-source")
                    .uid("file-source")
                    .setParallelism(1);
        }

        @Override
        public String describe() {
            List<String> names = new ArrayList<>();
            Set<Path> dirs = new TreeSet<>();
            for (LogFile f : files) {
                Path p = Path.of(f.path()).toAbsolutePath().normalize();
                dirs.add(p.getParent());
                names.add(p.getFileName().toString());
            }
            if (dirs.size() == 1) {
                return "files in " + dirs.iterator().next() + ": " + String.join(", ", names);
            }
            List<String> paths = new ArrayList<>();
            files.forEach(f -> paths.add(f.path()));
            return "files " + String.join(", ", paths);
        }
    }

    /**
     * The three input topics from a start to an end, read with a fresh consumer group id that never
     * commits offsets: the live job's group and offsets are untouched.
     *
     * @param kafka brokers, topics and client properties
     * @param start where to start
     * @param end where to stop
     * @param groupId the replay's own group id (only named, never joined or committed)
     */
    record Kafka(KafkaSettings kafka, ReplayStart start, ReplayEnd end, String groupId)
            implements ReplayInput {

        /** A replay with a unique group id, {@code fraud-backtest-<random>}. */
        public static Kafka of(KafkaSettings kafka, ReplayStart start, ReplayEnd end) {
            return new Kafka(kafka, start, end, "fraud-backtest-" + UUID.randomUUID());
        }

        @Override
        public DataStream<SourceRecord> records(
                StreamExecutionEnvironment env,
                Duration outOfOrderness,
                FutureTimestampGuard guard) {
            return env.fromSource(
                            sourceSettings()
                                    .source(
                                            groupId,
                                            start.toOffsetsInitializer(),
                                            end.toOffsetsInitializer(),
                                            guard),
                            // Per-partition watermarks, no idleness: a bounded split that ends
                            // releases its hold on the watermark by itself.
                            FraudPipeline.watermarks(outOfOrderness, null),
                            "kafka-source")
                    .uid("kafka-source");
        }

        /** The settings with the client properties that keep the replay side-effect free. */
        KafkaSettings sourceSettings() {
            Properties props = new Properties();
            props.putAll(kafka.clientProperties());
            props.setProperty(KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key(), "false");
            props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            return kafka.withClientProperties(props);
        }

        /**
         * Fails with a message naming the topics that do not exist (the Kafka source would fail
         * later, less clearly).
         */
        public void checkTopicsExist(Duration timeout) {
            Properties props = new Properties();
            props.putAll(kafka.clientProperties());
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            Set<String> existing;
            try (Admin admin = Admin.create(props)) {
                existing =
                        admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing topics", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(
                        "cannot list the topics of " + kafka.bootstrapServers() + ": " + e, e);
            }
            Set<String> missing = new TreeSet<>(kafka.inputTopics());
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "no topic "
                                + String.join(", ", missing)
                                + " on "
                                + kafka.bootstrapServers());
            }
        }

        @Override
        public String describe() {
            return "Kafka "
                    + kafka.bootstrapServers()
                    + " topics "
                    + String.join(", ", kafka.inputTopics())
                    + " from "
                    + start
                    + " until "
                    + end;
        }
    }
}
