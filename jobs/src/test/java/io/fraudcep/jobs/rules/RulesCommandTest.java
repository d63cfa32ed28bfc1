package io.fraudcep.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fraud rules validate|explain}, and the command lines of {@code publish|list} that fail
 * before reaching Kafka: what the user reads and the exit codes.
 */
class RulesCommandTest {

    private static final String DEFAULTS = "../rules/rules-default.yaml";
    private static final String EXAMPLES = "../rules/rules-examples.yaml";

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RulesCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void validFilesAreCountedByMode() {
        assertThat(run("validate", DEFAULTS, EXAMPLES)).isZero();
        assertThat(out())
                .isEqualTo(
                        DEFAULTS
                                + ": OK, 9 rules (9 active, 0 shadow, 0 disabled)\n"
                                + EXAMPLES
                                + ": OK, 4 rules (0 active, 0 shadow, 4 disabled)\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void anInvalidFileListsEveryErrorAndExitsOne() throws IOException {
        Path bad =
                file(
                        "bad.yaml",
                        "version: \"2\"\n"
                                + "rules:\n"
                                + "  - id: SHORT_WINDOW\n"
                                + "    severity: urgent\n"
                                + "    window: 0s\n"
                                + "    steps:\n"
                                + "      - name: one\n"
                                + "        type: DEPOSIT\n");

        assertThat(run("validate", bad.toString(), DEFAULTS)).isEqualTo(1);
        assertThat(out())
                .isEqualTo(
                        bad
                                + ":4: rule SHORT_WINDOW, field severity: expected LOW, MEDIUM,"
                                + " HIGH or CRITICAL, found 'urgent'\n"
                                + bad
                                + ":5: rule SHORT_WINDOW, field window: expected a positive"
                                + " duration, not '0s'\n"
                                + bad
                                + ": INVALID, 2 errors\n"
                                + DEFAULTS
                                + ": OK, 9 rules (9 active, 0 shadow, 0 disabled)\n");
    }

    @Test
    void aV1FileIsValidatedThroughItsConversionWithAWarning() throws IOException {
        Path v1 =
                file(
                        "patterns.yaml",
                        "version: \"1\"\n"
                                + "patterns:\n"
                                + "  - id: VELOCITY\n"
                                + "    enabled: false\n"
                                + "    parameters:\n"
                                + "      minTransactions: 12\n");

        assertThat(run("validate", v1.toString())).isZero();
        assertThat(out())
                .isEqualTo(
                        "warning: "
                                + v1
                                + ": a version 1 pattern file, read as 1 default rules of"
                                + " rules-default.yaml with its enabled, severity, window and"
                                + " parameters; write it as a version 2 rule file (rules.md) to"
                                + " drop this warning\n"
                                + v1
                                + ": OK, 1 rules (0 active, 0 shadow, 1 disabled)\n");
    }

    @Test
    void explainPrintsEachRuleAndItsPatternVersion() {
        assertThat(run("explain", DEFAULTS)).isZero();
        assertThat(out())
                .startsWith(
                        DEFAULTS + ": version 2, 9 rules\n\nBRUTE_FORCE_LOGIN (MEDIUM, active):")
                .contains(
                        "\nCARD_TESTING (HIGH, active): fires on a CARD_PAYMENT with amount >="
                                + " 500.00 [largeAtLeast] that\n"
                                + "follows at least 3 [minSmallPayments] CARD_PAYMENTs each with"
                                + " amount < 5.00 [smallBelow], the first\n"
                                + "of them less than 15 minutes before it. At most one alert per"
                                + " user every 15 minutes.\n"
                                + "patternVersion: 2-b8579c568f6e\n");
        assertThat(out().lines())
                .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(100));
        assertThat(out().lines().filter(l -> l.startsWith("patternVersion: 2-"))).hasSize(9);
    }

