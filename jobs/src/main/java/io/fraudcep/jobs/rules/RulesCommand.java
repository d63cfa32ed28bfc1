package io.fraudcep.jobs.rules;

import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * {@code bin/fraud rules}: checks rule files (rules.md) and explains them, without running a job,
 * and publishes and lists rule versions on the rule control topic.
 *
 * <ul>
 *   <li>{@code validate FILE...}: for each file, {@code FILE: OK, N rules (a active, s shadow, d
 *       disabled)} or every error of the file, one per line; exit 0 if every file is valid, 1 if
 *       not.
 *   <li>{@code explain FILE}: each rule in plain English, with the {@code patternVersion} its
 *       alerts carry; exit 1 if the file is not valid.
 *   <li>{@code publish FILE --effective-from INSTANT ...}: each rule of a valid file as the next
 *       version of its id on the control topic ({@link RulesPublish}); exit 1 if the file is not
 *       valid or Kafka fails, and then nothing (or, for a failed write, nothing after it) is
 *       written.
 *   <li>{@code list ...}: the versions on the control topic, when the live job applied them, the
 *       rejected records and the versions in force ({@link RulesList}); exit 1 if Kafka fails.
 * </ul>
 *
 * A version 1 pattern file is read through its conversion, with a warning (and cannot be
 * published). Exit 2 for a command line that cannot be run.
 */
public final class RulesCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: bin/fraud rules validate FILE...",
                    "       bin/fraud rules explain FILE",
                    "       bin/fraud rules publish FILE --effective-from INSTANT"
                            + " --bootstrap-servers HOSTS [options]",
                    "       bin/fraud rules list --bootstrap-servers HOSTS [options]",
                    "",
                    "Checks rule files (rules.md; YAML or JSON) and explains them without running a"
                            + " job; publishes rules",
                    "as new versions on the rule control topic and lists the versions there.",
                    "  validate  every error of each file with its line, rule and field, or"
                            + " 'FILE: OK, N rules';",
                    "            exit 0 if every file is valid, 1 if not",
                    "  explain   each rule of the file in plain English and the patternVersion its"
                            + " alerts carry",
                    "  publish   each rule of the valid FILE as the next version of its id (its"
                            + " last version + 1),",
                    "            in force from the event-time instant --effective-from; exit 1 and"
                            + " nothing written",
                    "            if the file is not valid",
                    "  list      per rule id every version on the topic and when the live job"
                            + " applied it, the",
                    "            rejected records, and the version of each rule in force",
                    "A version 1 pattern file (patterns:) is read as the default rules with its"
                            + " settings, with a warning.",
                    "",
                    "publish options:",
                    "  --effective-from INSTANT  ISO-8601 UTC instant of event time from which the"
                            + " versions judge",
                    "                            triggers, e.g. 2026-12-01T00:00:00Z (required)",
                    "  --rule ID                 publish only this rule of FILE; repeat for more"
                            + " [every rule]",
                    "  --comment TEXT            why, for the audit trail [none]",
                    "  --published-by NAME       who, for the audit trail [$USER, or unknown]",
                    "  --dry-run                 print what would be published, write nothing",
                    "list options:",
                    "  --rules-applied-topic TOPIC  the live job's audit records of the versions it"
                            + " applied",
                    "                            [" + RuleHistoryReader.DEFAULT_APPLIED_TOPIC + "]",
                    "publish and list options:",
                    "  --bootstrap-servers HOST:PORT[,...]  Kafka bootstrap servers (required)",
                    "  --rules-topic TOPIC       the rule control topic ["
                            + RuleHistoryReader.DEFAULT_RULES_TOPIC
                            + "; publish creates it,",
                    "                            never compacted]",
                    "  --kafka-properties FILE   Kafka client properties (security, SASL, SSL...)",
                    "Exit 0 on success, 1 for a file that is not valid or a Kafka failure, 2 for a"
                            + " command line",
                    "that cannot be run.");

    /** {@code --rules-topic} of publish and list: the job's option. */
    static final Option<String> RULES_TOPIC = RuleTopics.RULES_TOPIC;

    /** {@code --rules-applied-topic} of list: the job's option. */
    static final Option<String> APPLIED_TOPIC = RuleTopics.APPLIED_TOPIC;

    /** Explanations are wrapped for a terminal. */
    private static final int WIDTH = 100;

    private RulesCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC(), System.getenv("USER"));
    }

    /**
     * Runs the command.
     *
     * @param clock the wall clock, for the {@code publishedAt} of published records
     * @param user who publishes unless {@code --published-by} says, or null
     * @return the exit code: 0 valid, 1 a file is not valid (or Kafka failed), 2 a command line
     *     that cannot be run
     */
    static int run(String[] args, PrintStream out, PrintStream err, Clock clock, String user) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (args.length == 0) {
            return usage(err, "say validate, explain, publish or list");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (args[0].equals("publish")) {
            return RulesPublish.run(rest, out, err, clock, user);
        }
        if (args[0].equals("list")) {
            return RulesList.run(rest, out, err);
        }
        List<Path> files = new ArrayList<>();
        for (String a : rest) {
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

    /** Prints the problem and the usage; returns the exit code 2. */
    static int usage(PrintStream err, String problem) {
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
    static LoadedRules read(Path file, PrintStream out) {
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

    /**
     * The Kafka client properties of {@code --bootstrap-servers} and {@code --kafka-properties}.
     *
     * @throws UsageException if the properties file cannot be read
     */
    static Properties kafkaClient(Options.Parsed o) {
        KafkaSettings settings = KafkaSettings.from(o);
        Properties props = new Properties();
        props.putAll(settings.clientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return props;
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
