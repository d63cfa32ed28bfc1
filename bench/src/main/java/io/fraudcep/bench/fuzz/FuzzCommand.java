package io.fraudcep.bench.fuzz;

import io.fraudcep.bench.BenchCluster;
import io.fraudcep.bench.fuzz.DifferentialRun.HistoryCoverage;
import io.fraudcep.bench.fuzz.DifferentialRun.Outcome;
import io.fraudcep.bench.fuzz.DifferentialRun.Setting;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.rules.RandomRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/fraud fuzz}: the differential test at length. For each seed a dense random log, the
 * alerts the contract demands on it (the independent reference) and the pipeline's alerts from a
 * replay of its files at each parallelism, compared alert by alert. Prints a line per seed and a
 * summary; the first failing seed's report names the differing alerts and the user's events around
 * them, and its log stays in the work directory. Exit 0 when every seed passed, 1 otherwise.
 *
 * <p>With {@code --random-rules} each seed gets a random rule file, judged by the reference
 * interpreter of rules.md; with {@code --random-histories} also a random history of rule versions
 * taking effect while its rules match, replayed with {@code --rules-history}: each trigger must be
 * judged by the version in force at its instant, and each alert carry that version's {@code
 * patternVersion}.
 */
public final class FuzzCommand {

    static final Option<Integer> SEEDS = Option.positiveInt("seeds", 100, "how many seeds to run");
    static final Option<Integer> FIRST_SEED =
            Option.nonNegativeInt("first-seed", 1, "the first seed; the others follow it");
    static final Option<Integer> USERS =
            Option.positiveInt("users", DenseLogOptions.DEFAULT_USERS, "users per log");
    static final Option<Integer> EVENTS_PER_USER =
            Option.positiveInt(
                    "events-per-user",
                    DenseLogOptions.DEFAULT_EVENTS_PER_USER,
                    "events per user (about)");
    static final Option<String> PARALLELISM =
            Option.custom(
                    "parallelism",
                    "N[,N...]",
                    "1,4",
                    "replay each log at each of these parallelisms",
                    FuzzCommand::parallelisms);
    static final Option<Duration> WATERMARK_INTERVAL =
            Option.duration(
                    "watermark-interval",
                    null,
                    "pipeline.auto-watermark-interval of the replays (default: Flink's 200ms)");
    static final Option<Path> WORK_DIR =
            Option.path(
                    "work-dir",
                    "DIR",
                    "where logs are written; a failing seed's stays (default:"
                            + " <java.io.tmpdir>/fraud-cep-fuzz)");
    static final Option<Boolean> KEEP_GOING =
            Option.flag("keep-going", "run every seed even after a failure");
    static final Option<Boolean> RANDOM_RULES =
            Option.flag(
                    "random-rules",
                    "instead of the default rules, give each seed a random rule file of its own"
                            + " (steps, quantifiers, references, having, absences, windows) and"
                            + " compare with the reference interpreter of rules.md");
    static final Option<Boolean> RANDOM_HISTORIES =
            Option.flag(
                    "random-histories",
                    "as --random-rules, and give each seed's rule file a random history of rule"
                            + " versions (thresholds, windows, modes and absences changed, rules"
                            + " disabled, re-enabled and added) taking effect while its rules"
                            + " match, replayed with --rules-history; each trigger must be judged"
                            + " by the version in force at its instant and each alert carry that"
                            + " version's patternVersion; a failing seed keeps rules.yaml and"
                            + " rules-history.jsonl with its log");

    private FuzzCommand() {}

    static Options options() {
        return new Options(
                "fuzz",
                "Compares the pipeline with an independent reference of the contracts on dense"
                        + " random logs, seed by seed.",
                List.of(
                        SEEDS,
                        FIRST_SEED,
                        USERS,
                        EVENTS_PER_USER,
                        PARALLELISM,
                        WATERMARK_INTERVAL,
                        WORK_DIR,
                        KEEP_GOING,
                        RANDOM_RULES,
                        RANDOM_HISTORIES));
    }

