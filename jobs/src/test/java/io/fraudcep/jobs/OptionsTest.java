package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

    @TempDir Path dir;

    @Test
    void appliesTheDocumentedDefaults() {
        DetectionJob.Config c = DetectionJob.Config.parse("--bootstrap-servers", "localhost:9092");

        assertThat(c.kafka().loginsTopic()).isEqualTo("user-logins");
        assertThat(c.kafka().alertsTopic()).isEqualTo("fraud-alerts");
        assertThat(c.kafka().deadLetterTopic()).isEqualTo("fraud-dead-letters");
        assertThat(c.delivery()).isEqualTo(DetectionJob.Delivery.EXACTLY_ONCE);
        assertThat(c.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.startingPosition().kind()).isEqualTo(StartingPosition.Kind.COMMITTED);
        assertThat(c.stopAt()).isEqualTo(DetectionJob.StopAt.NEVER);
        assertThat(c.rules()).isEqualTo(RuleFiles.defaults());
        assertThat(c.watermarkInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.bufferTimeout()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.maxFutureSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(c.alertsFrom()).isNull();
    }

    @Test
    void goingLiveAtAnInstantStartsReadingTheHistoryBeforeIt() {
        DetectionJob.Config c = parse("--alerts-from", "2026-07-01T00:00:00Z");
        assertThat(c.alertsFrom()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
        assertThat(c.startingPosition().toString()).isEqualTo("2026-01-02T00:00:00Z");

        DetectionJob.Config all =
                parse("--alerts-from", "2026-07-01T00:00:00Z", "--history", "earliest");
        assertThat(all.startingPosition().kind()).isEqualTo(StartingPosition.Kind.EARLIEST);
        assertThat(
                        parse("--alerts-from", "2026-07-01T00:00:00Z", "--history", "30d")
                                .startingPosition()
                                .toString())
                .isEqualTo("2026-06-01T00:00:00Z");
    }

    @Test
    void goingLiveRefusesAStartOfItsOwnAndHistoryAlone() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--alerts-from",
                                        "2026-07-01T00:00:00Z",
                                        "--starting-offsets",
                                        "latest"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--starting-offsets")
                .hasMessageContaining("--alerts-from");
        assertThatThrownBy(() -> parse("--history", "30d"))
                .hasMessageContaining("--history: only with --alerts-from");
        assertThatThrownBy(() -> parse("--alerts-from", "yesterday"))
                .hasMessageContaining("--alerts-from");
        assertThatThrownBy(() -> parse("--max-future-skew", "-1h"))
                .hasMessageContaining("--max-future-skew");
    }

    @Test
    void theJobRunsWithItsWatermarkIntervalAndBufferTimeout() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.configure(env, parse("--watermark-interval", "25ms", "--buffer-timeout", "0"));

        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(25);
        assertThat(env.getBufferTimeout()).isZero();
    }

    @Test
    void aZeroBoundMayBeWrittenWithAUnitButAZeroWatermarkIntervalIsRefused() {
        assertThat(parse("--out-of-orderness", "0ms").outOfOrderness()).isZero();
        assertThat(parse("--buffer-timeout", "0s").bufferTimeout()).isZero();
        assertThatThrownBy(() -> parse("--watermark-interval", "0ms"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--watermark-interval");
    }

    @Test
    void namesTheOptionAtFault() {
        assertThatThrownBy(DetectionJob.Config::parse)
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--bootstrap-servers is required");
        assertThatThrownBy(() -> parse("--checkpoint-interval", "soon"))
                .hasMessageContaining("--checkpoint-interval");
        assertThatThrownBy(() -> parse("--delivery-guarantee", "maybe"))
                .hasMessageContaining("--delivery-guarantee")
                .hasMessageContaining("exactly-once|at-least-once");
        assertThatThrownBy(() -> parse("--starting-offsets", "tomorrow"))
                .hasMessageContaining("--starting-offsets");
        assertThatThrownBy(() -> parse("--parallelism", "0")).hasMessageContaining("--parallelism");
        assertThatThrownBy(() -> parse("--no-such-option", "x"))
                .hasMessageContaining("unknown option --no-such-option");
        assertThatThrownBy(() -> parse("--kafka-properties", dir.resolve("none").toString()))
                .hasMessageContaining("--kafka-properties");
    }

    @Test
    void aBadRuleFileStopsStartUpWithEveryErrorOnItsLine() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "version: \"2\"",
                        "rules:",
                        "  - id: VELOCITY",
                        "    severity: MEDIUM",
                        "    window: 5m",
                        "    steps:",
                        "      - name: outgoing",
                        "        type: CARD_PAYMENT",
                        "        where: amont > 5",
                        "  - id: CARD_TESTING",
                        "    severity: SEVERE",
                        "    window: 15m",
                        "    steps:",
                        "      - name: large",
                        "        type: CARD_PAYMENT",
                        ""));

        assertThatThrownBy(() -> parse("--rules", file.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--rules: " + file + " is not a valid rule file")
                .hasMessageContaining("\n  " + file + ":9: rule VELOCITY")
                .hasMessageContaining("amont")
                .hasMessageContaining("\n  " + file + ":11: rule CARD_TESTING")
                .hasMessageContaining("SEVERE");
    }

    @Test
    void aRuleFileGivesTheRulesInForceAndAV1PatternFileIsConverted() throws Exception {
        Path shadow =
                Files.writeString(
                        dir.resolve("rules.yaml"),
                        String.join(
                                "\n",
                                "version: \"7\"",
                                "rules:",
                                "  - id: LARGE_WITHDRAWAL",
                                "    severity: LOW",
                                "    mode: shadow",
                                "    window: 1m",
                                "    steps:",
                                "      - name: cash",
                                "        type: WITHDRAWAL",
                                "        where: amount >= 5000.00",
                                ""));
        Path v1 =
                Files.writeString(
                        dir.resolve("patterns.yaml"),
                        "version: \"1\"\npatterns:\n  - id: VELOCITY\n    parameters:\n"
                                + "      minTransactions: 12\n");

        DetectionJob.Config rules = parse("--rules", shadow.toString());
        DetectionJob.Config converted = parse("--rules", v1.toString());

        assertThat(rules.rules().version()).isEqualTo("7");
        assertThat(rules.rules().rule("LARGE_WITHDRAWAL").mode()).isEqualTo(RuleMode.SHADOW);
        assertThat(converted.rules().evaluatedRules())
                .singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo("VELOCITY"))
                .satisfies(
                        r -> assertThat(r.params().get("minTransactions").text()).isEqualTo("12"));
    }

    @Test
    void thePatternsOptionIsRefusedWithWhatReplacedIt() throws Exception {
        Path file = Files.writeString(dir.resolve("patterns.yaml"), "version: \"1\"\n");

        for (String[] args :
                new String[][] {
                    {"--patterns", file.toString()}, {"--patterns=" + file}, {"--patterns"}
                }) {
            assertThatThrownBy(() -> parse(args))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("--patterns was replaced by --rules")
                    .hasMessageContaining("a v1 pattern file given to --rules is converted");
        }
        assertThat(DetectionJob.options().help()).contains("--rules").doesNotContain("--patterns");
    }

    @Test
    void acceptsATimestampAsStartingPosition() {
        DetectionJob.Config c = parse("--starting-offsets", "2026-03-01T00:00:00Z");

        assertThat(c.startingPosition().kind()).isEqualTo(StartingPosition.Kind.TIMESTAMP);
        assertThat(c.startingPosition().timestamp()).isEqualTo(1772323200000L);
    }

    @Test
    void readsClientPropertiesWithoutShowingThem() throws Exception {
        Path props = dir.resolve("client.properties");
        Files.writeString(props, "security.protocol=SASL_SSL\nsasl.jaas.config=secret\n");

        DetectionJob.Config c = parse("--kafka-properties", props.toString());

        assertThat(c.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    private static DetectionJob.Config parse(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--bootstrap-servers";
        args[1] = "localhost:9092";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return DetectionJob.Config.parse(args);
    }
}
