package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.RefEvents.T0;
import static io.fraudcep.sampledata.fuzz.RefEvents.min;
import static io.fraudcep.sampledata.fuzz.RefEvents.sec;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.card;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.success;
import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.transferOut;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference interpreter on rule histories (rules.md, "Rule versions on the control topic"):
 * hand-computed cases of versions taking effect in the middle of a user's activity, each alert
 * shown as "ruleId mode detectedAt [eventIds] vN" with N the version that judged it; then the
 * history with the rule file alone against the former reading of a static rule file, and properties
 * of the alerts of random histories.
 */
class RuleHistoryReferenceTest {

    /** A velocity rule: at least {@code $minPayments} card payments less than W apart. */
    private static String velocity(String mode, String window, int minPayments) {
        return """
                  - id: VELO
                    severity: MEDIUM
                    mode: %s
                    window: %s
                    params:
                      minPayments: %d
                    steps:
                      - name: payments
                        type: CARD_PAYMENT
                        times: $minPayments+
                """
                .formatted(mode, window, minPayments);
    }

    /** A rule file of version "0" holding one rule: version 0 of its id. */
    private static RuleSet file(String ruleYaml) {
        return RuleFiles.parse("version: \"0\"\nrules:\n" + ruleYaml, "rules.yaml");
    }

    /** Version {@code version} of the control topic, in force from T0 + {@code at}. */
    private static RuleVersion version(long version, Duration at, String ruleYaml) {
        Rule rule =
                RuleFiles.parse("version: \"" + version + "\"\nrules:\n" + ruleYaml, "topic")
                        .rules()
                        .get(0);
        return new RuleVersion(rule.id(), version, T0.plus(at), rule);
    }

    private static RuleHistory history(RuleSet base, RuleVersion... versions) {
        return new RuleHistory(base, List.of(versions));
    }

