package io.fraudcep.bench.fuzz;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.sampledata.fuzz.ContractReference;
import io.fraudcep.sampledata.fuzz.DenseLog;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.RefAlert;
import io.fraudcep.sampledata.fuzz.rules.RefRuleAlert;
import io.fraudcep.sampledata.fuzz.rules.RuleReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** What one replay gave and how it differs from the contract (active and shadow alerts). */
    public record Replay(
            Setting setting,
            List<Alert> alerts,
            int lateEvents,
            int deadLetters,
            AlertDiff diff,
            AlertDiff shadowDiff) {

        public boolean passed() {
            return diff.isEmpty() && shadowDiff.isEmpty() && lateEvents == 0 && deadLetters == 0;
        }
    }

    /** One seed's outcome. */
    public record Outcome(
            long seed,
            DenseLogOptions options,
            int events,
            List<UserEvent> log,
            List<RefAlert> expected,
            List<RefAlert> expectedShadow,
            List<Replay> replays) {

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
                    .append(" alerts demanded)");
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
                if (!r.diff().isEmpty()) {
                    b.append(r.diff().report(maxDifferences, 30, log));
                }
                if (!r.shadowDiff().isEmpty()) {
                    b.append("\n  shadow alerts: ")
                            .append(r.shadowDiff().report(maxDifferences, 30, log));
                }
            }
            return b.toString();
        }
    }

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
        Path dir = workDir.resolve("seed-" + seed);
        Files.createDirectories(dir);
        log.write(dir);
        List<UserEvent> events = log.events();
        List<RefAlert> expected;
        List<RefAlert> expectedShadow = new ArrayList<>();
        Path rulesFile = null;
        if (rulesYaml == null) {
            expected = ContractReference.detect(events);
        } else {
            rulesFile = dir.resolve("rules.yaml");
            Files.writeString(rulesFile, rulesYaml);
            RuleSet rules = RuleFiles.parse(rulesYaml, rulesFile.toString());
            expected = new ArrayList<>();
            for (RefRuleAlert a :
                    RuleReference.detect(rules, events, RuleReference.Deadlines.ALL)) {
                RefAlert ref =
                        new RefAlert(
                                a.userId(),
                                a.ruleId(),
                                a.windowStart(),
                                a.detectedAt(),
                                a.eventIds());
                (a.mode() == RuleMode.SHADOW ? expectedShadow : expected).add(ref);
            }
        }
        List<Replay> replays = new ArrayList<>();
        for (Setting s : settings) {
            replays.add(replay(dir, rulesFile, s, expected, expectedShadow));
        }
        Outcome outcome =
                new Outcome(
                        seed, options, events.size(), events, expected, expectedShadow, replays);
        if (outcome.passed()) {
            deleteLog(dir);
        }
        return outcome;
    }

    private Replay replay(
            Path dir,
            Path rulesFile,
            Setting setting,
            List<RefAlert> expected,
            List<RefAlert> expectedShadow)
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
        BacktestJob.Config config = BacktestJob.Config.parse(args.toArray(new String[0]));
        BacktestJob.Result result = BacktestJob.run(env, config);
        return new Replay(
                setting,
                result.alerts(),
                result.lateEvents().size(),
                result.deadLetters().size(),
                AlertDiff.compare(expected, result.alerts()),
                AlertDiff.compare(expectedShadow, result.shadowAlerts()));
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
