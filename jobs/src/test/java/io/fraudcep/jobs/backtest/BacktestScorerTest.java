package io.fraudcep.jobs.backtest;

import static io.fraudcep.jobs.backtest.TestAlerts.alert;
import static io.fraudcep.jobs.backtest.TestAlerts.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestScorerTest {

    private static final List<String> ORDER = List.of("VELOCITY", "CARD_TESTING", "STRUCTURING");

    @TempDir Path dir;

    @Test
    void countsTruePositivesFalsePositivesAndMissesPerPattern() {
        List<Alert> alerts =
                List.of(
                        alert("VELOCITY", "u1", at(10), "u1-e1", "u1-e2"),
                        alert("VELOCITY", "u2", at(20), "u2-e1", "u2-e9"),
                        alert("VELOCITY", "u3", at(30), "u3-e4"),
                        alert("CARD_TESTING", "u4", at(40), "u4-e1", "u4-e5"));
        List<LabelledScenario> labels =
                List.of(
                        LabelledScenario.positive("u1", "VELOCITY", "u1-e2", at(10)),
                        LabelledScenario.positive("u2", "VELOCITY", "u2-e9", at(20)),
                        LabelledScenario.positive("u5", "VELOCITY", "u5-e3", at(50)),
                        LabelledScenario.nearMiss("u6", "VELOCITY"),
                        LabelledScenario.positive("u7", "STRUCTURING", "u7-e3", at(60)));

        Scorecard score = BacktestScorer.score(alerts, labels, ORDER);

        assertThat(score.of("VELOCITY")).isEqualTo(new PatternScore("VELOCITY", 3, 1, 3, 2, 1, 1));
        assertThat(score.of("VELOCITY").precision()).isEqualTo(2.0 / 3);
        assertThat(score.of("VELOCITY").recall()).isEqualTo(2.0 / 3);
        assertThat(score.of("CARD_TESTING"))
                .isEqualTo(new PatternScore("CARD_TESTING", 0, 0, 1, 0, 1, 0));
        assertThat(score.of("CARD_TESTING").recall()).as("no positives: undefined").isNull();
        assertThat(score.of("STRUCTURING").precision()).as("no alerts: undefined").isNull();
        assertThat(score.of("STRUCTURING").recall()).isZero();
        assertThat(score.total()).isEqualTo(new PatternScore("all", 4, 1, 4, 2, 2, 2));
        assertThat(score.truePositiveAlertIds())
                .containsExactly(alerts.get(0).alertId(), alerts.get(1).alertId());
        assertThat(score.missed()).extracting(LabelledScenario::userId).containsExactly("u5", "u7");
    }

    @Test
    void anAlertMustMatchUserPatternDetectionTimeAndTrigger() {
        LabelledScenario label = LabelledScenario.positive("u1", "VELOCITY", "u1-e2", at(10));

        assertThat(truePositives(alert("VELOCITY", "u1", at(10), "u1-e1", "u1-e2"), label))
                .isEqualTo(1);
        assertThat(truePositives(alert("VELOCITY", "u2", at(10), "u1-e1", "u1-e2"), label))
                .as("other user")
                .isZero();
        assertThat(truePositives(alert("CARD_TESTING", "u1", at(10), "u1-e2"), label))
                .as("other pattern")
                .isZero();
        assertThat(truePositives(alert("VELOCITY", "u1", at(11), "u1-e1", "u1-e2"), label))
                .as("other detection time")
                .isZero();
        assertThat(truePositives(alert("VELOCITY", "u1", at(10), "u1-e2", "u1-e3"), label))
                .as("other trigger")
                .isZero();
        LabelledScenario noTrigger =
                new LabelledScenario("u1", "VELOCITY", true, "typical", null, null, at(10));
        assertThat(truePositives(alert("VELOCITY", "u1", at(10), "u1-e7"), noTrigger))
                .as("a label without trigger matches on user, pattern and time")
                .isEqualTo(1);
    }

    @Test
    void oneLabelMatchesOneAlertAtMost() {
        LabelledScenario label = LabelledScenario.positive("u1", "VELOCITY", "u1-e2", at(10));
        Alert a = alert("VELOCITY", "u1", at(10), "u1-e2");
        Alert again = alert("VELOCITY", "1-other", "u1", at(10), "u1-e1", "u1-e2");

        Scorecard score = BacktestScorer.score(List.of(a, again), List.of(label), ORDER);

        assertThat(score.of("VELOCITY").truePositives()).isEqualTo(1);
        assertThat(score.of("VELOCITY").falsePositives()).isEqualTo(1);
        assertThat(score.of("VELOCITY").misses()).isZero();
    }

    @Test
    void listsPatternsInCatalogueOrderThenOthersAlphabetically() {
        Scorecard score =
                BacktestScorer.score(
                        List.of(
                                alert("ZETA", "u1", at(1), "e1"),
                                alert("ALPHA", "u1", at(2), "e2")),
                        List.of(),
                        ORDER);

        assertThat(score.patterns())
                .extracting(PatternScore::patternId)
                .containsExactly("VELOCITY", "CARD_TESTING", "STRUCTURING", "ALPHA", "ZETA");
    }

    @Test
    void readsTheGeneratorsLabelsAndNamesTheLineAtFault() throws Exception {
        Path file = dir.resolve("labels.jsonl");
        Files.writeString(
                file,
                "{\"userId\":\"u00000\",\"patternId\":\"VELOCITY\",\"positive\":true,"
                        + "\"variant\":\"typical\",\"firstEventId\":\"u00000-e00009\","
                        + "\"triggerEventId\":\"u00000-e00018\","
                        + "\"windowStart\":\"2026-01-10T05:15:07.196Z\","
                        + "\"detectedAt\":\"2026-01-10T05:17:28.723Z\",\"params\":{\"n\":11}}\n"
                        + "\n"
                        + "{\"userId\":\"u00011\",\"patternId\":\"VELOCITY\",\"positive\":false,"
                        + "\"variant\":\"nine-outgoing\",\"lastEventId\":\"u00011-e00099\"}\n");

        List<LabelledScenario> labels = Labels.read(file);

        assertThat(labels)
                .containsExactly(
                        new LabelledScenario(
                                "u00000",
                                "VELOCITY",
                                true,
                                "typical",
                                "u00000-e00018",
                                java.time.Instant.parse("2026-01-10T05:15:07.196Z"),
                                java.time.Instant.parse("2026-01-10T05:17:28.723Z")),
                        new LabelledScenario(
                                "u00011", "VELOCITY", false, "nine-outgoing", null, null, null));

        Files.writeString(
                file, "{\"userId\":\"u1\",\"patternId\":\"VELOCITY\",\"positive\":true}\n");
        assertThatThrownBy(() -> Labels.read(file))
                .hasMessageContaining("labels.jsonl:1")
                .hasMessageContaining("'detectedAt' is missing");
        Files.writeString(file, "{}\nnot json\n");
        assertThatThrownBy(() -> Labels.read(file)).hasMessageContaining(":1: 'userId'");
    }

    private static int truePositives(Alert alert, LabelledScenario label) {
        return BacktestScorer.score(List.of(alert), List.of(label), ORDER).total().truePositives();
    }
}
