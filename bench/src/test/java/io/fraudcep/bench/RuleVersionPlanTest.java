package io.fraudcep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleVersionPlanTest {

    private static final Instant FIRST = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("2026-10-31T00:00:00Z");
    private static final Duration HORIZON = DetectionGraph.DEFAULT_RULE_HORIZON;

    /** A log whose records are spread evenly over its event time. */
    private static final EventTimeQuantiles EVEN =
            EventTimeQuantiles.of(
                    new long[] {FIRST.toEpochMilli(), LAST.toEpochMilli()}, new double[] {0, 1});

    /** Planned once: every version is parsed and checked, expressions compiled. */
    private static final List<RuleVersionPlan.Version> FIFTY = RuleVersionPlan.plan(50, 7, HORIZON);

    private static List<RuleVersionPlan.Version> fifty() {
        return FIFTY;
    }

    @Test
    void everyVersionIsAcceptedByTheJobsLedgerInPublicationOrder() {
        RuleLedger ledger = new RuleLedger(HORIZON);
        Instant at = FIRST.plus(Duration.ofDays(3));
        for (RuleVersionPlan.Version v : fifty()) {
            RuleRecord r = ledger.admit(v.ruleId(), v.value(at));
            assertThat(r.ruleVersion()).isEqualTo(v.ruleVersion());
            assertThat(r.effectiveFrom()).isEqualTo(at);
            assertThat(r.publishedBy()).isEqualTo("bin/fraud bench");
            assertThat(r.comment()).isEqualTo(v.change());
        }
    }

    @Test
    void versionsOfEveryDefaultRuleNumberedFromOne() {
        Map<String, Long> last = new HashMap<>();
        for (RuleVersionPlan.Version v : fifty()) {
            assertThat(v.ruleVersion()).isEqualTo(last.getOrDefault(v.ruleId(), 0L) + 1);
            last.put(v.ruleId(), v.ruleVersion());
        }
        Set<String> defaults = new HashSet<>();
        RuleFiles.defaults().rules().forEach(r -> defaults.add(r.id()));
        assertThat(last.keySet()).isEqualTo(defaults);
    }

    @Test
    void paramsGoUpAndDownWindowsChangeAndRulesTurnShadowAndActive() {
        List<RuleVersionPlan.Version> plan = fifty();
        Set<RuleMode> modes = new HashSet<>();
        for (RuleVersionPlan.Version v : plan) {
            modes.add(v.draft().rule().mode());
        }
        assertThat(modes).contains(RuleMode.ACTIVE, RuleMode.SHADOW);
        assertThat(plan)
                .extracting(RuleVersionPlan.Version::change)
                .anyMatch(c -> c.equals("VELOCITY minTransactions 10 -> 11"))
                .anyMatch(c -> c.equals("VELOCITY minTransactions 11 -> 9"))
                .anyMatch(c -> c.equals("CARD_TESTING minSmallPayments 3 -> 4"))
                .anyMatch(c -> c.equals("ACCOUNT_TAKEOVER minAmount 1000.00 -> 1250.00"))
                .anyMatch(c -> c.equals("VELOCITY window 5m -> 10m"))
                .anyMatch(c -> c.equals("STRUCTURING window 24h -> 12h"))
                .anyMatch(c -> c.equals("BRUTE_FORCE_LOGIN window 20m -> 10m"))
                .anyMatch(c -> c.equals("MONEY_MULE mode shadow"));
    }

    @Test
    void spreadOverTheRunAroundTheWatermark() {
        double previous = 0;
        int ahead = 0;
        for (RuleVersionPlan.Version v : fifty()) {
            assertThat(v.publishAt()).isGreaterThan(previous).isLessThan(1);
            previous = v.publishAt();
            assertThat(Math.abs(v.offset())).isLessThanOrEqualTo(RuleVersionPlan.SPREAD);
            if (v.offset() > 0) {
                ahead++;
            }
        }
        // Some versions ask for an instant the job has already passed, others not.
        assertThat(ahead).isBetween(15, 35);
    }

    @Test
    void effectiveInstantsAreAShareOfTheLogsRecordsAwayFromTheWatermark() {
        Instant mid = FIRST.plus(Duration.ofDays(15));
        assertThat(RuleVersionPlan.effectiveFrom(-0.1, EVEN, mid.toEpochMilli()))
                .isEqualTo(mid.minus(Duration.ofDays(3)));
        assertThat(RuleVersionPlan.effectiveFrom(0.1, EVEN, mid.toEpochMilli()))
                .isEqualTo(mid.plus(Duration.ofDays(3)));
        // Before the first watermark: from the start of the log; never beyond its ends.
        assertThat(RuleVersionPlan.effectiveFrom(-0.1, EVEN, Long.MIN_VALUE)).isEqualTo(FIRST);
        assertThat(RuleVersionPlan.effectiveFrom(0.1, EVEN, LAST.toEpochMilli())).isEqualTo(LAST);

        // Half the records in the first day, half in the last: a watermark between them is at
        // half the records, and a tenth of the records away is inside a burst.
        Instant day1 = FIRST.plus(Duration.ofDays(1));
        Instant day29 = LAST.minus(Duration.ofDays(1));
        EventTimeQuantiles twoBursts =
                EventTimeQuantiles.of(
                        new long[] {
                            FIRST.toEpochMilli(),
                            day1.toEpochMilli(),
                            day29.toEpochMilli(),
                            LAST.toEpochMilli()
                        },
                        new double[] {0, 0.5, 0.5, 1});
        assertThat(twoBursts.shareBefore(mid.toEpochMilli())).isEqualTo(0.5);
        assertThat(twoBursts.at(0.25)).isEqualTo(FIRST.plus(Duration.ofHours(12)));
        assertThat(RuleVersionPlan.effectiveFrom(-0.1, twoBursts, mid.toEpochMilli()))
                .isEqualTo(day1.minus(Duration.ofMinutes(288)));
        assertThat(RuleVersionPlan.effectiveFrom(0.1, twoBursts, mid.toEpochMilli()))
                .isEqualTo(day29.plus(Duration.ofMinutes(288)));
    }

    @Test
    void theSameSeedGivesTheSameVersions() {
        assertThat(RuleVersionPlan.plan(50, 7, HORIZON))
                .extracting(v -> v.value(FIRST))
                .isEqualTo(fifty().stream().map(v -> v.value(FIRST)).toList());
        assertThat(RuleVersionPlan.plan(0, 7, HORIZON)).isEmpty();
    }
}