    private static String parallelisms(String text) {
        for (String p : text.split(",")) {
            int n;
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be whole numbers, not '" + p + "'");
            }
            if (n < 1) {
                throw new IllegalArgumentException("must be positive, not " + n);
            }
        }
        return text;
    }

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(options().help());
            return;
        }
        Options.Parsed o;
        DenseLogOptions logOptions;
        try {
            o = options().parse(args);
            logOptions = new DenseLogOptions(o.get(USERS), o.get(EVENTS_PER_USER));
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("fuzz: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Setting> settings = new ArrayList<>();
        int maxParallelism = 1;
        for (String p : o.get(PARALLELISM).split(",")) {
            int n = Integer.parseInt(p.trim());
            settings.add(new Setting(n, o.get(WATERMARK_INTERVAL)));
            maxParallelism = Math.max(maxParallelism, n);
        }
        Path workDir =
                o.get(WORK_DIR) != null
                        ? o.get(WORK_DIR)
                        : Path.of(System.getProperty("java.io.tmpdir"), "fraud-cep-fuzz");
        Files.createDirectories(workDir);
        System.exit(run(o, logOptions, settings, maxParallelism, workDir) ? 0 : 1);
    }

    private static boolean run(
            Options.Parsed o,
            DenseLogOptions logOptions,
            List<Setting> settings,
            int maxParallelism,
            Path workDir)
            throws Exception {
        int seeds = o.get(SEEDS);
        long first = o.get(FIRST_SEED);
        long events = 0;
        long alerts = 0;
        long versions = 0;
        long byTopicVersions = 0;
        long acrossAChange = 0;
        Map<String, Integer> perPattern = new TreeMap<>();
        List<Long> failed = new ArrayList<>();
        long start = System.nanoTime();
        try (BenchCluster cluster =
                new BenchCluster(maxParallelism, workDir.resolve("checkpoints"), null, null)) {
            DifferentialRun differential = new DifferentialRun(cluster::environment, workDir);
            for (long seed = first; seed < first + seeds; seed++) {
                long t0 = System.nanoTime();
                Outcome outcome =
                        o.get(RANDOM_HISTORIES)
                                ? differential.runHistory(seed, logOptions, settings)
                                : differential.run(
                                        seed,
                                        logOptions,
                                        settings,
                                        o.get(RANDOM_RULES) ? RandomRules.generate(seed) : null);
                events += outcome.events();
                alerts += outcome.expected().size() + outcome.expectedShadow().size();
                outcome.expectedPerPattern()
                        .forEach((k, v) -> perPattern.merge(k, v, Integer::sum));
                HistoryCoverage c = outcome.coverage();
                if (c != null) {
                    versions += c.versions();
                    byTopicVersions += c.byTopicVersions();
                    acrossAChange += c.acrossAChange();
                }
                System.out.printf(
                        "seed %d: %d events, %d alerts demanded%s, %s at %s (%.1f s)%n",
                        seed,
                        outcome.events(),
                        outcome.expected().size() + outcome.expectedShadow().size(),
                        c == null
                                ? ""
                                : " ("
                                        + c.byTopicVersions()
                                        + " judged by its "
                                        + c.versions()
                                        + " rule versions)",
                        outcome.passed() ? "identical" : "DIFFERENT",
                        settings,
                        (System.nanoTime() - t0) / 1e9);
                if (!outcome.passed()) {
                    failed.add(seed);
                    System.out.println(outcome.failureReport(5));
                    System.out.println(
                            "  log (and its "
                                    + DifferentialRun.RULES_FILE
                                    + (outcome.history() != null
                                            ? " and " + DifferentialRun.HISTORY_FILE
                                            : "")
                                    + ") kept in "
                                    + outcome.dir());
                    if (!o.get(KEEP_GOING)) {
                        break;
                    }
                }
            }
        }
        System.out.printf(
                "%n%d seeds, %d events, %d alerts demanded %s, %d failed %s (%.0f s)%n",
                seeds,
                events,
                alerts,
                perPattern,
                failed.size(),
                failed.isEmpty() ? "" : failed,
                (System.nanoTime() - start) / 1e9);
        if (o.get(RANDOM_HISTORIES)) {
            System.out.printf(
                    "%d rule versions; %d alerts judged by a version of the topic, %d of them"
                            + " with events from before it took effect%n",
                    versions, byTopicVersions, acrossAChange);
        }
        return failed.isEmpty();
    }
}
