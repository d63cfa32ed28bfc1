package io.fraudcep.sampledata;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The {@code generate} command: writes a labelled user-action log with {@link LogGenerator}.
 *
 * <pre>
 * generate --out DIR [--seed N] [--users N] [--days N] [--start YYYY-MM-DD]
 *          [--fraud-rate X] [--near-miss-rate X] [--bad-records] [--duplicates]
 *          [--example-rules]
 * </pre>
 *
 * Exit status 0 on success, 2 on a usage error (the message names the option), 1 on an I/O error.
 */
public final class GenerateCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: generate --out DIR [options]",
                    "Writes a labelled user-action log: user-logins.jsonl,",
                    "user-transactions.jsonl, user-account-changes.jsonl (events.md wire format)",
                    "and labels.jsonl.",
                    "",
                    "  --out DIR             output directory, created if missing (required)",
                    "  --seed N              seed of every random choice (default 1)",
                    "  --users N             number of users, 1.."
                            + GeneratorOptions.MAX_USERS
                            + " (default "
                            + GeneratorOptions.DEFAULT_USERS
                            + ")",
                    "  --days N              days of activity, "
                            + GeneratorOptions.MIN_DAYS
                            + ".."
                            + GeneratorOptions.MAX_DAYS
                            + " (default "
                            + GeneratorOptions.DEFAULT_DAYS
                            + ")",
                    "  --start YYYY-MM-DD    first day, 00:00 UTC (default "
                            + GeneratorOptions.DEFAULT_START
                            + ")",
                    "  --fraud-rate X        share of users with an injected positive, 0..1"
                            + " (default "
                            + GeneratorOptions.DEFAULT_FRAUD_RATE
                            + ")",
                    "  --near-miss-rate X    share of users with a near miss, 0..1 (default:"
                            + " the fraud rate)",
                    "  --bad-records         add a few lines that break the event contract",
                    "  --duplicates          add a few exact re-sends of events",
                    "  --example-rules       also inject positives of the four example rules of",
                    "                        rules.md (labelled with the rule id)",
                    "  --help                print this help",
                    "",
                    "Same options, same bytes. About 3.5 events per user and day.");

    private GenerateCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("generate: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        if (parsed == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            GenerationReport report = new LogGenerator(parsed.options).writeTo(parsed.out);
            out.println("generate: wrote " + parsed.out + ": " + report.summary());
            return 0;
        } catch (IOException e) {
            err.println("generate: cannot write " + parsed.out + ": " + e);
            return 1;
        }
    }

    /** Validated arguments of the command. */
    record Parsed(Path out, GeneratorOptions options) {}

    /**
     * Parses and validates the arguments; null if help was asked for.
     *
     * @throws IllegalArgumentException with a message naming the option at fault
     */
    static Parsed parse(String[] args) {
        GeneratorOptions.Builder b = GeneratorOptions.builder();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    return null;
                case "--out":
                    out = Path.of(value(args, ++i, a));
                    break;
                case "--seed":
                    b.seed(parseLong(a, value(args, ++i, a)));
                    break;
                case "--users":
                    b.users(parseInt(a, value(args, ++i, a)));
                    break;
                case "--days":
                    b.days(parseInt(a, value(args, ++i, a)));
                    break;
                case "--start":
                    String s = value(args, ++i, a);
                    try {
                        b.start(LocalDate.parse(s));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(
                                a + " must be a date like 2026-01-05, not '" + s + "'");
                    }
                    break;
                case "--fraud-rate":
                    b.fraudRate(parseDouble(a, value(args, ++i, a)));
                    break;
                case "--near-miss-rate":
                    b.nearMissRate(parseDouble(a, value(args, ++i, a)));
                    break;
                case "--bad-records":
                    b.badRecords(true);
                    break;
                case "--duplicates":
                    b.duplicates(true);
                    break;
                case "--example-rules":
                    b.exampleRules(true);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        return new Parsed(out, b.build());
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, not '" + v + "'");
        }
    }

    static long parseLong(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, not '" + v + "'");
        }
    }

    static double parseDouble(String option, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + v + "'");
        }
    }
}
