package io.fraudcep.jobs.backtest;

import static io.fraudcep.jobs.backtest.TestAlerts.alert;
import static io.fraudcep.jobs.backtest.TestAlerts.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.alert.Alert;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's three renderings of one hand-made run. */
class BacktestReportTest {

    private static final RuleSet A = RuleFiles.defaults();
    private static final RuleSet B =
            RuleFiles.parse(
                    new String(readDefaults(), java.nio.charset.StandardCharsets.UTF_8)
                            .replace("version: \"" + A.version() + "\"", "version: \"b\"")
                            .replace("minTransactions: 10", "minTransactions: 9"),
                    "b.yaml");

    private static final Alert VELOCITY_DAY_1 = alert("VELOCITY", "u1", at(10), "u1-e1", "u1-e2");
    private static final Alert VELOCITY_DAY_3 =
            alert("VELOCITY", "u2", at(2 * 24 * 60 + 5), "u2-e1", "u2-e9");
    private static final Alert ONLY_IN_B = alert("VELOCITY", "2-x", "u3", at(30), "u3-e4");

    @Test
    void jsonCarriesTheFiguresTheScoreTheComparisonAndTheTimeline() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportJson.render(report()));

        assertThat(json.get("eventsRead").asLong()).isEqualTo(1_000_000);
        assertThat(json.get("eventsPerSecond").asLong()).isEqualTo(50_000);
        assertThat(json.get("deadLetters").asLong()).isEqualTo(3);
        assertThat(json.get("lateEvents").asLong()).isEqualTo(1);
        JsonNode velocity = byPattern(json.get("byPattern"), "VELOCITY");
        assertThat(velocity.get("alerts").asInt()).isEqualTo(2);
        assertThat(velocity.get("truePositives").asInt()).isEqualTo(1);
        assertThat(velocity.get("falsePositives").asInt()).isEqualTo(1);
        assertThat(velocity.get("misses").asInt()).isEqualTo(1);
        assertThat(velocity.get("precision").asDouble()).isEqualTo(0.5);
        assertThat(byPattern(json.get("byPattern"), "MONEY_MULE").get("precision").isNull())
                .isTrue();
        JsonNode diff = byPattern(json.get("whatIf").get("byPattern"), "VELOCITY");
        assertThat(diff.get("onlyB").asInt()).isEqualTo(1);
        assertThat(diff.get("both").asInt()).isEqualTo(2);
        assertThat(diff.get("examples").get("onlyB").get(0).get("alertId").asText())
                .isEqualTo(ONLY_IN_B.alertId());
        assertThat(diff.get("patternVersionB").asText()).startsWith("b-");
        JsonNode timeline = json.get("timeline");
        assertThat(timeline.get("firstDay").asText()).isEqualTo("2026-01-05");
        assertThat(timeline.get("buckets").asInt()).isEqualTo(3);
        assertThat(timeline.get("byPattern").get("VELOCITY").get("alerts").toString())
                .isEqualTo("[1,0,1]");
        assertThat(timeline.get("byPattern").get("VELOCITY").get("onlyB").toString())
                .isEqualTo("[1,0,0]");
    }

    @Test
    void htmlIsOnePageWithChartsAndNothingFetched() {
        String html = ReportHtml.render(report());

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<style>");
        assertThat(html).doesNotContain("<script", "<link", "<img", "@import", "url(", "http");
        assertThat(html).contains("Events per second", "50,000", "Alerts over time", "What-if");
        assertThat(html).contains(ONLY_IN_B.alertId());
        assertThat(html.split("<svg viewBox", -1))
                .as("a chart per active rule, and one per rule B changes")
                .hasSize(1 + A.evaluatedRules().size() + 1);
    }

    @Test
    void htmlEscapesWhatItQuotes() {
        assertThat(ReportHtml.esc("<a href=\"x\">&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void textTableShowsTheScoreAndTheWhatIf() {
        String text = ReportText.render(report());

        assertThat(text).contains("1,000,000 events read in 20.0 s: 50,000 events/s");
        assertThat(text).containsPattern("VELOCITY +2 +2 +1 +1 +1 +50.0% +50.0%");
        assertThat(text)
                .containsPattern(
                        "VELOCITY +"
                                + RuleCanonical.patternVersion(A.rule("VELOCITY"))
                                + " -> b-\\w+ +2 +3 +2 +0 +0 +1");
        assertThat(text).contains("VELOCITY only in B: u3 " + ONLY_IN_B.alertId());
    }

    @Test
    void reportsWithoutLabelsOrWhatIfShowAlertsOnly() {
        BacktestReport r =
                BacktestReport.of(
                        run(null),
                        new BacktestReport.Outcome(A, List.of(VELOCITY_DAY_1), List.of()),
                        null,
                        null);

        assertThat(r.score()).isNull();
        assertThat(r.whatIf()).isNull();
        assertThat(ReportText.render(r)).containsPattern("VELOCITY +1\n").doesNotContain("recall");
        assertThat(ReportHtml.render(r)).contains("<svg").doesNotContain("What-if");
    }

    @Test
    void shadowAlertsAreCountedPerRuleApartFromTheScore() throws Exception {
        RuleSet shadowVelocity =
                new RuleSet(
                        A.version(),
                        A.rules().stream()
                                .map(
                                        r ->
                                                r.id().equals("VELOCITY")
                                                        ? r.withMode(RuleMode.SHADOW)
                                                        : r)
                                .toList());
        List<LabelledScenario> labels =
                List.of(LabelledScenario.positive("u1", "VELOCITY", "u1-e2", at(10)));
        BacktestReport r =
                BacktestReport.of(
                        run(null),
                        new BacktestReport.Outcome(
                                shadowVelocity, List.of(), List.of(VELOCITY_DAY_1, VELOCITY_DAY_3)),
                        null,
                        labels);

        assertThat(r.score().of("VELOCITY").truePositives()).isZero();
        assertThat(r.score().of("VELOCITY").misses()).isEqualTo(1);
        JsonNode velocity =
                byPattern(
                        new ObjectMapper().readTree(ReportJson.render(r)).get("byPattern"),
                        "VELOCITY");
        assertThat(velocity.get("mode").asText()).isEqualTo("shadow");
        assertThat(velocity.get("alerts").asInt()).isZero();
        assertThat(velocity.get("shadowAlerts").asInt()).isEqualTo(2);
        assertThat(ReportText.render(r))
                .contains("VELOCITY (shadow)", "Shadow alerts (topic fraud-alerts-shadow")
                .containsPattern("\nVELOCITY +2\n");
        assertThat(ReportHtml.render(r)).contains("<span class=\"tag\">shadow</span>");
    }

    private static BacktestReport report() {
        List<LabelledScenario> labels =
                List.of(
                        LabelledScenario.positive("u1", "VELOCITY", "u1-e2", at(10)),
                        LabelledScenario.positive("u9", "VELOCITY", "u9-e2", at(24 * 60)),
                        LabelledScenario.positive("u8", "STRUCTURING", "u8-e3", at(60)));
        return BacktestReport.of(
                run("b.yaml (version b)"),
                new BacktestReport.Outcome(A, List.of(VELOCITY_DAY_1, VELOCITY_DAY_3), List.of()),
                new BacktestReport.Outcome(
                        B, List.of(VELOCITY_DAY_1, ONLY_IN_B, VELOCITY_DAY_3), List.of()),
                labels);
    }

    private static BacktestReport.Run run(String whatIf) {
        return new BacktestReport.Run(
                "files user-logins.jsonl",
                2,
                "defaults (version " + A.version() + ")",
                whatIf,
                "labels.jsonl",
                Instant.parse("2026-11-26T10:00:00Z"),
                1_000_000,
                Duration.ofSeconds(20),
                2,
                0,
                3,
                1,
                0);
    }

    private static JsonNode byPattern(JsonNode array, String id) {
        for (JsonNode n : array) {
            if (n.get("patternId").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }

    private static byte[] readDefaults() {
        try (var in = RuleFiles.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
