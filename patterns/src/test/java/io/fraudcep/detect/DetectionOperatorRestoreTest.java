package io.fraudcep.detect;

import static io.fraudcep.detect.RuleVersionFixtures.FROM_THE_START;
import static io.fraudcep.detect.RuleVersionFixtures.NO_FILE_RULES;
import static io.fraudcep.detect.RuleVersionFixtures.T0;
import static io.fraudcep.detect.RuleVersionFixtures.burst;
import static io.fraudcep.detect.RuleVersionFixtures.patternVersion;
import static io.fraudcep.detect.RuleVersionFixtures.payment;
import static io.fraudcep.detect.RuleVersionFixtures.seconds;
import static io.fraudcep.detect.RuleVersionFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertIds;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detection operator's versions survive a restore: a version preloaded when the job was built
 * and one that arrived on the second input are in broadcast state, and an operator built without
 * them, restored from a snapshot, judges later triggers with them (the same {@code patternVersion}
 * as before), at the same parallelism and rescaled to two subtasks (broadcast state is copied to
 * each, users' state follows their key groups).
 */
class DetectionOperatorRestoreTest {

    /** At least ten payments: preloaded, in force from the start. */
    private static final RuleChange PRELOADED = version(1, FROM_THE_START, burst(10));

    /** At least four payments: arrives on the second input while the job runs. */
    private static final RuleChange ARRIVED = version(2, seconds(150), burst(4));

    /** The job as first built: the rule file and the versions read before it started. */
    private static final RuleHistory BUILT_WITH =
            new RuleHistory(NO_FILE_RULES, List.of(PRELOADED.toVersion()));

    /** The job as restored: built without any version of the topic. */
    private static final RuleHistory RESTORED_WITH = RuleHistory.of(NO_FILE_RULES);

    /** A user of subtask 0 and one of subtask 1 of two. */
    private String[] userOfSubtask;

    @BeforeEach
    void pickUsers() {
        userOfSubtask = new String[2];
        for (int i = 1; userOfSubtask[0] == null || userOfSubtask[1] == null; i++) {
            String user = "user-" + i;
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            user, DetectionHarness.MAX_PARALLELISM, 2);
            if (userOfSubtask[subtask] == null) {
                userOfSubtask[subtask] = user;
            }
        }
    }

    /**
     * Runs the first operator: three payments of each user before the version arrives, the version,
     * then a snapshot; no alert yet (the preloaded version needs ten).
     */
    private OperatorSubtaskState runUntilSnapshot(String... users) throws Exception {
        try (DetectionHarness first = DetectionHarness.start(BUILT_WITH)) {
            for (int i = 0; i < 3; i++) {
                for (String user : users) {
                    first.add(payment(user + "-p" + i, user, seconds(60L * i)));
                }
                first.watermark(seconds(60L * i));
            }
            first.apply(ARRIVED);
            assertThat(first.alerts()).isEmpty();
            assertThat(first.storedVersions()).containsOnlyKeys("BURST#1", "BURST#2");
            return first.snapshot(1);
        }
    }

    private static void assertJudgedByArrived(Alert alert, String user) {
        List<String> ids = List.of(user + "-p0", user + "-p1", user + "-p2", user + "-p3");
        assertThat(alert.patternVersion()).isEqualTo(patternVersion(ARRIVED)).startsWith("2-");
        assertThat(alert.userId()).isEqualTo(user);
        assertThat(alert.eventIds()).isEqualTo(ids);
        assertThat(alert.alertId()).isEqualTo(AlertIds.of("BURST", user, ids));
        assertThat(alert.windowStart()).isEqualTo(T0);
        assertThat(alert.detectedAt()).isEqualTo(seconds(180));
    }

    @Test
    void aRestoredOperatorBuiltWithoutTheVersionsJudgesWithTheVersionsOfItsState()
            throws Exception {
        String user = userOfSubtask[0];
        OperatorSubtaskState snapshot = runUntilSnapshot(user);

        try (DetectionHarness restored = DetectionHarness.restore(RESTORED_WITH, snapshot, 1, 0)) {
            assertThat(restored.storedVersions())
                    .containsOnlyKeys("BURST#1", "BURST#2")
                    .containsValues(PRELOADED, ARRIVED);
            // The version again, as a replayed control topic would send it: changes nothing.
            restored.apply(ARRIVED);

            restored.send(payment(user + "-p3", user, seconds(180)));

            assertThat(restored.alerts())
                    .singleElement()
                    .satisfies(a -> assertJudgedByArrived(a, user));
            assertThat(restored.storedVersions()).hasSize(2);
        }
    }

    @Test
    void aRestoreIntoTwoSubtasksGivesEachTheVersionsAndItsUsersEvents() throws Exception {
        OperatorSubtaskState snapshot = runUntilSnapshot(userOfSubtask);

        for (int subtask = 0; subtask < 2; subtask++) {
            String user = userOfSubtask[subtask];
            try (DetectionHarness restored =
                    DetectionHarness.restore(RESTORED_WITH, snapshot, 2, subtask)) {
                assertThat(restored.storedVersions())
                        .containsOnlyKeys("BURST#1", "BURST#2")
                        .containsValues(PRELOADED, ARRIVED);
                assertThat(restored.usersWithRuleState()).containsExactly(user);

                restored.send(payment(user + "-p3", user, seconds(180)));

                assertThat(restored.alerts())
                        .as("subtask %d", subtask)
                        .singleElement()
                        .satisfies(a -> assertJudgedByArrived(a, user));
            }
        }
    }

    @Test
    void aFirstStartStoresThePreloadedVersionsAndAppliesThem() throws Exception {
        try (DetectionHarness first = DetectionHarness.start(BUILT_WITH)) {
            assertThat(first.storedVersions()).containsOnlyKeys("BURST#1").containsValue(PRELOADED);
            String user = userOfSubtask[0];
            for (int i = 0; i < 10; i++) {
                first.send(payment(user + "-p" + i, user, seconds(10L * i)));
            }

            assertThat(first.alerts())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.patternVersion()).isEqualTo(patternVersion(PRELOADED));
                                assertThat(a.eventIds()).hasSize(10);
                            });
        }
    }
}
