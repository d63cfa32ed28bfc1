package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.RefEvents.T0;
import static io.fraudcep.sampledata.fuzz.RefEvents.hours;
import static io.fraudcep.sampledata.fuzz.RefEvents.min;
import static io.fraudcep.sampledata.fuzz.RefEvents.ms;
import static io.fraudcep.sampledata.fuzz.RefEvents.sec;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.alert;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.alerts;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.card;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.change;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.deposit;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.failure;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.lines;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.payeeAdded;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.rules;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.success;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.transferIn;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.transferOut;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The reference interpreter on hand-computed cases, one construct of the language at a time. */
class RuleReferenceTest {

    @Nested
    class StrictContiguity {

        private final RuleSet rules =
                rules(
                        """
                          - id: NEXT_PAYEE
                            severity: LOW
                            window: 5m
                            steps:
                              - name: login
                                type: LOGIN_SUCCESS
                              - name: payee
                                type: PAYEE_ADDED
                                contiguity: strict
                        """);

        @Test
        void aPayeeThatIsTheVeryNextEventMatches() {
            assertThat(alerts(rules, success("l", sec(0), "d0"), payeeAdded("p", sec(10), "x")))
                    .containsExactly(alert("NEXT_PAYEE", sec(10), "l", "p"));
        }

        @Test
        void anyEventInBetweenBreaksIt() {
            assertThat(
                            alerts(
                                    rules,
                                    success("l", sec(0), "d0"),
                                    change("a", sec(5), EventType.ADDRESS_CHANGE),
                                    payeeAdded("p", sec(10), "x")))
                    .isEmpty();
        }

