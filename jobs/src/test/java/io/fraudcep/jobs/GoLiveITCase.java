package io.fraudcep.jobs;

import static io.fraudcep.jobs.SavepointRescaleITCase.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.jobs.SavepointRescaleITCase.LiveLog;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.jobs.monitor.AlertGate;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Going live on a log that already holds history ({@code --alerts-from}): the job folds the history
 * into its state and writes only the alerts from the instant on, and those are exactly the alerts a
 * job that ran on the whole log from the start wrote from that instant on: same ids, so the same
 * matches, with suppression carried over from the history.
 */
class GoLiveITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Mid-way through the contract's log (2026-01-05 to 2026-05-04). */
    private static final Instant GO_LIVE = Instant.parse("2026-03-15T00:00:00Z");

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        KafkaWarmUp.coordinators(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aJobGoingLiveAtAnInstantAlertsExactlyLikeOneThatRanAllAlong() throws Exception {
        LiveLog allAlong = LiveLog.uninterruptedRun(kafka, "all-along");
        List<JsonNode> expected =
                allAlong.alerts().stream()
                        .filter(a -> !Instant.parse(a.get("detectedAt").asText()).isBefore(GO_LIVE))
                        .toList();
        int before = allAlong.alerts().size() - expected.size();
        assertThat(expected).isNotEmpty();
        assertThat(before).isPositive();

        String alerts = "go-live-fraud-alerts";
        kafka.createTopics(2, alerts, "go-live-dead-letters", "go-live-late-events");
        List<String> topics = allAlong.inputTopics();
        DetectionJob.Config goLive =
                DetectionJob.Config.parse(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--logins-topic",
                        topics.get(0),
                        "--transactions-topic",
                        topics.get(1),
                        "--account-changes-topic",
                        topics.get(2),
                        "--alerts-topic",
                        alerts,
                        "--dead-letter-topic",
                        "go-live-dead-letters",
                        "--late-events-topic",
                        "go-live-late-events",
                        "--group-id",
                        "go-live",
                        "--transactional-id-prefix",
                        "go-live",
                        "--alerts-from",
                        GO_LIVE.toString(),
                        "--stop-at",
                        "latest",
                        "--checkpoint-interval",
                        "500ms",
                        "--parallelism",
                        "2");
        JobExecutionResult result =
                DetectionJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), goLive);

        List<JsonNode> written =
                kafka.readAll(alerts, true).stream()
                        .map(r -> ContractExample.read(r.value()))
                        .toList();
        assertThat(ids(written)).containsExactlyInAnyOrderElementsOf(ids(expected));
        assertThat((Long) result.getAccumulatorResult(AlertGate.HELD_BACK_ACCUMULATOR))
                .isEqualTo(before);
        assertThat(kafka.readAll("go-live-late-events", true)).isEmpty();
    }
}