    /** {@code n} card payments p{first}, p{first+1}, ... every {@code every} from {@code start}. */
    private static List<UserEvent> payments(int first, int n, Duration start, Duration every) {
        List<UserEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(card("p" + (first + i), start.plus(every.multipliedBy(i)), "10.00"));
        }
        return out;
    }

    /** The ids p{from} to p{to}. */
    private static String[] ps(int from, int to) {
        String[] ids = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            ids[i - from] = "p" + i;
        }
        return ids;
    }

    private static String[] ids(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static List<String> alerts(RuleHistory history, List<UserEvent> log) {
        return RuleReference.detect(history, log, RuleReference.Deadlines.ALL).stream()
                .map(RuleHistoryReferenceTest::line)
                .toList();
    }

    private static String line(RefRuleAlert a) {
        String version = a.patternVersion().substring(0, a.patternVersion().lastIndexOf('-'));
        return String.join(
                " ",
                a.ruleId(),
                a.mode().name().toLowerCase(Locale.ROOT),
                a.detectedAt().toString(),
                a.eventIds().toString(),
                "v" + version);
    }

    private static String alert(
            String ruleId, String mode, Duration detectedAt, long version, String... eventIds) {
        return String.join(
                " ",
                ruleId,
                mode,
                T0.plus(detectedAt).toString(),
                List.of(eventIds).toString(),
                "v" + version);
    }

    @Nested
    class ThresholdChangedMidBurst {

        /** Card payments p0 to p9, one every 10 s from T0. */
        private final List<UserEvent> burst = payments(0, 10, sec(0), sec(10));

        @Test
        void aLoweredThresholdJudgesTheWholeWindowAtTheFirstPaymentAfterItTakesEffect() {
            RuleSet base = file(velocity("active", "5m", 5));
            RuleVersion lowered = version(1, sec(25), velocity("active", "5m", 3));

            // The file alone: the fifth payment.
            assertThat(alerts(RuleHistory.of(base), burst))
                    .containsExactly(alert("VELO", "active", sec(40), 0, ps(0, 4)));
            // From 25 s on, 3 payments are enough: at p3 (30 s) the window holds p0 to p3, the
            // three before the version took effect included.
            assertThat(alerts(history(base, lowered), burst))
                    .containsExactly(alert("VELO", "active", sec(30), 1, ps(0, 3)));
        }

        @Test
        void aRaisedThresholdTakesOverBeforeTheFileVersionWouldHaveFired() {
            RuleSet base = file(velocity("active", "5m", 3));
            RuleVersion raised = version(1, sec(15), velocity("active", "5m", 6));

            assertThat(alerts(RuleHistory.of(base), burst))
                    .containsExactly(alert("VELO", "active", sec(20), 0, ps(0, 2)));
            // p2 (20 s) is judged by version 1: 3 payments are not 6; the sixth (50 s) is.
            assertThat(alerts(history(base, raised), burst))
                    .containsExactly(alert("VELO", "active", sec(50), 1, ps(0, 5)));
        }

        @Test
        void theAlertCarriesThePatternVersionOfTheVersionThatJudgedIt() {
            RuleSet base = file(velocity("active", "5m", 5));
            RuleVersion lowered = version(1, sec(25), velocity("active", "5m", 3));

            List<RefRuleAlert> found =
                    RuleReference.detect(
                            history(base, lowered), burst, RuleReference.Deadlines.ALL);

            assertThat(found).hasSize(1);
            assertThat(found.get(0).patternVersion())
                    .isEqualTo(RuleCanonical.patternVersion(lowered.rule()))
                    .startsWith("1-")
                    .isNotEqualTo(RuleCanonical.patternVersion(base.rule("VELO")));
        }

        @Test
        void aVersionInForceAtTheVeryInstantOfAnEventJudgesIt() {
            RuleSet base = file(velocity("active", "5m", 5));
            // effectiveFrom <= t_e: the version taking effect at p3's instant judges p3.
            RuleVersion lowered = version(1, sec(30), velocity("active", "5m", 3));

            assertThat(alerts(history(base, lowered), burst))
                    .containsExactly(alert("VELO", "active", sec(30), 1, ps(0, 3)));
        }

        @Test
        void ofTwoVersionsTakingEffectAtOneInstantTheHigherOneIsInForce() {
            RuleSet base = file(velocity("active", "5m", 9));
            RuleVersion three = version(1, sec(25), velocity("active", "5m", 3));
            RuleVersion four = version(2, sec(25), velocity("active", "5m", 4));

            // Version 2 judges from 25 s on, whatever the order of the records: at p3 (30 s) four
            // payments.
            assertThat(alerts(history(base, four, three), burst))
                    .containsExactly(alert("VELO", "active", sec(30), 2, ps(0, 3)));
        }
    }

    @Nested
    class WindowChanged {

        @Test
        void aShortenedWindowMatchesAndSuppressesWithTheNewLength() {
            RuleSet base = file(velocity("active", "5m", 3));
            RuleVersion shorter = version(1, sec(125), velocity("active", "1m", 3));
            List<UserEvent> log =
                    List.of(
                            card("p0", sec(0), "10.00"),
                            card("p1", sec(30), "10.00"),
                            card("p2", sec(60), "10.00"),
                            card("p3", sec(120), "10.00"),
                            card("p4", sec(130), "10.00"),
                            card("p5", sec(140), "10.00"));

            // The file alone: p2 alerts, p3 to p5 trigger within 5 min of it.
            assertThat(alerts(RuleHistory.of(base), log))
                    .containsExactly(alert("VELO", "active", sec(60), 0, ps(0, 2)));
            // Version 1: p4's window (70 s, 130 s] holds two payments; p5's (80 s, 140 s] three,
            // p3 (before the version took effect) included; 140 s is at least 1 min after 60 s.
            assertThat(alerts(history(base, shorter), log))
                    .containsExactly(
                            alert("VELO", "active", sec(60), 0, ps(0, 2)),
                            alert("VELO", "active", sec(140), 1, ps(3, 5)));
        }

        @Test
        void aLengthenedWindowReachesBackBeforeItTookEffectAndSuppressesLonger() {
            RuleSet base = file(velocity("active", "1m", 3));
            RuleVersion longer = version(1, sec(100), velocity("active", "10m", 3));
            List<UserEvent> log =
                    List.of(
                            card("p0", sec(0), "10.00"),
                            card("p1", sec(40), "10.00"),
                            card("p2", sec(80), "10.00"),
                            card("p3", sec(110), "10.00"),
                            card("p4", sec(300), "10.00"),
                            card("p5", sec(310), "10.00"),
                            card("p6", sec(320), "10.00"));

            // The file alone: never three payments within a minute until p4 to p6.
            assertThat(alerts(RuleHistory.of(base), log))
                    .containsExactly(alert("VELO", "active", sec(320), 0, ps(4, 6)));
            // Version 1 at p3: (110 s - 10 min, 110 s] holds p0 to p3; p4 to p6 then trigger
            // within 10 min of that alert.
            assertThat(alerts(history(base, longer), log))
                    .containsExactly(alert("VELO", "active", sec(110), 1, ps(0, 3)));
        }
    }

    @Nested
    class ShadowVersions {

        @Test
        void activeAndShadowAlertsNeverSuppressEachOther() {
            RuleSet base = file(velocity("active", "5m", 3));
            RuleVersion shadow = version(1, sec(45), velocity("shadow", "5m", 3));
            RuleVersion active = version(2, sec(300), velocity("active", "5m", 3));
            List<UserEvent> log = new ArrayList<>(payments(0, 11, sec(0), sec(10)));
            log.add(card("q0", sec(330), "10.00"));
            log.add(card("q1", sec(340), "10.00"));
            log.add(card("q2", sec(350), "10.00"));

            assertThat(alerts(history(base, shadow, active), log))
                    .containsExactly(
                            alert("VELO", "active", sec(20), 0, ps(0, 2)),
                            // The active alert at 20 s does not suppress the shadow version.
                            alert("VELO", "shadow", sec(50), 1, ps(0, 5)),
                            // At least 5 min after the last active alert (20 s), though not after
                            // the shadow one (50 s): q0's window (30 s, 330 s] is p4 to p10 and q0.
                            alert("VELO", "active", sec(330), 2, ids(ps(4, 10), "q0")));
        }

        @Test
        void aShadowAlertDoesNotSuppressTheActiveVersionThatFollowsIt() {
            RuleSet base = file(velocity("shadow", "5m", 3));
            RuleVersion active = version(1, sec(45), velocity("active", "5m", 3));

            assertThat(alerts(history(base, active), payments(0, 10, sec(0), sec(10))))
                    .containsExactly(
                            alert("VELO", "shadow", sec(20), 0, ps(0, 2)),
                            alert("VELO", "active", sec(50), 1, ps(0, 5)));
        }
    }

    @Nested
    class DisabledThenReEnabled {

        private final RuleSet base = file(velocity("active", "5m", 3));
        private final RuleVersion disabled = version(1, sec(25), velocity("disabled", "5m", 3));

        /** p0 to p10 every 10 s from T0, r0 at 210 s and r1 at 320 s. */
        private final List<UserEvent> log =
                List.of(
                        card("p0", sec(0), "10.00"),
                        card("p1", sec(10), "10.00"),
                        card("p2", sec(20), "10.00"),
                        card("p3", sec(30), "10.00"),
                        card("p4", sec(40), "10.00"),
                        card("p5", sec(50), "10.00"),
                        card("p6", sec(60), "10.00"),
                        card("p7", sec(70), "10.00"),
                        card("p8", sec(80), "10.00"),
                        card("p9", sec(90), "10.00"),
                        card("p10", sec(100), "10.00"),
                        card("r0", sec(210), "10.00"),
                        card("r1", sec(320), "10.00"));

        @Test
        void suppressionCountsAcrossTheGapFromTheLastAlertOfTheSameMode() {
            RuleVersion enabled = version(2, sec(200), velocity("active", "5m", 3));

            // Nothing triggers from 25 s to 200 s; r0 triggers but is within 5 min of the alert
            // at 20 s; r1 is exactly 5 min after it.
            assertThat(alerts(history(base, disabled, enabled), log))
                    .containsExactly(
                            alert("VELO", "active", sec(20), 0, ps(0, 2)),
                            alert("VELO", "active", sec(320), 2, ids(ps(3, 10), "r0", "r1")));
        }

        @Test
        void reEnabledInShadowItAlertsAtOnceAndSuppressesOnlyItself() {
            RuleVersion shadow = version(2, sec(200), velocity("shadow", "5m", 3));

            assertThat(alerts(history(base, disabled, shadow), log))
                    .containsExactly(
                            alert("VELO", "active", sec(20), 0, ps(0, 2)),
                            alert("VELO", "shadow", sec(210), 2, ids(ps(0, 10), "r0")));
        }

        @Test
        void aDisabledVersionJudgesNothingEvenWithMatchesInItsWindow() {
            assertThat(alerts(history(base, disabled), log))
                    .containsExactly(alert("VELO", "active", sec(20), 0, ps(0, 2)));
        }
    }

    @Nested
    class AbsenceVersions {

        /** A login, then no transfer out for {@code forDuration}. */
        private static String quiet(String forDuration) {
            return """
                      - id: QUIET
                        severity: HIGH
                        window: 5m
                        steps:
                          - name: login
                            type: LOGIN_SUCCESS
                          - name: transfer
                            type: TRANSFER_OUT
                            absent: true
                            for: %s
                    """
                    .formatted(forDuration);
        }

        /** A login, then a transfer out. */
        private static final String LOGIN_TRANSFER =
                """
                  - id: QUIET
                    severity: HIGH
                    window: 5m
                    steps:
                      - name: login
                        type: LOGIN_SUCCESS
                      - name: transfer
                        type: TRANSFER_OUT
                """;

        private final RuleSet base = file(quiet("10m"));

        @Test
        void aDeadlineFallingAfterALaterVersionTookEffectIsNotATrigger() {
            List<UserEvent> log = List.of(success("l0", sec(0), "d0"));
            RuleVersion events = version(1, min(5), LOGIN_TRANSFER);

            assertThat(alerts(RuleHistory.of(base), log))
                    .containsExactly(alert("QUIET", "active", min(10), 0, "l0"));
            assertThat(alerts(history(base, events), log)).isEmpty();
        }

        @Test
        void aVersionTakingEffectExactlyAtTheDeadlineJudgesIt() {
            List<UserEvent> log = List.of(success("l0", sec(0), "d0"));

            assertThat(alerts(history(base, version(1, min(10), LOGIN_TRANSFER)), log)).isEmpty();
            assertThat(
                            alerts(
                                    history(
                                            base,
                                            version(1, min(10).plusMillis(1), LOGIN_TRANSFER)),
                                    log))
                    .containsExactly(alert("QUIET", "active", min(10), 0, "l0"));
        }

        @Test
        void eachDeadlineIsJudgedByTheVersionInForceAtIt() {
            // Version 1 waits 2 min: l0's deadlines are 10 min (version 1 in force, not version 0)
            // and 2 min (version 0 in force, not version 1): neither triggers. l1's 2-min deadline
            // (8 min) is version 1's.
            List<UserEvent> log = List.of(success("l0", sec(0), "d0"), success("l1", min(6), "d0"));

            assertThat(alerts(history(base, version(1, min(5), quiet("2m"))), log))
                    .containsExactly(alert("QUIET", "active", min(8), 1, "l1"));
        }

        @Test
        void aLongerWaitJudgesALoginFromBeforeItTookEffect() {
            List<UserEvent> log = List.of(success("l0", sec(0), "d0"));

            assertThat(alerts(history(base, version(1, min(5), quiet("20m"))), log))
                    .containsExactly(alert("QUIET", "active", min(20), 1, "l0"));
        }

        @Test
        void anEventVersionAndAnAbsenceVersionOfOneIdShareItsSuppression() {
            // Version 1 alerts at t1 (1 min) on l0 and t1; version 2, from 2 min, at l1's
            // deadline (3 min + 10 min), more than 5 min after 1 min; l2's deadline (5 min + 10
            // min) is within 5 min of that.
            List<UserEvent> log =
                    List.of(
                            success("l0", sec(0), "d0"),
                            transferOut("t1", min(1), "10.00"),
                            success("l1", min(3), "d0"),
                            success("l2", min(5), "d0"));
            RuleSet events = file(LOGIN_TRANSFER);

            assertThat(alerts(history(events, version(1, min(2), quiet("10m"))), log))
                    .containsExactly(
                            alert("QUIET", "active", min(1), 0, "l0", "t1"),
                            alert("QUIET", "active", min(13), 1, "l1"));
        }
    }

    @Nested
    class TheRuleFileAlone {

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {3, 5})
        void givesWhatTheFormerStaticReadingGives(long seed) {
            List<UserEvent> log =
                    DenseLogGenerator.generate(seed, new DenseLogOptions(20, 165)).events();
            for (long rulesSeed = seed * 10; rulesSeed < seed * 10 + 4; rulesSeed++) {
                RuleSet set = RuleFiles.parse(RandomRules.generate(rulesSeed), "random.yaml");

                List<RefRuleAlert> fromHistory =
                        RuleReference.detect(RuleHistory.of(set), log, RuleReference.Deadlines.ALL);

                assertThat(fromHistory)
                        .isEqualTo(RuleReference.detect(set, log, RuleReference.Deadlines.ALL))
                        .isEqualTo(StaticReading.detect(set, log));
            }
        }

        @Test
        void republishingEveryRuleUnchangedChangesOnlyThePatternVersionFromThen() {
            List<UserEvent> log =
                    DenseLogGenerator.generate(4, new DenseLogOptions(25, 165)).events();
            RuleSet set = RuleFiles.parse(RandomRules.generate(41), "random.yaml");
            Instant at = median(log);
            List<RuleVersion> republished = new ArrayList<>();
            for (Rule r : set.rules()) {
                Rule same =
                        new Rule(
                                r.id(),
                                r.description(),
                                r.severity(),
                                r.mode(),
                                r.window(),
                                r.params(),
                                r.steps(),
                                r.summary(),
                                "1");
                republished.add(new RuleVersion(r.id(), 1, at, same));
            }

            List<RefRuleAlert> before = RuleReference.detect(set, log, RuleReference.Deadlines.ALL);
            List<RefRuleAlert> after =
                    RuleReference.detect(
                            new RuleHistory(set, republished), log, RuleReference.Deadlines.ALL);

            assertThat(before).isNotEmpty();
            assertThat(after).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                RefRuleAlert a = before.get(i);
                RefRuleAlert b = after.get(i);
                assertThat(withoutPatternVersion(b)).isEqualTo(withoutPatternVersion(a));
                String hash = a.patternVersion().substring(a.patternVersion().lastIndexOf('-'));
                assertThat(b.patternVersion())
                        .isEqualTo(b.detectedAt().isBefore(at) ? a.patternVersion() : "1" + hash);
            }
        }

        private static RefRuleAlert withoutPatternVersion(RefRuleAlert a) {
            return new RefRuleAlert(
                    a.ruleId(),
                    a.userId(),
                    a.windowStart(),
                    a.detectedAt(),
                    a.eventIds(),
                    a.mode(),
                    null);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RandomHistories {

        /** One random case: a dense log, a random history on a random rule file, its alerts. */
        private record Case(
                long seed, List<UserEvent> log, RuleHistory history, List<RefRuleAlert> alerts) {}

        private final List<Case> cases = new ArrayList<>();

        @BeforeAll
        void detectOnSixSeeds() {
            for (long seed = 1; seed <= 6; seed++) {
                List<UserEvent> log =
                        DenseLogGenerator.generate(seed, new DenseLogOptions(20, 165)).events();
                RuleSet base = RuleFiles.parse(RandomRules.generate(seed + 100), "random.yaml");
                RuleHistory history =
                        RandomRuleHistories.generate(seed, base, first(log), median(log));
                cases.add(
                        new Case(
                                seed,
                                log,
                                history,
                                RuleReference.detect(history, log, RuleReference.Deadlines.ALL)));
            }
        }

        @Test
        void everyAlertIsJudgedByTheVersionInForceAtItsInstantAndSuppressedByItsWindow() {
            for (Case c : cases) {
                Map<String, RefRuleAlert> last = new HashMap<>();
                for (RefRuleAlert a : c.alerts()) {
                    RuleVersion judge = c.history().inForce(a.ruleId(), a.detectedAt());
                    assertThat(judge).as("seed %d: in force at %s", c.seed(), a).isNotNull();
                    assertThat(a.mode())
                            .isEqualTo(judge.rule().mode())
                            .isNotEqualTo(RuleMode.DISABLED);
                    assertThat(a.patternVersion())
                            .isEqualTo(RuleCanonical.patternVersion(judge.rule()));
                    assertThat(Duration.between(a.windowStart(), lastPresent(c.log(), a)))
                            .isLessThan(judge.rule().window());
                    String key = a.userId() + " " + a.ruleId() + " " + a.mode();
                    RefRuleAlert previous = last.put(key, a);
                    if (previous != null) {
                        assertThat(a.detectedAt())
                                .as("seed %d: %s after %s", c.seed(), a, previous)
                                .isAfterOrEqualTo(
                                        previous.detectedAt().plus(judge.rule().window()));
                    }
                }
            }
        }

        @Test
        void randomHistoriesGiveAlertsOfSeveralVersionsOfOneIdInBothModes() {
            Set<RuleMode> modes = new HashSet<>();
            int idsWithSeveralVersions = 0;
            for (Case c : cases) {
                Map<String, Set<String>> byId = new TreeMap<>();
                for (RefRuleAlert a : c.alerts()) {
                    byId.computeIfAbsent(a.ruleId(), k -> new HashSet<>()).add(a.patternVersion());
                    modes.add(a.mode());
                }
                idsWithSeveralVersions +=
                        (int) byId.values().stream().filter(v -> v.size() > 1).count();
            }

            assertThat(idsWithSeveralVersions).isGreaterThanOrEqualTo(2);
            assertThat(modes).contains(RuleMode.ACTIVE, RuleMode.SHADOW);
        }
    }

    private static Instant first(List<UserEvent> log) {
        return log.stream().map(UserEvent::timestamp).min(Instant::compareTo).orElseThrow();
    }

    /** The median event time of the log: half the events are before it. */
    private static Instant median(List<UserEvent> log) {
        List<Instant> times = new ArrayList<>(log.stream().map(UserEvent::timestamp).toList());
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    /** The time of the alert's last matched event. */
    private static Instant lastPresent(List<UserEvent> log, RefRuleAlert a) {
        String id = a.eventIds().get(a.eventIds().size() - 1);
        Instant found = null;
        for (UserEvent e : log) {
            if (e.userId().equals(a.userId())
                    && e.eventId().equals(id)
                    && !e.timestamp().isAfter(a.detectedAt())
                    && (found == null || e.timestamp().isAfter(found))) {
                found = e.timestamp();
            }
        }
        return found;
    }

    /**
     * The reading of a static rule file before rule histories, kept as written then: per rule, the
     * triggers in event order, suppressed per (user, rule).
     */
    private static final class StaticReading {

        static List<RefRuleAlert> detect(RuleSet rules, List<UserEvent> log) {
            Map<String, List<UserEvent>> byUser = new TreeMap<>();
            for (UserEvent e : log) {
                byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
            }
            List<RefRuleAlert> alerts = new ArrayList<>();
            for (List<UserEvent> userEvents : byUser.values()) {
                List<EnrichedEvent> accepted = AcceptedLog.of(userEvents);
                for (Rule rule : rules.evaluatedRules()) {
                    alerts.addAll(alerts(RuleSearch.of(rule), accepted));
                }
            }
            alerts.sort(
                    java.util.Comparator.comparing(RefRuleAlert::userId)
                            .thenComparing(RefRuleAlert::detectedAt)
                            .thenComparing(RefRuleAlert::ruleId));
            return alerts;
        }

        private static List<RefRuleAlert> alerts(RuleSearch search, List<EnrichedEvent> events) {
            Rule rule = search.rule();
            Duration window = rule.window();
            Duration forDuration = search.forDuration();
            List<RefRuleAlert> alerts = new ArrayList<>();
            Instant lastAlert = null;
            int lo = 0;
            for (int end = 0; end < events.size(); end++) {
                Instant t = events.get(end).timestamp();
                while (!events.get(lo).timestamp().isAfter(t.minus(window))) {
                    lo++;
                }
                Instant instant = forDuration == null ? t : t.plus(forDuration);
                int[] match = search.canonical(events, lo, end);
                if (match == null) {
                    continue;
                }
                if (lastAlert != null && instant.isBefore(lastAlert.plus(window))) {
                    continue;
                }
                lastAlert = instant;
                List<String> ids = new ArrayList<>(match.length);
                for (int k : match) {
                    ids.add(events.get(k).eventId());
                }
                alerts.add(
                        new RefRuleAlert(
                                rule.id(),
                                events.get(end).userId(),
                                events.get(match[0]).timestamp(),
                                instant,
                                ids,
                                rule.mode(),
                                RuleCanonical.patternVersion(rule)));
            }
            return alerts;
        }
    }
}
