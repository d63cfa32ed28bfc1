package io.fraudcep.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.detect.DetectionHarness;
import io.fraudcep.detect.DetectionOperator;
import io.fraudcep.detect.RuleVersionFixtures;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule engine operator on its own: which alerts leave it and where, and what state remains.
 * Events are fed as the enrichment delivers them: per user, in event-time order, with facts.
 */
class RuleEngineTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static final Duration HORIZON = Duration.ofHours(24);

    private static final String RULES =
            """
            version: "t1"
            rules:
              - id: SMALL_THEN_LARGE
                severity: HIGH
                window: 10m
                params:
                  smallBelow: 5.00
                steps:
                  - name: small
                    type: CARD_PAYMENT
                    where: amount < $smallBelow
                    times: 2+
                  - name: large
                    type: CARD_PAYMENT
                    where: amount >= 100.00
              - id: SHADOWED
                severity: LOW
                mode: shadow
                window: 1m
                steps:
                  - name: large
                    type: CARD_PAYMENT
                    where: amount >= 100.00
              - id: SILENT_AFTER_PAYEE
                severity: MEDIUM
                window: 5m
                steps:
                  - name: payee
                    type: PAYEE_ADDED
                  - name: login
                    type: LOGIN_SUCCESS
                    absent: true
                    for: 30m
            """;

    private KeyedTwoInputStreamOperatorTestHarness<String, UserEvent, RuleChange, Alert> harness;

    private static KeyedTwoInputStreamOperatorTestHarness<String, UserEvent, RuleChange, Alert>
            harness(RuleSet rules) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new DetectionOperator(
                        EnrichmentSettings.DEFAULTS,
                        new RuleEngine(RuleHistory.of(rules), HORIZON)),
                UserEvent::userId,
                null,
                Types.STRING);
    }

    private void open(RuleSet rules) throws Exception {
        harness = harness(rules);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** Sends an event and lets the watermark pass it, so the operator releases it to the rules. */
    private void send(UserEvent e) throws Exception {
        harness.processElement1(new StreamRecord<>(e, e.timestampMillis()));
        harness.processBothWatermarks(new Watermark(e.timestampMillis()));
    }

    private static UserEvent payment(String id, Instant t, long cents) {
        return UserEvent.builder(id, "u1", EventType.CARD_PAYMENT, t).amountCents(cents).build();
    }

    @Test
    void alertsOnTheTriggerAndShadowRulesGoToTheirOwnOutput() throws Exception {
        open(RuleFiles.parse(RULES, "engine-test.yaml"));
        send(payment("s1", T0, 100));
        send(payment("s2", T0.plusSeconds(10), 200));
        send(payment("big", T0.plusSeconds(20), 10_000));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.patternId()).isEqualTo("SMALL_THEN_LARGE");
                            assertThat(a.eventIds()).containsExactly("s1", "s2", "big");
                            assertThat(a.windowStart()).isEqualTo(T0);
                            assertThat(a.detectedAt()).isEqualTo(T0.plusSeconds(20));
                        });
        assertThat(harness.getSideOutput(DetectionOperator.SHADOW_ALERTS))
                .extracting(r -> r.getValue().patternId())
                .containsExactly("SHADOWED");
    }

    @Test
    void anAbsenceRuleAlertsAtItsDeadlineOnceTheWatermarkPassesIt() throws Exception {
        open(RuleFiles.parse(RULES, "engine-test.yaml"));
        send(UserEvent.builder("p1", "u1", EventType.PAYEE_ADDED, T0).payeeId("x").build());
        harness.processBothWatermarks(
                new Watermark(T0.plus(Duration.ofMinutes(30)).toEpochMilli() - 1));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBothWatermarks(
                new Watermark(T0.plus(Duration.ofMinutes(30)).toEpochMilli()));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.patternId()).isEqualTo("SILENT_AFTER_PAYEE");
                            assertThat(a.detectedAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
                            assertThat(a.eventIds()).containsExactly("p1");
                        });
    }

    @Test
    void aLoginInsideThePeriodCancelsTheAbsenceAlert() throws Exception {
        open(RuleFiles.parse(RULES, "engine-test.yaml"));
        send(UserEvent.builder("p1", "u1", EventType.PAYEE_ADDED, T0).payeeId("x").build());
        send(
                UserEvent.builder(
                                "l1",
                                "u1",
                                EventType.LOGIN_SUCCESS,
                                T0.plus(Duration.ofMinutes(30)))
                        .deviceId("d")
                        .build());
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    /**
     * Found by the random-rules differential (seed 12): two candidate last events at one instant
     * share a deadline but are two triggers, judged in event order, as two triggering events at one
     * instant are; the first alerts with its own match, the second is suppressed. The engine had
     * taken the largest match over both.
     */
    @Test
    void lastEventsAtOneInstantAreTwoDeadlineTriggersInEventOrder() throws Exception {
        open(
                RuleFiles.parse(
                        """
                        version: "t2"
                        rules:
                          - id: PAYMENTS_THEN_QUIET
                            severity: LOW
                            window: 30m
                            steps:
                              - name: card
                                type: CARD_PAYMENT
                                times: 2+
                              - name: quiet
                                type: CARD_PAYMENT
                                absent: true
                                for: 2m
                        """,
                        "quiet.yaml"));
        send(payment("c1", T0, 499));
        send(payment("c2", T0.plusSeconds(30), 501));
        send(payment("c3", T0.plusSeconds(60), 499));
        send(payment("c4", T0.plusSeconds(60), 50_000));
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.eventIds()).containsExactly("c1", "c2", "c3");
                            assertThat(a.detectedAt()).isEqualTo(T0.plusSeconds(180));
                        });
    }

    @Test
    void everyAcceptedEventIsKeptForTheHorizonThenNothingOfTheRulesRemains() throws Exception {
        open(RuleFiles.parse(RULES, "engine-test.yaml"));
        send(payment("s1", T0, 100));
        send(payment("s2", T0.plusSeconds(10), 200));
        send(payment("big", T0.plusSeconds(20), 10_000));
        send(UserEvent.builder("other", "u1", EventType.EMAIL_CHANGE, T0.plusSeconds(30)).build());
        assertThat(harness.extractOutputValues()).hasSize(1);

        // Every window and the suppression have passed an hour later, but a version arriving now
        // may judge a window reaching back to them: all are kept, the unused one too.
        harness.processBothWatermarks(new Watermark(T0.plus(Duration.ofHours(1)).toEpochMilli()));
        assertThat(DetectionHarness.keptEventIds(harness, "u1"))
                .containsExactly("s1", "s2", "big", "other");

        // The horizon (24 h) after the last event, and the clean-up period (1 min) after that.
        harness.processBothWatermarks(
                new Watermark(
                        T0.plusSeconds(30)
                                .plus(HORIZON)
                                .plus(Duration.ofMinutes(2))
                                .toEpochMilli()));

        assertThat(DetectionHarness.usersWithRuleState(harness)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        // The enrichment's profile alone (prior events, last event time): nothing of the rules.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void anEventNoRuleUsesIsKeptAndUsedByAVersionThatArrivesLater() throws Exception {
        open(RuleFiles.parse(RULES, "engine-test.yaml"));
        send(UserEvent.builder("email", "u1", EventType.EMAIL_CHANGE, T0).build());
        send(payment("mid", T0.plusSeconds(1), 5_000));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(DetectionHarness.keptEventIds(harness, "u1")).containsExactly("email", "mid");

        RuleChange emailThenPayment =
                RuleVersionFixtures.version(
                        1,
                        T0.plus(Duration.ofMinutes(2)),
                        """
                        {"id": "EMAIL_THEN_PAYMENT", "severity": "HIGH", "window": "10m",
                         "steps": [{"name": "email", "type": "EMAIL_CHANGE"},
                                   {"name": "pay", "type": "CARD_PAYMENT",
                                    "where": "amount >= 40.00"}]}
                        """);
        harness.processElement2(new StreamRecord<>(emailThenPayment));
        send(payment("pay", T0.plus(Duration.ofMinutes(3)), 5_000));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.patternId()).isEqualTo("EMAIL_THEN_PAYMENT");
                            assertThat(a.patternVersion())
                                    .isEqualTo(RuleVersionFixtures.patternVersion(emailThenPayment))
                                    .startsWith("1-");
                            assertThat(a.eventIds()).containsExactly("email", "pay");
                            assertThat(a.windowStart()).isEqualTo(T0);
                            assertThat(a.detectedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
                        });
    }

    @Test
    void aMatchContinuesFromRestoredState() throws Exception {
        RuleSet rules = RuleFiles.defaults().only("CARD_TESTING");
        open(rules);
        send(payment("s1", T0, 100));
        send(payment("s2", T0.plusSeconds(10), 200));
        harness.prepareSnapshotPreBarrier(1);
        var snapshot = harness.snapshot(1, T0.toEpochMilli());
        harness.close();
        harness = harness(rules);
        harness.initializeState(snapshot);
        harness.open();
        send(payment("s3", T0.plusSeconds(20), 300));
        send(payment("big", T0.plusSeconds(30), 60_000));

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .singleElement()
                .extracting(Alert::eventIds)
                .isEqualTo(List.of("s1", "s2", "s3", "big"));
    }
}
