package io.fraudcep.bench.fuzz;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.fuzz.ContractReference;
import io.fraudcep.sampledata.fuzz.DenseLog;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import io.fraudcep.sampledata.fuzz.RefAlert;
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
 * the contract demands on it from {@link ContractReference} (an independent, naive reading of
 * patterns.md and alerts.md that shares no code with the pipeline), and the pipeline's own alerts
 * from {@code bin/fraud backtest}'s replay of the log's files, at each of the given settings. Every
 * run must give exactly the reference's alerts, no late event and no dead letter.
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

    /** What one replay gave and how it differs from the contract. */
    public record Replay(
            Setting setting, List<Alert> alerts, int lateEvents, int deadLetters, AlertDiff diff) {

        public boolean passed() {
            return diff.isEmpty() && lateEvents == 0 && deadLetters == 0;
        }
    }

    /** One seed's outcome. */
    public record Outcome(
            long seed,
            DenseLogOptions options,
            int events,
            List<UserEvent> log,
            List<RefAlert> expected,
            List<Replay> replays) {

        public boolean passed() {
            return replays.stream().allMatch(Replay::passed);
        }

        /** Alerts the contract demands, per pattern. */
        public Map<String, Integer> expectedPerPattern() {
            Map<String, Integer> counts = new TreeMap<>();
            expected.forEach(a -> counts.merge(a.patternId(), 1, Integer::sum));
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
                b.append(r.diff().report(maxDifferences, 30, log));
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

    /** Generates the seed's log, asks the reference, replays the log at every setting. */
    public Outcome run(long seed, DenseLogOptions options, List<Setting> settings)
            throws Exception {
        DenseLog log = DenseLogGenerator.generate(seed, options);
        Path dir = workDir.resolve("seed-" + seed);
        Files.createDirectories(dir);
        log.write(dir);
        List<UserEvent> events = log.events();
        List<RefAlert> expected = ContractReference.detect(events);
        List<Replay> replays = new ArrayList<>();
        for (Setting s : settings) {
            replays.add(replay(dir, s, expected));
        }
        Outcome outcome = new Outcome(seed, options, events.size(), events, expected, replays);
        if (outcome.passed()) {
            deleteLog(dir);
        }
        return outcome;
    }

    private Replay replay(Path dir, Setting setting, List<RefAlert> expected) throws Exception {
        StreamExecutionEnvironment env = environments.get();
        if (setting.watermarkInterval() != null) {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, setting.watermarkInterval());
            env.configure(conf);
        }
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--input",
                        dir.toString(),
                        "--output",
                        dir.resolve("alerts.jsonl").toString(),
                        // Synthetic logs may be dated after today: no wall-clock guard here.
                        "--max-future-skew",
                        "36500d",
                        "--parallelism",
                        Integer.toString(setting.parallelism()));
        BacktestJob.Result result = BacktestJob.run(env, config);
        return new Replay(
                setting,
                result.alerts(),
                result.lateEvents().size(),
                result.deadLetters().size(),
                AlertDiff.compare(expected, result.alerts()));
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
