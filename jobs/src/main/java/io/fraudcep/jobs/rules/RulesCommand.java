package io.fraudcep.jobs.rules;

import io.fraudcep.rules.LoadedRules;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleExplainer;
import io.fraudcep.rules.RuleFileException;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/fraud rules}: checks rule files (rules.md) and explains them, without running a job.
 *
 * <ul>
 *   <li>{@code validate FILE...}: for each file, {@code FILE: OK, N rules (a active, s shadow, d
 *       disabled)} or every error of the file, one per line; exit 0 if every file is valid, 1 if
 *       not.
 *   <li>{@code explain FILE}: each rule in plain English, with the {@code patternVersion} its
 *       alerts carry; exit 1 if the file is not valid.
 * </ul>
 *
 * A version 1 pattern file is read through its conversion, with a warning. Exit 2 for a command
 * line that cannot be run.
 */
public final class RulesCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: bin/fraud rules validate FILE...",
                    "       bin/fraud rules explain FILE",
                    "",
                    "Checks rule files (rules.md; YAML or JSON) and explains them without running a"
                            + " job.",
                    "  validate  every error of each file with its line, rule and field, or"
                            + " 'FILE: OK, N rules';",
                    "            exit 0 if every file is valid, 1 if not",
                    "  explain   each rule of the file in plain English and the patternVersion its"
                            + " alerts carry",
                    "A version 1 pattern file (patterns:) is read as the default rules with its"
                            + " settings, with a warning.");

    /** Explanations are wrapped for a terminal. */
    private static final int WIDTH = 100;

    private RulesCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @return the exit code: 0 valid, 1 a file is not valid, 2 a command line that cannot be run
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (args.length == 0) {
            return usage(err, "say validate or explain");
        }
        List<Path> files = new ArrayList<>();
        for (String a : Arrays.asList(args).subList(1, args.length)) {
            if (a.startsWith("-")) {
                return usage(err, "unknown option " + a);
            }
            files.add(Path.of(a));
        }
        switch (args[0]) {
            case "validate":
                if (files.isEmpty()) {
                    return usage(err, "validate needs at least one FILE");
                }
                return validate(files, out);
            case "explain":
                if (files.size() != 1) {
                    return usage(err, "explain takes one FILE");
                }
                return explain(files.get(0), out);
            default:
                return usage(err, "unknown sub-command '" + args[0] + "'");
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("rules: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static int validate(List<Path> files, PrintStream out) {
        int exit = 0;
        for (Path file : files) {
            LoadedRules loaded = read(file, out);
            if (loaded == null) {
                exit = 1;
                continue;
            }
            RuleSet rules = loaded.ruleSet();
            out.printf(
                    "%s: OK, %d rules (%d active, %d shadow, %d disabled)%n",
                    file,
                    rules.rules().size(),
                    count(rules, RuleMode.ACTIVE),
                    count(rules, RuleMode.SHADOW),
                    count(rules, RuleMode.DISABLED));
        }
        return exit;
    }

    private static int explain(Path file, PrintStream out) {
        LoadedRules loaded = read(file, out);
        if (loaded == null) {
            return 1;
        }
        RuleSet rules = loaded.ruleSet();
        out.printf("%s: version %s, %d rules%n", file, rules.version(), rules.rules().size());
        for (Rule rule : rules.rules()) {
            out.println();
            out.println(wrap(RuleExplainer.explain(rule)));
            out.println("patternVersion: " + RuleCanonical.patternVersion(rule));
        }
        return 0;
    }

    /** The file's rules after printing its warnings, or null after printing its errors. */
    private static LoadedRules read(Path file, PrintStream out) {
        try {
            LoadedRules loaded = RuleFiles.read(file);
            loaded.warnings().forEach(w -> out.println("warning: " + w));
            return loaded;
        } catch (RuleFileException e) {
            out.println(e.getMessage());
            int n = e.errors().size();
            out.printf("%s: INVALID, %d error%s%n", file, n, n == 1 ? "" : "s");
            return null;
        }
    }

    private static long count(RuleSet rules, RuleMode mode) {
        return rules.rules().stream().filter(r -> r.mode() == mode).count();
    }

    /** Breaks a paragraph at spaces into lines of at most {@link #WIDTH} characters. */
    static String wrap(String text) {
        StringBuilder b = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (b.length() > lineStart && b.length() - lineStart + 1 + word.length() > WIDTH) {
                b.append('\n');
                lineStart = b.length();
            } else if (b.length() > lineStart) {
                b.append(' ');
            }
            b.append(word);
        }
        return b.toString();
    }
}
