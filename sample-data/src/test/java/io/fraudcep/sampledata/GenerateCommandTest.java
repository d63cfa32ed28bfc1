package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generate command line: options, validation messages, help. */
class GenerateCommandTest {

    @TempDir Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GenerateCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheFourFilesAndASummary() {
        Path dir = tmp.resolve("log");
        int status =
                run(
                        "--out",
                        dir.toString(),
                        "--seed",
                        "3",
                        "--users",
                        "20",
                        "--days",
                        "10",
                        "--fraud-rate",
                        "0.5",
                        "--bad-records",
                        "--duplicates");

        assertThat(status).isZero();
        assertThat(dir.resolve("user-logins.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("user-transactions.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("user-account-changes.jsonl")).exists();
        assertThat(dir.resolve("labels.jsonl")).isNotEmptyFile();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("events").contains("labels");
    }

    @Test
    void parsesEveryOption() {
        GenerateCommand.Parsed p =
                GenerateCommand.parse(
                        new String[] {
                            "--out",
                            "x",
                            "--seed",
                            "-9",
                            "--users",
                            "60",
                            "--days",
                            "30",
                            "--start",
                            "2026-02-01",
                            "--fraud-rate",
                            "0.35",
                            "--near-miss-rate",
                            "0.5",
                            "--bad-records",
                            "--duplicates",
                            "--example-rules"
                        });

        assertThat(p.out()).isEqualTo(Path.of("x"));
        assertThat(p.options())
                .isEqualTo(
                        new GeneratorOptions(
                                -9, 60, 30, LocalDate.of(2026, 2, 1), 0.35, 0.5, true, true, true));
    }

    @Test
    void theExampleRulesAreOffUnlessAsked() {
        GenerateCommand.Parsed p = GenerateCommand.parse(new String[] {"--out", "x"});

        assertThat(p.options().exampleRules()).isFalse();
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--out DIR")
                .contains("--seed")
                .contains("--example-rules");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--users 10            | --out DIR is required",
                "--out d --users ten   | --users must be an integer",
                "--out d --users 0     | --users must be between",
                "--out d --days 2      | --days must be between",
                "--out d --seed 1.5    | --seed must be an integer",
                "--out d --fraud-rate x | --fraud-rate must be a number",
                "--out d --fraud-rate 2 | --fraud-rate must be between",
                "--out d --near-miss-rate -1 | --near-miss-rate must be between",
                "--out d --start 5/1/26 | --start must be a date",
                "--out d --users       | --users needs a value",
                "--out d --verbose     | unknown option '--verbose'",
            })
    void rejectsBadOptionsNamingThem(String args, String message) {
        assertThat(run(args.trim().split(" +"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }

    @Test
    void rejectsAnOutputThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertThat(run("--out", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a directory");
    }
}