    @Test
    void explainOfAnInvalidFilePrintsItsErrors() throws IOException {
        Path bad = file("bad.json", "{\"version\": \"2\", \"rules\": [{\"id\": \"X\"}]}");

        assertThat(run("explain", bad.toString())).isEqualTo(1);
        assertThat(out())
                .isEqualTo(
                        bad
                                + ":1: rule X, field id: expected capitals, digits and _, starting"
                                + " with a capital, 3 to 64 characters ([A-Z][A-Z0-9_]{2,63})\n"
                                + bad
                                + ":1: rule X, field severity: missing (expected LOW, MEDIUM, HIGH"
                                + " or CRITICAL)\n"
                                + bad
                                + ":1: rule X, field window: missing (expected a duration like"
                                + " 15m)\n"
                                + bad
                                + ":1: rule X, field steps: missing (expected a list of steps)\n"
                                + bad
                                + ": INVALID, 4 errors\n");
    }

    @Test
    void aCommandLineThatCannotRunExitsTwoWithTheUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("check", DEFAULTS)).isEqualTo(2);
        assertThat(run("validate")).isEqualTo(2);
        assertThat(run("explain", DEFAULTS, EXAMPLES)).isEqualTo(2);
        assertThat(run("validate", "--strict", DEFAULTS)).isEqualTo(2);
        assertThat(err())
                .contains("rules: say validate, explain, publish or list\n")
                .contains("rules: unknown sub-command 'check'\n")
                .contains("rules: validate needs at least one FILE\n")
                .contains("rules: explain takes one FILE\n")
                .contains("rules: unknown option --strict\n")
                .contains("Usage: bin/fraud rules validate FILE...");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("validate", "--help")).isZero();
        assertThat(out()).startsWith("Usage: bin/fraud rules validate FILE...\n");
    }

    @Test
    void theUsageShowsEverySubCommandWithinAHundredColumns() {
        assertThat(run("--help")).isZero();
        assertThat(out())
                .contains("\n       bin/fraud rules publish FILE --effective-from INSTANT")
                .contains("\n       bin/fraud rules list --bootstrap-servers HOSTS")
                .contains("  --rule ID ")
                .contains("  --dry-run ")
                .contains("  --rules-applied-topic TOPIC ")
                .contains("[fraud-rules-applied]")
                .contains("  --rules-topic TOPIC ")
                .contains("[fraud-rules;")
                .contains("  --kafka-properties FILE ");
        assertThat(out().lines())
                .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(100));
    }

    @Test
    void publishAndListCommandLinesThatCannotRunExitTwoBeforeAnyKafkaIsNeeded() {
        assertThat(run("publish", "--effective-from", "2026-12-01T00:00:00Z")).isEqualTo(2);
        assertThat(run("publish", DEFAULTS, EXAMPLES, "--effective-from", "2026-12-01T00:00:00Z"))
                .isEqualTo(2);
        assertThat(run("publish", DEFAULTS, "--effective-from", "2026-12-01T00:00:00Z"))
                .isEqualTo(2);
        assertThat(run("publish", DEFAULTS, "--effective-from", "Dec 1")).isEqualTo(2);
        assertThat(run("publish", DEFAULTS, "--rule")).isEqualTo(2);
        assertThat(
                        run(
                                "list",
                                "--bootstrap-servers",
                                "localhost:9092",
                                "--kafka-properties",
                                dir.resolve("none.properties").toString()))
                .isEqualTo(2);
        assertThat(err())
                .contains("rules: publish takes one FILE\n")
                .contains("rules: publish takes one FILE, not " + DEFAULTS + " " + EXAMPLES + "\n")
                .contains("rules: --bootstrap-servers is required: Kafka bootstrap servers\n")
                .contains(
                        "rules: --effective-from: expected an ISO-8601 UTC instant such as"
                                + " 2026-12-01T00:00:00Z, not 'Dec 1'\n")
                .contains("rules: --rule needs a value\n")
                .contains(
                        "rules: --kafka-properties: '"
                                + dir.resolve("none.properties")
                                + "' is not a readable file\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMissingFileIsAnError() {
        assertThat(run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(out())
                .contains("nope.yaml: cannot read the file: ")
                .contains(": INVALID, 1 error\n");
    }
}