        @Test
        void onlyTheLoginRightBeforeThePayeeIsTaken() {
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", sec(0), "d0"),
                                    success("l2", sec(5), "d0"),
                                    payeeAdded("p", sec(10), "x")))
                    .containsExactly(alert("NEXT_PAYEE", sec(10), "l2", "p"));
        }

        @Test
        void atTheSameInstantTheEventIdDecidesWhichComesNext() {
            assertThat(
                            alerts(
                                    rules,
                                    success("b", sec(0), "d0"),
                                    payeeAdded("c", sec(0), "x"),
                                    change("a", sec(0), EventType.ADDRESS_CHANGE)))
                    .containsExactly(alert("NEXT_PAYEE", sec(0), "b", "c"));
        }
    }

    @Nested
    class AbsenceInTheMiddle {

        private final RuleSet rules =
                rules(
                        """
                          - id: CLEAN_LOGIN_CASHOUT
                            severity: HIGH
                            window: 10m
                            steps:
                              - name: login
                                type: LOGIN_SUCCESS
                              - name: failed
                                type: LOGIN_FAILURE
                                where: deviceId == login.deviceId
                                absent: true
                              - name: out
                                type: TRANSFER_OUT
                        """);

        @Test
        void aForbiddenEventBetweenMovesTheMatchToTheLaterLogin() {
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", min(0), "d0"),
                                    failure("f", min(1), "d0"),
                                    success("l2", min(2), "d0"),
                                    transferOut("t", min(3), "10.00")))
                    .containsExactly(alert("CLEAN_LOGIN_CASHOUT", min(3), "l2", "t"));
        }

        @Test
        void theAbsentStepsWhereReadsTheEarlierStep() {
            // The failure is on another device than the first login: it does not count.
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", min(0), "d0"),
                                    failure("f", min(1), "d9"),
                                    transferOut("t", min(3), "10.00")))
                    .containsExactly(alert("CLEAN_LOGIN_CASHOUT", min(3), "l1", "t"));
        }

        @Test
        void aForbiddenEventBeforeTheOnlyLoginPreventsNothing() {
            assertThat(
                            alerts(
                                    rules,
                                    failure("f", min(0), "d0"),
                                    success("l", min(1), "d0"),
                                    transferOut("t", min(2), "10.00")))
                    .containsExactly(alert("CLEAN_LOGIN_CASHOUT", min(2), "l", "t"));
        }

        @Test
        void noMatchWhenEveryLoginIsFollowedByAFailure() {
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", min(0), "d0"),
                                    success("l2", min(1), "d0"),
                                    failure("f", min(2), "d0"),
                                    transferOut("t", min(3), "10.00")))
                    .isEmpty();
        }
    }

    @Nested
    class AbsenceAtTheEnd {

        private final RuleSet rules =
                rules(
                        """
                          - id: MFA_NOT_RESTORED
                            severity: CRITICAL
                            window: 30m
                            steps:
                              - name: mfaOff
                                type: MFA_DISABLED
                              - name: back
                                type: LOGIN_SUCCESS
                                absent: true
                                for: 10m
                        """);

        @Test
        void firesAtTheDeadlineWithThePresentEvents() {
            assertThat(
                            alerts(
                                    rules,
                                    change("m", min(0), EventType.MFA_DISABLED),
                                    success("late", min(10).plus(ms(1)), "d0")))
                    .containsExactly(alert("MFA_NOT_RESTORED", min(10), "m"));
        }

        @Test
        void anEventExactlyAtTheDeadlineCancelsIt() {
            assertThat(
                            alerts(
                                    rules,
                                    change("m", min(0), EventType.MFA_DISABLED),
                                    success("s", min(10), "d0")))
                    .isEmpty();
        }

        @Test
        void anEventAtTheSameInstantAsTheLastPresentOneIsNotAfterIt() {
            // (t_p, t_p + for] is a range of time: "z" sorts after "m" but is not later.
            assertThat(
                            alerts(
                                    rules,
                                    change("m", min(0), EventType.MFA_DISABLED),
                                    success("z", min(0), "d0")))
                    .containsExactly(alert("MFA_NOT_RESTORED", min(10), "m"));
        }

        @Test
        void deadlinesAfterTheLastEventFireOnlyWhenAllDeadlinesAreAskedFor() {
            List<UserEvent> log =
                    List.of(
                            change("m1", min(0), EventType.MFA_DISABLED),
                            deposit("d", min(40), "1.00"),
                            change("m2", min(45), EventType.MFA_DISABLED));

            assertThat(lines(RuleReference.detect(rules, log, RuleReference.Deadlines.ALL)))
                    .containsExactly(
                            alert("MFA_NOT_RESTORED", min(10), "m1"),
                            alert("MFA_NOT_RESTORED", min(55), "m2"));
            assertThat(
                            lines(
                                    RuleReference.detect(
                                            rules, log, RuleReference.Deadlines.UP_TO_LAST_EVENT)))
                    .containsExactly(alert("MFA_NOT_RESTORED", min(10), "m1"));
        }

        @Test
        void aDeadlineEqualToTheLastEventTimeFires() {
            List<UserEvent> log =
                    List.of(
                            change("m", min(0), EventType.MFA_DISABLED),
                            deposit("d", min(10), "1.00"));

            assertThat(
                            lines(
                                    RuleReference.detect(
                                            rules, log, RuleReference.Deadlines.UP_TO_LAST_EVENT)))
                    .containsExactly(alert("MFA_NOT_RESTORED", min(10), "m"));
            assertThat(lines(RuleReference.detect(rules, log, T0.plus(min(10)).minusNanos(1))))
                    .isEmpty();
        }

        @Test
        void suppressionCountsFromTheDeadline() {
            // Deadlines at 10, 35 (suppressed: less than 30 min after 10) and 40 min.
            assertThat(
                            alerts(
                                    rules,
                                    change("m1", min(0), EventType.MFA_DISABLED),
                                    change("m2", min(25), EventType.MFA_DISABLED),
                                    change("m3", min(30), EventType.MFA_DISABLED)))
                    .containsExactly(
                            alert("MFA_NOT_RESTORED", min(10), "m1"),
                            alert("MFA_NOT_RESTORED", min(40), "m3"));
        }
    }

    @Nested
    class Having {

        private final RuleSet rules =
                rules(
                        """
                          - id: PASS_THROUGH
                            severity: HIGH
                            window: 1h
                            params:
                              ratio: 0.50
                            steps:
                              - name: in
                                type: TRANSFER_IN
                              - name: out
                                type: [TRANSFER_OUT, WITHDRAWAL]
                                times: 1+
                                having: sum(out.amount) >= $ratio * in.amount
                        """);

        @Test
        void triggersOnEveryOutflowOnceTheRunningTotalIsReached() {
            assertThat(
                            alerts(
                                    rules,
                                    transferIn("in", min(0), "100.00"),
                                    transferOut("o1", min(1), "20.00"),
                                    withdrawal("o2", min(2), "29.99"),
                                    withdrawal("o3", min(3), "0.01"),
                                    transferOut("o4", min(4), "1.00")))
                    // o3 reaches exactly 50.00 and alerts; o4 triggers but is suppressed.
                    .containsExactly(alert("PASS_THROUGH", min(3), "in", "o1", "o2", "o3"));
        }

        @Test
        void distinctCountsValues() {
            RuleSet stuffing =
                    rules(
                            """
                              - id: STUFFING
                                severity: HIGH
                                window: 10m
                                steps:
                                  - name: fails
                                    type: LOGIN_FAILURE
                                    times: 2+
                                    having: distinct(fails.deviceId) >= 3
                                  - name: ok
                                    type: LOGIN_SUCCESS
                            """);
            assertThat(
                            alerts(
                                    stuffing,
                                    failure("f1", min(0), "a"),
                                    failure("f2", min(1), "b"),
                                    failure("f3", min(2), "a"),
                                    success("s1", min(3), "a"),
                                    failure("f4", min(4), "c"),
                                    success("s2", min(5), "a")))
                    .containsExactly(alert("STUFFING", min(5), "f1", "f2", "f3", "f4", "s2"));
        }
    }

    @Nested
    class TimesUnderTheClosureReading {

        private static final String SMALLS =
                """
                  - id: SMALLS
                    severity: LOW
                    window: 10m
                    steps:
                      - name: small
                        type: CARD_PAYMENT
                        where: amount < 10.00
                        times: %s
                        having: sum(small.amount) >= 10.00
                      - name: large
                        type: CARD_PAYMENT
                        where: amount >= 100.00
                """;

        private final UserEvent[] log = {
            card("p1", min(0), "6.00"),
            card("p2", min(1), "1.00"),
            card("p3", min(2), "6.00"),
            card("big", min(3), "100.00")
        };

        @Test
        void exactlyTwoCannotSkipTheQualifyingEventBetween() {
            // {p1, p3} would reach 10.00, but a step takes every qualifying event between its
            // first and its last: {p1, p2} and {p2, p3} total 7.00 and {p1, p2, p3} is three.
            assertThat(alerts(rules(SMALLS.formatted("2")), log)).isEmpty();
        }

        @Test
        void twoToThreeTakesTheWholeRun() {
            assertThat(alerts(rules(SMALLS.formatted("2..3")), log))
                    .containsExactly(alert("SMALLS", min(3), "p1", "p2", "p3", "big"));
        }

        @Test
        void aNonQualifyingEventBetweenIsNotTaken() {
            assertThat(
                            alerts(
                                    rules(SMALLS.formatted("2")),
                                    card("p1", min(0), "6.00"),
                                    card("mid", min(1), "50.00"),
                                    card("p3", min(2), "6.00"),
                                    card("big", min(3), "100.00")))
                    .containsExactly(alert("SMALLS", min(3), "p1", "p3", "big"));
        }

        @Test
        void anUpperBoundLeavesTheEarliestRunOfThatLength() {
            // 1..2 over p1 p2 p3: the earliest first event (p1), then the most events (p1, p2).
            assertThat(
                            alerts(
                                    rules(
                                            SMALLS.formatted("1..2")
                                                    .replace(
                                                            "having: sum(small.amount) >= 10.00",
                                                            "having: count(small) >= 1")),
                                    log))
                    .containsExactly(alert("SMALLS", min(3), "p1", "p2", "big"));
        }
    }

    @Nested
    class CanonicalMatch {

        @Test
        void earliestLoginThenEarliestChange() {
            RuleSet rules =
                    rules(
                            """
                              - id: TAKEOVER
                                severity: CRITICAL
                                window: 30m
                                steps:
                                  - name: login
                                    type: LOGIN_SUCCESS
                                  - name: change
                                    type: [PASSWORD_CHANGE, EMAIL_CHANGE]
                                  - name: out
                                    type: TRANSFER_OUT
                            """);
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", min(0), "d0"),
                                    success("l2", min(1), "d0"),
                                    change("c1", min(2), EventType.EMAIL_CHANGE),
                                    change("c2", min(3), EventType.PASSWORD_CHANGE),
                                    transferOut("t", min(4), "1.00")))
                    .containsExactly(alert("TAKEOVER", min(4), "l1", "c1", "t"));
        }

        @Test
        void theEarliestFirstEventWinsOverMoreEvents() {
            RuleSet rules =
                    rules(
                            """
                              - id: IN_OUT
                                severity: LOW
                                window: 1h
                                steps:
                                  - name: in
                                    type: DEPOSIT
                                  - name: out
                                    type: WITHDRAWAL
                                    times: 1+
                                    where: amount >= in.amount
                                  - name: away
                                    type: TRANSFER_OUT
                            """);
            // From d1 (50.00) only w3 qualifies; from d2 (10.00) w1, w2 and w3 do.
            assertThat(
                            alerts(
                                    rules,
                                    deposit("d1", min(0), "50.00"),
                                    deposit("d2", min(1), "10.00"),
                                    withdrawal("w1", min(2), "10.00"),
                                    withdrawal("w2", min(3), "20.00"),
                                    withdrawal("w3", min(4), "60.00"),
                                    transferOut("t", min(5), "1.00")))
                    .containsExactly(alert("IN_OUT", min(5), "d1", "w3", "t"));
        }

        @Test
        void forOneFirstEventTheMostEventsWin() {
            RuleSet rules =
                    rules(
                            """
                              - id: CASH_RUN
                                severity: LOW
                                window: 1h
                                steps:
                                  - name: in
                                    type: TRANSFER_IN
                                  - name: out
                                    type: WITHDRAWAL
                                    times: 1+
                                  - name: last
                                    type: DEPOSIT
                            """);
            assertThat(
                            alerts(
                                    rules,
                                    transferIn("in", min(0), "1.00"),
                                    withdrawal("w1", min(1), "1.00"),
                                    withdrawal("w2", min(2), "1.00"),
                                    withdrawal("w3", min(3), "1.00"),
                                    deposit("d", min(4), "1.00")))
                    .containsExactly(alert("CASH_RUN", min(4), "in", "w1", "w2", "w3", "d"));
        }

        @Test
        void theWindowDropsTheFirstEventAtExactlyW() {
            RuleSet rules =
                    rules(
                            """
                              - id: PAIR
                                severity: LOW
                                window: 10m
                                steps:
                                  - name: a
                                    type: DEPOSIT
                                  - name: b
                                    type: WITHDRAWAL
                            """);
            assertThat(
                            alerts(
                                    rules,
                                    deposit("d1", min(0), "1.00"),
                                    deposit("d2", min(0).plusNanos(1), "1.00"),
                                    withdrawal("w", min(10), "1.00")))
                    .containsExactly(alert("PAIR", min(10), "d2", "w"));
        }
    }

    @Nested
    class Suppression {

        private final RuleSet rules =
                rules(
                        """
                          - id: DEPOSITS
                            severity: LOW
                            mode: shadow
                            window: 5m
                            steps:
                              - name: deposits
                                type: DEPOSIT
                                times: 2+
                        """);

        @Test
        void aTriggerExactlyWAfterTheLastAlertAlertsAgain() {
            assertThat(
                            alerts(
                                    rules,
                                    deposit("d1", sec(0), "1.00"),
                                    deposit("d2", sec(10), "1.00"),
                                    deposit("d3", min(5).plus(sec(10)).minusNanos(1), "1.00"),
                                    deposit("d4", min(5).plus(sec(10)), "1.00")))
                    .containsExactly(
                            alert("DEPOSITS", sec(10), "d1", "d2"),
                            // The window (t - 5m, t] of d4 starts after d2: d3 and d4.
                            alert("DEPOSITS", min(5).plus(sec(10)), "d3", "d4"));
        }

        @Test
        void alertsCarryTheRulesModeAndTheirFields() {
            List<RefRuleAlert> found =
                    RuleReference.detect(
                            rules,
                            List.of(deposit("d2", sec(10), "1.00"), deposit("d1", sec(0), "1.00")),
                            RuleReference.Deadlines.ALL);

            assertThat(found)
                    .containsExactly(
                            new RefRuleAlert(
                                    "DEPOSITS",
                                    "u-1",
                                    T0,
                                    T0.plus(sec(10)),
                                    List.of("d1", "d2"),
                                    RuleMode.SHADOW,
                                    RuleCanonical.patternVersion(rules.rule("DEPOSITS"))));
        }

        @Test
        void suppressionIsPerUserAndPerRule() {
            RuleSet two =
                    rules(
                            """
                              - id: ONE
                                severity: LOW
                                window: 1h
                                steps:
                                  - name: d
                                    type: DEPOSIT
                              - id: TWO
                                severity: LOW
                                window: 1h
                                steps:
                                  - name: d
                                    type: DEPOSIT
                            """);
            List<UserEvent> log =
                    List.of(
                            deposit("a1", sec(0), "1.00"),
                            deposit("a2", sec(1), "1.00"),
                            RuleEvents.event(
                                    "u-2", "b1", EventType.DEPOSIT, sec(2), b -> b.amount("1.00")));

            assertThat(
                            RuleReference.detect(two, log, RuleReference.Deadlines.ALL).stream()
                                    .map(a -> a.userId() + " " + a.ruleId() + " " + a.eventIds())
                                    .toList())
                    .containsExactly(
                            "u-1 ONE [a1]", "u-1 TWO [a1]", "u-2 ONE [b1]", "u-2 TWO [b1]");
        }
    }

    @Nested
    class AcceptedEventsAndFacts {

        @Test
        void aRetriedEventCountsOnceAndDisabledRulesAreNotEvaluated() {
            RuleSet rules =
                    rules(
                            """
                              - id: TWICE
                                severity: LOW
                                window: 1h
                                steps:
                                  - name: d
                                    type: DEPOSIT
                                    times: 2
                              - id: SWITCHED_OFF
                                severity: LOW
                                mode: disabled
                                window: 1h
                                steps:
                                  - name: d
                                    type: DEPOSIT
                            """);
            assertThat(
                            alerts(
                                    rules,
                                    deposit("d1", min(0), "1.00"),
                                    deposit("d1", min(0), "1.00"),
                                    deposit("d1", hours(23), "1.00")))
                    .isEmpty();
        }

        @Test
        void factsAreReadFromTheAcceptedSequence() {
            RuleSet rules =
                    rules(
                            """
                              - id: FACTS
                                severity: LOW
                                window: 1h
                                params:
                                  quiet: 1h
                                steps:
                                  - name: login
                                    type: LOGIN_SUCCESS
                                    where: newDevice and priorEvents == 2 and sincePreviousEvent >= $quiet
                            """);
            assertThat(
                            alerts(
                                    rules,
                                    success("l1", hours(0), "d0"),
                                    success("l2", hours(1), "d0"),
                                    success("l3", hours(2), "d1"),
                                    success("l4", hours(4), "d2")))
                    .containsExactly(alert("FACTS", hours(2), "l3"));
        }
    }
}
