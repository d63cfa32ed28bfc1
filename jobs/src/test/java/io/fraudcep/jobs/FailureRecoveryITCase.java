package io.fraudcep.jobs;

import static io.fraudcep.jobs.SavepointRescaleITCase.FIRST_CUT;
import static io.fraudcep.jobs.SavepointRescaleITCase.SECOND_CUT;
import static io.fraudcep.jobs.SavepointRescaleITCase.TIMEOUT;
import static io.fraudcep.jobs.SavepointRescaleITCase.await;
import static io.fraudcep.jobs.SavepointRescaleITCase.ids;
import static io.fraudcep.jobs.SavepointRescaleITCase.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.SavepointRescaleITCase.LiveLog;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager dies in the middle of the live job: after alerts were visible and a checkpoint
 * recorded progress into the second part of the contract's log, before the third part exists. The
 * job restarts from its last checkpoint on a new TaskManager and reads the rest. Exactly-once, a
 * read_committed consumer sees the alerts of an uninterrupted run, each once; at-least-once, it
 * sees the same distinct alertIds (a repeat carries the same id).
 */
class FailureRecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(restarts())
                            .build());

    /** Index of the running TaskManager: the MiniCluster appends each one it starts. */
    private static final AtomicInteger RUNNING_TASK_MANAGER = new AtomicInteger();

    private static EmbeddedKafka kafka;
    private static LiveLog uninterrupted;

    private static Configuration restarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return conf;
    }

    @BeforeAll
    static void startKafkaAndRunUninterrupted() throws Exception {
        kafka = EmbeddedKafka.start();
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
        uninterrupted = LiveLog.uninterruptedRun(kafka, "uninterrupted");
        assertThat(keys(uninterrupted.alerts())).isEqualTo(ContractExample.expectedAlerts());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void exactlyOnceAlertsAfterATaskManagerLossAreThoseOfAnUninterruptedRun(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path savepoints)
            throws Exception {
        LiveLog log = runKillingTheTaskManager(client, cluster, savepoints, "exactly-once");

        List<JsonNode> alerts = log.alerts();
        assertThat(ids(alerts)).doesNotHaveDuplicates();
        assertThat(ids(alerts)).containsExactlyInAnyOrderElementsOf(ids(uninterrupted.alerts()));
        assertThat(keys(alerts)).isEqualTo(ContractExample.expectedAlerts());
        assertThat(log.deadLetterSources())
                .hasSize(ContractExample.BAD_RECORDS)
                .doesNotHaveDuplicates();
        assertThat(log.deadLetterContents())
                .containsExactlyInAnyOrderElementsOf(uninterrupted.deadLetterContents());
        assertThat(log.lateEvents()).isEmpty();
    }

    @Test
    void atLeastOnceAlertsAfterATaskManagerLossHaveTheAlertIdsOfAnUninterruptedRun(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path savepoints)
            throws Exception {
        LiveLog log = runKillingTheTaskManager(client, cluster, savepoints, "at-least-once");

        List<JsonNode> alerts = log.alerts();
        assertThat(new TreeSet<>(ids(alerts)))
                .isEqualTo(new TreeSet<>(ids(uninterrupted.alerts())));
        assertThat(keys(alerts)).isEqualTo(ContractExample.expectedAlerts());
        assertThat(new TreeSet<>(log.deadLetterContents()))
                .isEqualTo(new TreeSet<>(uninterrupted.deadLetterContents()));
        assertThat(log.lateEvents()).isEmpty();
    }

    /**
     * Runs the unbounded job at parallelism 2 on the first part of the log; once a checkpoint
     * completed and the first alert is visible, produces the second part; as soon as the consumer
     * group has committed an offset into it, terminates the TaskManager and starts a new one;
     * produces the third part; when the group has committed the end of the input, stops the job
     * with a drained savepoint (its final watermark flushes the matches still waiting for event
     * time, as a bounded run's end does).
     */
    private static LiveLog runKillingTheTaskManager(
            ClusterClient<?> client, MiniCluster cluster, Path savepoints, String delivery)
            throws Exception {
        List<List<LiveLog.Line>> parts = LiveLog.contractLogCutAt(FIRST_CUT, SECOND_CUT);
        LiveLog log = LiveLog.create(kafka, delivery);
        log.produce(parts.get(0));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.build(env, log.config(2, "never", delivery));
        JobID job = env.executeAsync("fraud-detection").getJobID();

        await(
                "a completed checkpoint and a visible alert",
                () -> completedCheckpoints(cluster, job) > 0 && visibleAlerts(log) > 0);
        Map<TopicPartition, Long> endOfFirstPart = log.endOffsets();
        log.produce(parts.get(1));
        // Killed once a checkpoint holds progress into the second part: the restart then has
        // partial matches to restore and records after that checkpoint to read again.
        await(
                "a checkpoint into the second part",
                () -> committedBeyond(log.committedOffsets(), endOfFirstPart));
        cluster.terminateTaskManager(RUNNING_TASK_MANAGER.getAndIncrement())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        cluster.startTaskManager();
        log.produce(parts.get(2));

        log.awaitCommittedToEnd();
        AccessExecutionGraph running = cluster.getExecutionGraph(job).get();
        assertThat(running.getFailureInfo())
                .as("the job failed when its TaskManager went away")
                .isNotNull();
        RestoredCheckpointStats restored =
                running.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
        assertThat(restored).as("the job restarted from a checkpoint").isNotNull();
        assertThat(restored.getProperties().isSavepoint()).isFalse();

        client.stopWithSavepoint(
                        job, true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(
                        client.requestJobResult(job)
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .getApplicationStatus()
                                .deriveJobStatus())
                .isEqualTo(JobStatus.FINISHED);
        return log;
    }

    private static boolean committedBeyond(
            Map<TopicPartition, Long> committed, Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .anyMatch(e -> committed.getOrDefault(e.getKey(), 0L) > e.getValue());
    }

    private static int visibleAlerts(LiveLog log) {
        return kafka.readAll(log.alerts, true).size();
    }

    private static long completedCheckpoints(MiniCluster cluster, JobID job) {
        try {
            return cluster.getExecutionGraph(job)
                    .get()
                    .getCheckpointStatsSnapshot()
                    .getCounts()
                    .getNumberOfCompletedCheckpoints();
        } catch (Exception e) {
            return 0;
        }
    }
}
