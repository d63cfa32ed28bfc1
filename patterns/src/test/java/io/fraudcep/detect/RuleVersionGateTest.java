package io.fraudcep.detect;

import static io.fraudcep.detect.RuleVersionFixtures.T0;
import static io.fraudcep.detect.RuleVersionFixtures.burst;
import static io.fraudcep.detect.RuleVersionFixtures.burstDisabled;
import static io.fraudcep.detect.RuleVersionFixtures.minutes;
import static io.fraudcep.detect.RuleVersionFixtures.patternVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RejectedRuleRecord;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecordInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule version gate in Flink's two-input test harness: records of the control topic on input 1,
 * the events' watermark on input 2. What leaves it: the versions for the detection operators (with
 * the instant each is applied from), the audit records, the rejected records with their reasons,
 * and the watermark, which is the events' alone; and what a restore keeps.
 */
class RuleVersionGateTest {

    private static final String TOPIC = "fraud-rules";

    private TwoInputStreamOperatorTestHarness<RuleRecordInput, UserEvent, RuleChange> harness;
    private long offset;

    @BeforeEach
    void start() throws Exception {
        harness = open(new RuleLedger(), null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static TwoInputStreamOperatorTestHarness<RuleRecordInput, UserEvent, RuleChange> open(
            RuleLedger known, OperatorSubtaskState restoreFrom) throws Exception {
        var h =
                new TwoInputStreamOperatorTestHarness<>(
                        new RuleVersionGate(known, RuleHistory.DEFAULT_HORIZON));
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    /** A record's value, as {@code bin/fraud rules publish} writes it. */
    private static String record(String ruleId, long version, Instant from, String ruleJson) {
        return """
                {"ruleId": "%s", "ruleVersion": %d, "effectiveFrom": "%s", "rule": %s}
                """
                .formatted(ruleId, version, from, ruleJson);
    }

    private static String burstRecord(long version, Instant from) {
        return record("BURST", version, from, burst(3));
    }

    /** Sends a record of the control topic, keyed as the topic keys it; returns it. */
    private RuleRecordInput publish(String key, String value) throws Exception {
        RuleRecordInput input = new RuleRecordInput(key, value, TOPIC, 0, offset++);
        harness.processElement1(new StreamRecord<>(input));
        return input;
    }

    private RuleRecordInput publish(String value) throws Exception {
        return publish("BURST", value);
    }

    private void eventsWatermark(Instant t) throws Exception {
        harness.processWatermark2(new Watermark(t.toEpochMilli()));
    }

    private List<RuleChange> changes() {
        return harness.extractOutputValues();
    }

    private List<AppliedVersion> audit() {
        return values(harness.getSideOutput(RuleVersionGate.AUDIT));
    }

    private List<RejectedRuleRecord> rejected() {
        return values(harness.getSideOutput(RuleVersionGate.REJECTED));
    }

    private static <T> List<T> values(Collection<StreamRecord<T>> records) {
        return records == null
                ? List.of()
                : records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    /** The main output in order: versions as {@code BURST#1@<applied ms>}, watermarks, statuses. */
    private List<String> outputInOrder() {
        List<String> seen = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof Watermark w) {
                seen.add("wm@" + w.getTimestamp());
            } else if (o instanceof WatermarkStatus s) {
                seen.add(s.isIdle() ? "idle" : "active");
            } else if (o instanceof StreamRecord<?> r && r.getValue() instanceof RuleChange c) {
                seen.add(
                        c.ruleId()
                                + "#"
                                + c.ruleVersion()
                                + "@"
                                + c.effectiveFrom().toEpochMilli());
            }
        }
        return seen;
    }

    // ---- accepted versions ---------------------------------------------------------------------

    @Test
    void aTimelyVersionIsSentFromItsEffectiveFromAndAuditedAsNotLate() throws Exception {
        eventsWatermark(minutes(9));

        publish(burstRecord(1, minutes(10)));

        assertThat(changes())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.ruleId()).isEqualTo("BURST");
                            assertThat(c.ruleVersion()).isEqualTo(1);
                            assertThat(c.effectiveFrom()).isEqualTo(minutes(10));
                            assertThat(patternVersion(c))
                                    .isEqualTo(
                                            patternVersion(
                                                    new RuleChange(
                                                            "BURST", 1, minutes(10), burst(3))));
                        });
        assertThat(audit())
                .containsExactly(
                        new AppliedVersion(
                                "BURST",
                                1,
                                minutes(10),
                                minutes(10),
                                false,
                                patternVersion(changes().get(0)),
                                "active"));
        assertThat(rejected()).isEmpty();
    }

    @Test
    void aVersionBeforeAnyWatermarkIsTimely() throws Exception {
        publish(burstRecord(1, T0.minusSeconds(3600 * 24 * 365)));

        assertThat(audit())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.late()).isFalse();
                            assertThat(a.appliedFrom()).isEqualTo(a.effectiveFrom());
                        });
    }

    @Test
    void aVersionWhoseInstantTheWatermarkHasReachedIsAppliedFromTheNextMillisecondAsLate()
            throws Exception {
        eventsWatermark(minutes(10));

        publish(burstRecord(1, minutes(10)));
        publish(burstRecord(2, minutes(1)));

        Instant next = minutes(10).plusMillis(1);
        assertThat(changes())
                .extracting(RuleChange::ruleVersion, RuleChange::effectiveFrom)
                .containsExactly(tuple(1L, next), tuple(2L, next));
        assertThat(audit())
                .extracting(
                        AppliedVersion::ruleVersion,
                        AppliedVersion::effectiveFrom,
                        AppliedVersion::appliedFrom,
                        AppliedVersion::late)
                .containsExactly(
                        tuple(1L, minutes(10), next, true), tuple(2L, minutes(1), next, true));
    }

    @Test
    void aDisabledVersionIsAppliedAndAuditedWithItsMode() throws Exception {
        publish(record("BURST", 1, minutes(10), burstDisabled()));

        assertThat(changes()).singleElement().extracting(RuleChange::ruleVersion).isEqualTo(1L);
        assertThat(audit()).singleElement().extracting(AppliedVersion::mode).isEqualTo("disabled");
    }

    // ---- rejected records ----------------------------------------------------------------------

    static Stream<Arguments> invalidRecords() {
        String wideWindow = record("BURST", 1, minutes(10), burst("active", 3, "25h"));
        String typo =
                record(
                        "BURST",
                        1,
                        minutes(10),
                        burst(3).replace("\"times\"", "\"where\": \"amont > 1\", \"times\""));
        return Stream.of(
                Arguments.of("not JSON", "BURST", "{\"ruleId\": \"BURST\",", null, "not JSON"),
                Arguments.of(
                        "an unknown field",
                        "BURST",
                        burstRecord(1, minutes(10))
                                .replaceFirst("\\{", "{\"owner\": \"fraud-team\", "),
                        "owner",
                        "unknown field 'owner'"),
                Arguments.of(
                        "a key that is not its rule id",
                        "CARD_TESTING",
                        burstRecord(1, minutes(10)),
                        "key",
                        "differs from its ruleId"),
                Arguments.of(
                        "a window beyond the 24 h horizon",
                        "BURST",
                        wideWindow,
                        "rule.window",
                        "needs more history than the look-back horizon"),
                Arguments.of("a bad expression", "BURST", typo, "rule.steps[0].where", "amont"),
                Arguments.of(
                        "a version below 1",
                        "BURST",
                        burstRecord(0, minutes(10)),
                        "ruleVersion",
                        "at least 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void anInvalidRecordIsRejectedNamingRuleAndFieldAndChangesNothing(
            String what, String key, String value, String field, String reason) throws Exception {
        eventsWatermark(minutes(5));

        RuleRecordInput input = publish(key, value);

        assertThat(rejected())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.input()).isEqualTo(input);
                            assertThat(r.ruleId()).isEqualTo("BURST");
                            assertThat(r.field()).isEqualTo(field);
                            assertThat(r.reason())
                                    .startsWith(
                                            "rule BURST"
                                                    + (field == null ? ": " : ", field " + field))
                                    .contains(reason);
                        });
        assertThat(changes()).isEmpty();
        assertThat(audit()).isEmpty();

        // Nothing was recorded: version 1, valid, is still the next.
        publish(burstRecord(1, minutes(10)));
        assertThat(changes()).singleElement().extracting(RuleChange::ruleVersion).isEqualTo(1L);
    }

    @Test
    void aVersionThatDoesNotIncreaseIsRejectedAndThePreviousStaysInForce() throws Exception {
        publish(burstRecord(2, minutes(10)));
        RuleRecordInput again = publish(burstRecord(2, minutes(20)));
        RuleRecordInput lower = publish(burstRecord(1, minutes(30)));

        assertThat(changes()).singleElement().extracting(RuleChange::ruleVersion).isEqualTo(2L);
        assertThat(rejected())
                .extracting(RejectedRuleRecord::input, RejectedRuleRecord::field)
                .containsExactly(tuple(again, "ruleVersion"), tuple(lower, "ruleVersion"));
        assertThat(rejected().get(0).reason())
                .isEqualTo(
                        "rule BURST, field ruleVersion: 2 does not increase: version 2 is"
                                + " already in the history");
        assertThat(audit()).hasSize(1);
    }

    @Test
    void onAFirstStartTheVersionsKnownWhenTheJobWasBuiltAreNotAcceptedAgain() throws Exception {
        RuleLedger known = new RuleLedger();
        known.restore(Map.of("BURST", 3L));
        harness.close();
        harness = open(known, null);

        publish(burstRecord(3, minutes(10)));
        publish(burstRecord(4, minutes(10)));

        assertThat(rejected())
                .singleElement()
                .extracting(RejectedRuleRecord::field)
                .isEqualTo("ruleVersion");
        assertThat(changes()).singleElement().extracting(RuleChange::ruleVersion).isEqualTo(4L);
    }

    // ---- watermarks ----------------------------------------------------------------------------

    @Test
    void theOutputWatermarkAndIdlenessFollowTheEventsInputAlone() throws Exception {
        harness.processWatermark1(new Watermark(minutes(60).toEpochMilli()));
        harness.processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(harness.getOutput()).isEmpty();

        // The control topic's watermark does not make a version late either.
        publish(burstRecord(1, minutes(30)));
        eventsWatermark(minutes(10));
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        harness.processWatermarkStatus2(WatermarkStatus.ACTIVE);

        assertThat(outputInOrder())
                .containsExactly(
                        "BURST#1@" + minutes(30).toEpochMilli(),
                        "wm@" + minutes(10).toEpochMilli(),
                        "idle",
                        "active");
        assertThat(audit()).singleElement().extracting(AppliedVersion::late).isEqualTo(false);
    }

    // ---- snapshot and restore ------------------------------------------------------------------

    @Test
    void aRestoredGateKeepsItsLedgerAndItsLastWatermark() throws Exception {
        publish(burstRecord(1, minutes(5)));
        eventsWatermark(minutes(10));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        // Built later, when the topic's history read at start says version 7: the state wins.
        RuleLedger readAtBuild = new RuleLedger();
        readAtBuild.restore(Map.of("BURST", 7L));
        harness = open(readAtBuild, snapshot);

        RuleRecordInput repeated = publish(burstRecord(1, minutes(20)));
        publish(burstRecord(2, minutes(8)));
        publish(burstRecord(3, minutes(30)));

        assertThat(rejected())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.input()).isEqualTo(repeated);
                            assertThat(r.field()).isEqualTo("ruleVersion");
                        });
        // Version 2 arrives before any watermark since the restore, behind the one before it.
        assertThat(audit())
                .extracting(
                        AppliedVersion::ruleVersion,
                        AppliedVersion::appliedFrom,
                        AppliedVersion::late)
                .containsExactly(
                        tuple(2L, minutes(10).plusMillis(1), true), tuple(3L, minutes(30), false));
        assertThat(changes())
                .extracting(RuleChange::ruleVersion, RuleChange::effectiveFrom)
                .containsExactly(tuple(2L, minutes(10).plusMillis(1)), tuple(3L, minutes(30)));
    }
}
