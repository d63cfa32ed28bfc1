package io.fraudcep.jobs.backtest;

import static io.fraudcep.jobs.backtest.TestAlerts.alert;
import static io.fraudcep.jobs.backtest.TestAlerts.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The what-if comparison of two configurations' alerts. */
class BacktestComparisonTest {

    private static final List<String> ORDER = List.of("VELOCITY", "CARD_TESTING");

    @Test
    void pairsAlertsOnUserPatternAndDetectionTimeWhateverTheirVersion() {
        Alert a = alert("VELOCITY", "1-aaaa", "u1", at(10), "e1", "e2");
        Alert b = alert("VELOCITY", "2-bbbb", "u1", at(10), "e1", "e2");

        PatternDiff d = WhatIfComparison.of(List.of(a), List.of(b), ORDER).of("VELOCITY");

        assertThat(d.both()).containsExactly(AlertRef.of(a));
        assertThat(d.onlyA()).isEmpty();
        assertThat(d.onlyB()).isEmpty();
        assertThat(d.differs()).isFalse();
    }

    @Test
    void anEarlierDetectionOfTheSameIncidentIsShiftedNotOnlyInAAndOnlyInB() {
        Alert a = alert("VELOCITY", "1-aaaa", "u1", at(10), "e1", "e2", "e3");
        Alert earlier = alert("VELOCITY", "2-bbbb", "u1", at(9), "e1", "e2");

        PatternDiff d = WhatIfComparison.of(List.of(a), List.of(earlier), ORDER).of("VELOCITY");

        assertThat(d.shifted())
                .containsExactly(new PatternDiff.Shift(AlertRef.of(a), AlertRef.of(earlier)));
        assertThat(d.both()).isEmpty();
        assertThat(d.onlyA()).isEmpty();
        assertThat(d.onlyB()).isEmpty();
        assertThat(d.alertsA()).isEqualTo(1);
        assertThat(d.alertsB()).isEqualTo(1);
    }

    @Test
    void alertsWithoutCounterpartAreOnlyInAOrOnlyInB() {
        Alert common = alert("VELOCITY", "u1", at(10), "e1");
        Alert dropped = alert("VELOCITY", "u2", at(20), "e5");
        Alert added = alert("VELOCITY", "u3", at(30), "e7");
        Alert otherUser = alert("VELOCITY", "u4", at(20), "e5");
        Alert otherPattern = alert("CARD_TESTING", "u1", at(10), "e1");

        WhatIfComparison w =
                WhatIfComparison.of(
                        List.of(common, dropped, otherPattern),
                        List.of(common, added, otherUser),
                        ORDER);

        PatternDiff velocity = w.of("VELOCITY");
        assertThat(velocity.both()).containsExactly(AlertRef.of(common));
        assertThat(velocity.onlyA()).containsExactly(AlertRef.of(dropped));
        assertThat(velocity.onlyB()).containsExactly(AlertRef.of(otherUser), AlertRef.of(added));
        assertThat(w.of("CARD_TESTING").onlyA()).containsExactly(AlertRef.of(otherPattern));
        assertThat(w.total().alertsA()).isEqualTo(3);
        assertThat(w.total().alertsB()).isEqualTo(3);
        assertThat(w.patterns())
                .extracting(PatternDiff::patternId)
                .containsExactlyElementsOf(ORDER);
    }

    @Test
    void eachAlertPairsOnceAtMost() {
        Alert a1 = alert("VELOCITY", "u1", at(10), "e1", "e2");
        Alert a2 = alert("VELOCITY", "u1", at(20), "e2", "e3");
        Alert b = alert("VELOCITY", "2-b", "u1", at(9), "e1", "e2");

        PatternDiff d = WhatIfComparison.of(List.of(a1, a2), List.of(b), ORDER).of("VELOCITY");

        assertThat(d.shifted()).hasSize(1);
        assertThat(d.shifted().get(0).a()).isEqualTo(AlertRef.of(a1));
        assertThat(d.onlyA()).containsExactly(AlertRef.of(a2));
    }
}
