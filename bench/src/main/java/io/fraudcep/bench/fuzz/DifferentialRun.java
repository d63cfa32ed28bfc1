package io.fraudcep.bench.fuzz;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleVersion;
import io.fraudcep.sampledata.fuzz.ContractReference;
import io.fraudcep.sampledata.fuzz.DenseLog;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.RefAlert;
import io.fraudcep.sampledata.fuzz.rules.RandomRuleHistories;
import io.fraudcep.sampledata.fuzz.rules.RandomRules;
import io.fraudcep.sampledata.fuzz.rules.RefRuleAlert;
import io.fraudcep.sampledata.fuzz.rules.RuleReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One seed of the differential test: a dense random log from {@link DenseLogGenerator}, the alerts
 * the contracts demand on it, and the pipeline's own alerts from {@code bin/fraud backtest}'s
 * replay of the log's files, at each of the given settings. Every run must give exactly the
 * reference's alerts, no late event and no dead letter.
 *
 * <p>Two references, neither sharing matching code with the pipeline: for the default rules, {@link
 * ContractReference} (a naive reading of patterns.md and alerts.md that knows nothing of the rule
 * language); for any other rule file (e.g. random rules), {@link RuleReference} (a brute-force
 * interpreter of rules.md), against active and shadow alerts separately.
 *
 * <p>With a rule history ({@link #runHistory}), a random rule file is the base and {@link
 * RandomRuleHistories} adds versions of its rules and of new ones that take effect over the log's
 * span; the replay reads them with {@code --rules-history}, and {@link RuleReference} judges each
 * trigger by the version in force at its instant. Every alert must then also carry the {@code
 * patternVersion} of that version, and the replay must read every version as written.
 */
public final class DifferentialRun {

    /**
     * How one replay runs.
     *
     * @param parallelism the replay's parallelism
     * @param watermarkInterval {@code pipeline.auto-watermark-interval}: the size of the
     *     watermark's steps through the log (null: Flink's default, 200 ms)
     */
    public record Setting(int parallelism, Duration watermarkInterval) {

        @Override
        public String toString() {
            return "p="
                    + parallelism
                    + (watermarkInterval == null
                            ? ""
                            : " wm=" + watermarkInterval.toMillis() + "ms");
        }
    }

    /**
     * What one replay gave and how it differs from the contract (active and shadow alerts).
     *
     * @param ruleRecordProblems how the rule versions the replay read differ from the history it
     *     was given (a record rejected, a version missing, changed or added); empty without a
     *     history
     */
    public record Replay(
            Setting setting,
            List<Alert> alerts,
            int lateEvents,
            int deadLetters,
            AlertDiff diff,
            AlertDiff shadowDiff,
            List<String> ruleRecordProblems) {

        public boolean passed() {
            return diff.isEmpty()
                    && shadowDiff.isEmpty()
                    && lateEvents == 0
                    && deadLetters == 0
                    && ruleRecordProblems.isEmpty();
        }
    }

    /**
     * How much of a rule history a seed's demanded alerts exercise.
     *
     * @param ruleIds rule ids in the history
     * @param versions versions of the control topic
     * @param byTopicVersions alerts judged by a version of the topic (not the rule file's)
     * @param acrossAChange alerts whose window holds events from before their judging version took
     *     effect (it judges them all)
     * @param atDeadlines alerts of a version ending with an absence, at its deadline
     */
    public record HistoryCoverage(
            int ruleIds, int versions, int byTopicVersions, int acrossAChange, int atDeadlines) {

        @Override
        public String toString() {
            return ruleIds
                    + " rule ids, "
                    + versions
                    + " versions; alerts judged by a topic version "
                    + byTopicVersions
                    + ", across a change "
                    + acrossAChange
                    + ", at a deadline "
                    + atDeadlines;
        }
    }

    /**
     * One seed's outcome.
     *
     * @param dir where the seed's log (and its rule file and history) are written; deleted when
     *     every replay passed
     * @param history the rule history replayed, or null for a rule file alone
     * @param coverage what the demanded alerts exercise of the history, or null without one
     */
    public record Outcome(
            long seed,
            DenseLogOptions options,
            int events,
            List<UserEvent> log,
            List<RefAlert> expected,
            List<RefAlert> expectedShadow,
            List<Replay> replays,
            Path dir,
            RuleHistory history,
            HistoryCoverage coverage) {

        public boolean passed() {
            return replays.stream().allMatch(Replay::passed);
        }

        /** Alerts the contract demands, per rule (shadow rules' alerts included). */
        public Map<String, Integer> expectedPerPattern() {
            Map<String, Integer> counts = new TreeMap<>();
            expected.forEach(a -> counts.merge(a.patternId(), 1, Integer::sum));
            expectedShadow.forEach(a -> counts.merge(a.patternId(), 1, Integer::sum));
            return counts;
        }

        /** What failed, with the first differing alerts and the user's events around them. */
        public String failureReport(int maxDifferences) {
            StringBuilder b = new StringBuilder();
            b.append("seed ")
                    .append(seed)
                    .append(" (")
                    .append(options.users())
                    .append(" users, ")
                    .append(events)
                    .append(" events, ")
                    .append(expected.size())
                    .append(" alerts demanded");
            if (!expectedShadow.isEmpty()) {
                b.append(", ").append(expectedShadow.size()).append(" shadow");
            }
            b.append(')');
            if (coverage != null) {
                b.append("\n rule history: ").append(coverage);
            }
            for (Replay r : replays) {
                if (r.passed()) {
                    continue;
                }
                b.append("\n ").append(r.setting()).append(": ");
                if (r.lateEvents() > 0 || r.deadLetters() > 0) {
                    b.append(r.lateEvents())
                            .append(" late events, ")
                            .append(r.deadLetters())
                            .append(" dead letters; ");
                }
                for (String problem : r.ruleRecordProblems()) {
                    b.append("\n  rule versions read: ").append(problem);
                }
                if (!r.diff().isEmpty()) {
                    b.append("\n  active alerts: ")
                            .append(r.diff().report(maxDifferences, 30, log, history));
                }
                if (!r.shadowDiff().isEmpty()) {
                    b.append("\n  shadow alerts: ")
                            .append(r.shadowDiff().report(maxDifferences, 30, log, history));
                }
            }
            if (history != null && !passed()) {
                b.append("\n to replay it: bin/fraud backtest --input ")
                        .append(dir)
                        .append(" --output alerts.jsonl --max-future-skew 36500d --rules ")
                        .append(dir.resolve(RULES_FILE))
                        .append(" --rules-history ")
                        .append(dir.resolve(HISTORY_FILE));
            }
            return b.toString();
        }
    }

    /** The rule file of a seed, in its directory. */
    public static final String RULES_FILE = "rules.yaml";

    /** The rule history of a seed, in its directory. */
    public static final String HISTORY_FILE = "rules-history.jsonl";

    private final Supplier<StreamExecutionEnvironment> environments;
    private final Path workDir;

    /**
     * @param environments a fresh environment for each replay (on a shared cluster, for speed)
     * @param workDir where the logs are written, one directory per seed
     */
    public DifferentialRun(Supplier<StreamExecutionEnvironment> environments, Path workDir) {
        this.environments = environments;
        this.workDir = workDir;
    }

    /**
     * Generates the seed's log, asks {@link ContractReference} what the default rules must give,
     * replays the log at every setting.
     */
    public Outcome run(long seed, DenseLogOptions options, List<Setting> settings)
            throws Exception {
        return run(seed, options, settings, null);
    }

    /**
     * Generates the seed's log, asks {@link RuleReference} what the rule file {@code rulesYaml}
     * must give (every deadline fires: a replay ends with a final watermark), replays the log with
     * {@code --rules} at every setting. A null file means the default rules, judged by {@link
     * ContractReference}.
     */
    public Outcome run(long seed, DenseLogOptions options, List<Setting> settings, String rulesYaml)
            throws Exception {
        DenseLog log = DenseLogGenerator.generate(seed, options);
        if (rulesYaml == null) {
            Path dir = logDir(log);
            List<RefAlert> expected = ContractReference.detect(log.events());
            List<Replay> replays = new ArrayList<>();
            for (Setting s : settings) {
                replays.add(
                        replay(dir, null, null, s, AlertDiff::compare, expected, List.of(), null));
            }
            return finish(log, dir, expected, List.of(), replays, null, null);
        }
        RuleSet rules = RuleFiles.parse(rulesYaml, RULES_FILE);
        return run(log, rulesYaml, RuleHistory.of(rules), false, settings);
    }

    /**
     * Generates the seed's log, a random rule file ({@link RandomRules}, as {@link #run(long,
     * DenseLogOptions, List, String)} with random rules) and a random history of versions over it
     * ({@link RandomRuleHistories}, same seed, over the log's span), moves the history's instants
     * onto the rules' activity ({@link #ontoActivity}), replays the log with {@code --rules} and
     * {@code --rules-history} at every setting and compares with {@link RuleReference} on that
     * history (every deadline fires).
     */
    public Outcome runHistory(long seed, DenseLogOptions options, List<Setting> settings)
            throws Exception {
        DenseLog log = DenseLogGenerator.generate(seed, options);
        String rulesYaml = RandomRules.generate(seed);
        RuleSet base = RuleFiles.parse(rulesYaml, RULES_FILE);
        List<UserEvent> events = log.events();
        Instant from = Instant.MAX;
        Instant until = Instant.MIN;
        for (UserEvent e : events) {
            from = e.timestamp().isBefore(from) ? e.timestamp() : from;
            until = e.timestamp().isAfter(until) ? e.timestamp() : until;
        }
        RuleHistory spread = RandomRuleHistories.generate(seed, base, from, until);
        RuleHistory history =
                ontoActivity(
                        spread,
                        RuleReference.detect(spread, events, RuleReference.Deadlines.ALL),
                        from,
                        seed);
        return run(log, rulesYaml, history, true, settings);
    }

    /**
     * The history with its instants moved onto its rules' activity. A dense log is busy for weeks
     * and then idle for months, and a rule's matches are minutes long: versions spread evenly over
     * its span almost never take effect while a rule is matching, so the cases that need it (a
     * version judging a window that began under the previous one, suppression by an alert of the
     * previous version, an absence whose deadline falls under another version) would go untested.
     * So each instant at or after {@code logStart} moves into the window of an alert the spread
     * history gives for a rule id that changes at that instant: at its trigger or strictly inside
     * its window. The moves keep what the generator chose between versions: each id's versions keep
     * their order on the axis (ties and versions taking effect before an earlier version included),
     * an instant shared by several ids stays shared, and instants before the log stay where they
     * are.
     *
     * @param spread the generated history
     * @param alerts the reference's alerts of {@code spread} on the log
     * @param logStart the log's first event time
     * @param seed the seed of the choices
     */
    static RuleHistory ontoActivity(
            RuleHistory spread, List<RefRuleAlert> alerts, Instant logStart, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<RefRuleAlert>> byId = new TreeMap<>();
        for (RefRuleAlert a : alerts) {
            byId.computeIfAbsent(a.ruleId(), k -> new ArrayList<>()).add(a);
        }
        TreeMap<Instant, TreeSet<String>> idsAt = new TreeMap<>();
        for (RuleVersion v : spread.versions()) {
            idsAt.computeIfAbsent(v.effectiveFrom(), k -> new TreeSet<>()).add(v.ruleId());
        }
        Map<Instant, Instant> moved = new HashMap<>();
        Map<String, Instant> latest = new HashMap<>(); // per id, where its last instant went
        for (Map.Entry<Instant, TreeSet<String>> at : idsAt.entrySet()) {
            Instant target = at.getKey();
            if (!target.isBefore(logStart)) {
                Instant after = Instant.MIN; // the move must stay after each id's previous one
                for (String id : at.getValue()) {
                    Instant l = latest.get(id);
                    after = l != null && l.isAfter(after) ? l : after;
                }
                List<RefRuleAlert> candidates = new ArrayList<>();
                for (String id : at.getValue()) {
                    for (RefRuleAlert a : byId.getOrDefault(id, List.of())) {
                        if (a.detectedAt().isAfter(after)) {
                            candidates.add(a);
                        }
                    }
                }
                if (!candidates.isEmpty()) {
                    candidates.sort(Comparator.comparing(RefRuleAlert::detectedAt));
                    // Among the earlier third: the id's later versions need alerts after it.
                    RefRuleAlert a = candidates.get(rnd.nextInt(1 + (candidates.size() - 1) / 3));
                    Instant start = a.windowStart().isAfter(after) ? a.windowStart() : after;
                    long nanos = Duration.between(start, a.detectedAt()).toNanos();
                    target =
                            nanos <= 1 || rnd.nextInt(4) == 0
                                    ? a.detectedAt()
                                    : start.plusNanos(1 + rnd.nextLong(nanos - 1));
                } else if (!after.equals(Instant.MIN) && !target.isAfter(after)) {
                    target = after.plusMillis(1 + rnd.nextLong(60_000));
                }
            }
            moved.put(at.getKey(), target);
            for (String id : at.getValue()) {
                latest.put(id, target);
            }
        }
        List<RuleVersion> versions = new ArrayList<>();
        for (RuleVersion v : spread.versions()) {
            versions.add(
                    new RuleVersion(
                            v.ruleId(),
                            v.ruleVersion(),
                            moved.get(v.effectiveFrom()),
                            v.rule(),
                            v.ruleJson()));
        }
        return new RuleHistory(spread.base(), versions);
    }

    /**
     * Replays a given log (e.g. a few events of a regression case) with a rule file and a history
     * of versions over it ({@code --rules-history}, written as {@link RandomRuleHistories#toJsonl}
     * writes it) at every setting, and compares with {@link RuleReference} on that history.
     *
     * @param log the log; its seed names its directory
     * @param rulesYaml the rule file (the history's base must be what it parses to)
     * @param history the versions over it
     */
    public Outcome runHistory(
            DenseLog log, String rulesYaml, RuleHistory history, List<Setting> settings)
            throws Exception {
        return run(log, rulesYaml, history, true, settings);
    }

    private Outcome run(
            DenseLog log,
            String rulesYaml,
            RuleHistory history,
            boolean replayHistory,
            List<Setting> settings)
            throws Exception {
        Path dir = logDir(log);
        Path rulesFile = dir.resolve(RULES_FILE);
        Files.writeString(rulesFile, rulesYaml);
        Path historyFile = null;
        if (replayHistory) {
            historyFile = dir.resolve(HISTORY_FILE);
            Files.write(historyFile, RandomRuleHistories.toJsonl(history));
        }
        List<RefRuleAlert> active = new ArrayList<>();
        List<RefRuleAlert> shadow = new ArrayList<>();
        for (RefRuleAlert a :
                RuleReference.detect(history, log.events(), RuleReference.Deadlines.ALL)) {
            (a.mode() == RuleMode.SHADOW ? shadow : active).add(a);
        }
        List<Replay> replays = new ArrayList<>();
        for (Setting s : settings) {
            replays.add(
                    replay(
                            dir,
                            rulesFile,
                            historyFile,
                            s,
                            AlertDiff::compareRuleAlerts,
                            active,
                            shadow,
                            replayHistory ? history : null));
        }
        return finish(
                log,
                dir,
                refAlerts(active),
                refAlerts(shadow),
                replays,
                replayHistory ? history : null,
                replayHistory ? coverage(history, active, shadow) : null);
    }

    private Path logDir(DenseLog log) throws IOException {
        Path dir = workDir.resolve("seed-" + log.seed());
        Files.createDirectories(dir);
        log.write(dir);
        return dir;
    }

    private static Outcome finish(
            DenseLog log,
            Path dir,
            List<RefAlert> expected,
            List<RefAlert> expectedShadow,
            List<Replay> replays,
            RuleHistory history,
            HistoryCoverage coverage)
            throws IOException {
        List<UserEvent> events = log.events();
        Outcome outcome =
                new Outcome(
                        log.seed(),
                        log.options(),
                        events.size(),
                        events,
                        expected,
                        expectedShadow,
                        replays,
                        dir,
                        history,
                        coverage);
        if (outcome.passed()) {
            deleteLog(dir);
        }
        return outcome;
    }

    private static List<RefAlert> refAlerts(List<RefRuleAlert> alerts) {
        List<RefAlert> out = new ArrayList<>();
        for (RefRuleAlert a : alerts) {
            out.add(
                    new RefAlert(
                            a.userId(), a.ruleId(), a.windowStart(), a.detectedAt(), a.eventIds()));
        }
        return out;
    }

    /** What the demanded alerts exercise of the history. */
    private static HistoryCoverage coverage(
            RuleHistory history, List<RefRuleAlert> active, List<RefRuleAlert> shadow) {
        int byTopic = 0;
        int across = 0;
        int deadlines = 0;
        List<RefRuleAlert> all = new ArrayList<>(active);
        all.addAll(shadow);
        for (RefRuleAlert a : all) {
            RuleVersion judge = history.inForce(a.ruleId(), a.detectedAt());
            if (judge.ruleVersion() > 0) {
                byTopic++;
            }
            if (judge.effectiveFrom().isAfter(a.windowStart())) {
                across++;
            }
            if (judge.rule().endsWithAbsence()) {
                deadlines++;
            }
        }
        return new HistoryCoverage(
                history.ruleIds().size(), history.versions().size(), byTopic, across, deadlines);
    }

    /** A comparison of one mode's demanded alerts with the pipeline's. */
    private interface Comparison<T> {
        AlertDiff compare(List<T> expected, List<Alert> actual);
    }

    private <T> Replay replay(
            Path dir,
            Path rulesFile,
            Path historyFile,
            Setting setting,
            Comparison<T> comparison,
            List<T> expected,
            List<T> expectedShadow,
            RuleHistory history)
            throws Exception {
        StreamExecutionEnvironment env = environments.get();
        if (setting.watermarkInterval() != null) {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, setting.watermarkInterval());
            env.configure(conf);
        }
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--input",
                                dir.toString(),
                                "--output",
                                dir.resolve("alerts.jsonl").toString(),
                                // Synthetic logs may be dated after today: no wall-clock guard.
                                "--max-future-skew",
                                "36500d",
                                "--parallelism",
                                Integer.toString(setting.parallelism())));
        if (rulesFile != null) {
            args.addAll(List.of("--rules", rulesFile.toString()));
        }
        if (historyFile != null) {
            args.addAll(List.of("--rules-history", historyFile.toString()));
        }
        BacktestJob.Config config = BacktestJob.Config.parse(args.toArray(new String[0]));
        BacktestJob.Result result = BacktestJob.run(env, config);
        return new Replay(
                setting,
                result.alerts(),
                result.lateEvents().size(),
                result.deadLetters().size(),
                comparison.compare(expected, result.alerts()),
                comparison.compare(expectedShadow, result.shadowAlerts()),
                history == null ? List.of() : ruleRecordProblems(history, result));
    }

    /**
     * How the versions the replay read differ from those written: every record must be read, at its
     * instant, as the same rule.
     */
    private static List<String> ruleRecordProblems(RuleHistory written, BacktestJob.Result result) {
        List<String> problems = new ArrayList<>();
        for (RuleHistoryBuilder.Rejected r : result.rejectedRuleRecords()) {
            problems.add("rejected at " + r.where() + ": " + r.reason());
        }
        Map<String, RuleVersion> read = new TreeMap<>();
        for (RuleVersion v : result.ruleHistory().versions()) {
            read.put(v.ruleId() + " v" + v.ruleVersion(), v);
        }
        for (RuleVersion v : written.versions()) {
            String name = v.ruleId() + " v" + v.ruleVersion();
            RuleVersion r = read.remove(name);
            if (r == null) {
                problems.add(name + " not read");
            } else if (!r.effectiveFrom().equals(v.effectiveFrom())) {
                problems.add(
                        name
                                + " read from "
                                + r.effectiveFrom()
                                + ", written "
                                + v.effectiveFrom());
            } else if (r.rule().mode() != v.rule().mode()
                    || !RuleCanonical.canonical(r.rule())
                            .equals(RuleCanonical.canonical(v.rule()))) {
                problems.add(name + " read as another rule: " + RuleCanonical.canonical(r.rule()));
            }
        }
        read.keySet().forEach(name -> problems.add(name + " read but never written"));
        return problems;
    }

    private static void deleteLog(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
