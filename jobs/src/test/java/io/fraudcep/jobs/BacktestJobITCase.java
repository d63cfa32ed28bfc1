package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.backtest.BacktestReport;
import io.fraudcep.jobs.backtest.BacktestWriter;
import io.fraudcep.jobs.backtest.PatternDiff;
import io.fraudcep.jobs.backtest.PatternScore;
import io.fraudcep.jobs.backtest.WhatIfComparison;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.sampledata.Fixtures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest from files: the contract's alerts, identical at every parallelism and with keyed
 * state on the heap or in RocksDB; the demo log scored against its labels; a what-if configuration
 * compared in the same pass.
 */
class BacktestJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path dir;

    @Test
    void replaysTheContractLogFromFilesIntoExactlyItsAlerts() throws Exception {
        BacktestJob.Config config = config(2);
        BacktestJob.Result result = run(config);
        BacktestWriter.write(config, result);

        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(config.output())) {
            keys.add(ContractExample.alertKey(ContractExample.read(line)));
        }
        assertThat(keys).isEqualTo(ContractExample.expectedAlerts());
        assertThat(Files.readAllLines(config.deadLetters())).hasSize(ContractExample.BAD_RECORDS);
        assertThat(result.lateEvents()).isEmpty();
        assertThat(result.duplicates()).isEqualTo(ContractExample.DUPLICATES);
        assertThat(result.eventsRead())
                .isEqualTo(
                        ContractExample.TOPIC_FILES.stream()
                                .mapToLong(f -> ContractExample.lines(f).size())
                                .sum());
    }

    @Test
    void givesTheSameAlertsAtParallelismOneTwoAndFour() throws Exception {
        List<Alert> p1 = run(config(1)).alerts();
        List<Alert> p2 = run(config(2)).alerts();
        List<Alert> p4 = run(config(4)).alerts();

        assertThat(p1).hasSize(ContractExample.expectedAlerts().size());
        assertThat(p2).isEqualTo(p1);
        assertThat(p4).isEqualTo(p1);
    }

    @Test
    void givesTheSameAlertsWithStateInRocksDbAsOnTheHeap(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Run heap = runOn(cluster, config(2, "--state-backend", "hashmap"));
        Run rocksdb = runOn(cluster, config(2, "--state-backend", "rocksdb"));

        assertThat(heap.stateBackend()).isEqualTo("HashMapStateBackend");
        assertThat(rocksdb.stateBackend()).isEqualTo("EmbeddedRocksDBStateBackend");
        assertThat(heap.result().alerts()).hasSize(ContractExample.expectedAlerts().size());
        assertThat(rocksdb.result().alerts()).isEqualTo(heap.result().alerts());
        assertThat(rocksdb.result().shadowAlerts()).isEqualTo(heap.result().shadowAlerts());
        assertThat(rocksdb.result().deadLetters())
                .hasSize(ContractExample.BAD_RECORDS)
                .containsExactlyInAnyOrderElementsOf(heap.result().deadLetters());
        assertThat(rocksdb.result().lateEvents()).isEmpty();
        assertThat(rocksdb.result().duplicates()).isEqualTo(ContractExample.DUPLICATES);
    }

    @Test
    void scoresTheDemoLogFromExplicitFilesAgainstItsLabelsAndWritesTheReport() throws Exception {
        Path log = Fixtures.demo();
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--logins-file", log.resolve("user-logins.jsonl").toString(),
                        "--transactions-file", log.resolve("user-transactions.jsonl").toString(),
                        "--account-changes-file",
                                log.resolve("user-account-changes.jsonl").toString(),
                        "--labels", log.resolve("labels.jsonl").toString(),
                        "--output", dir.resolve("demo/alerts.jsonl").toString());

        BacktestJob.Result result = run(config);
        BacktestReport report = BacktestWriter.report(config, result);
        BacktestWriter.writeReport(config, report);

        PatternScore total = report.score().total();
        assertThat(total.positives()).isEqualTo(result.alerts().size()).isPositive();
        assertThat(total.truePositives()).isEqualTo(total.positives());
        assertThat(total.falsePositives()).isZero();
        assertThat(total.misses()).isZero();
        assertThat(report.score().patterns())
                .extracting(PatternScore::patternId)
                .containsExactlyElementsOf(
                        RuleFiles.defaults().evaluatedRules().stream().map(r -> r.id()).toList());
        assertThat(report.score().patterns())
                .allMatch(p -> p.positives() > 0 && p.recall() == 1.0 && p.precision() == 1.0);
        JsonNode json = ContractExample.read(Files.readString(config.reportJson()));
        assertThat(json.get("total").get("recall").asDouble()).isEqualTo(1.0);
        assertThat(json.get("eventsRead").asLong()).isEqualTo(result.eventsRead());
        assertThat(json.get("deadLetters").asInt())
                .isEqualTo(result.deadLetters().size())
                .isPositive();
        assertThat(Files.readString(config.reportHtml()))
                .contains("<svg")
                .doesNotContain("<script");
    }

    @Test
    void aLowerVelocityThresholdInTheWhatIfAddsAlertsOnlyInB() throws Exception {
        String inForce = RuleFiles.defaults().version();
        Path lower = dir.resolve("velocity-9.yaml");
        Files.writeString(
                lower,
                defaultRules()
                        .replace("version: \"" + inForce + "\"", "version: \"what-if\"")
                        .replace("minTransactions: 10", "minTransactions: 9"));
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--input", Fixtures.demo().toString(),
                        "--compare-rules", lower.toString(),
                        "--output", dir.resolve("what-if/alerts.jsonl").toString());

        BacktestJob.Result result = run(config);
        WhatIfComparison whatIf = BacktestWriter.report(config, result).whatIf();

        PatternDiff velocity = whatIf.of("VELOCITY");
        assertThat(velocity.onlyB()).isNotEmpty();
        assertThat(velocity.onlyA()).isEmpty();
        assertThat(velocity.alertsB()).isGreaterThan(velocity.alertsA());
        assertThat(velocity.onlyB()).allMatch(r -> r.patternVersion().startsWith("what-if-"));
        assertThat(whatIf.patterns())
                .filteredOn(d -> !d.patternId().equals("VELOCITY"))
                .isNotEmpty()
                .allMatch(d -> !d.differs() && d.both().size() == d.alertsA());
        assertThat(result.alerts())
                .as("the rules in force are untouched by B")
                .isEqualTo(
                        run(BacktestJob.Config.parse(
                                        "--input", Fixtures.demo().toString(),
                                        "--output", dir.resolve("alone/alerts.jsonl").toString()))
                                .alerts())
                .allMatch(a -> a.patternVersion().startsWith(inForce + "-"));
        assertThat(result.duplicates()).as("counted once, not once per graph").isEqualTo(5);
    }

    @Test
    void aShadowRuleWritesItsAlertsApartAndReportsThemPerRule() throws Exception {
        Path shadow = dir.resolve("velocity-shadow.yaml");
        Files.writeString(
                shadow,
                defaultRules()
                        .replace("  - id: VELOCITY\n", "  - id: VELOCITY\n    mode: shadow\n"));
        BacktestJob.Config config =
                BacktestJob.Config.parse(
                        "--input", Fixtures.demo().toString(),
                        "--rules", shadow.toString(),
                        "--output", dir.resolve("shadow/alerts.jsonl").toString());
        List<Alert> allActive =
                run(BacktestJob.Config.parse(
                                "--input", Fixtures.demo().toString(),
                                "--output", dir.resolve("active/alerts.jsonl").toString()))
                        .alerts();

        BacktestJob.Result result = run(config);
        BacktestWriter.write(config, result);
        BacktestReport report = BacktestWriter.report(config, result);

        List<Alert> velocity =
                allActive.stream().filter(a -> a.patternId().equals("VELOCITY")).toList();
        assertThat(velocity).isNotEmpty();
        assertThat(result.shadowAlerts()).isEqualTo(velocity);
        assertThat(result.alerts())
                .isEqualTo(
                        allActive.stream().filter(a -> !a.patternId().equals("VELOCITY")).toList());
        assertThat(config.shadowAlerts()).isEqualTo(dir.resolve("shadow/alerts.shadow.jsonl"));
        List<String> lines = Files.readAllLines(config.shadowAlerts());
        assertThat(lines).hasSize(velocity.size());
        for (String line : lines) {
            JsonNode a = ContractExample.read(line);
            assertThat(a.get("mode").asText()).isEqualTo("shadow");
            assertThat(a.get("patternId").asText()).isEqualTo("VELOCITY");
        }
        assertThat(Files.readString(config.output())).doesNotContain("VELOCITY", "\"mode\"");
        BacktestReport.PatternRow row =
                report.rows().stream()
                        .filter(r -> r.patternId().equals("VELOCITY"))
                        .findFirst()
                        .orElseThrow();
        assertThat(row.alerts()).isZero();
        assertThat(row.shadowAlerts()).isEqualTo(velocity.size());
        assertThat(report.run().shadowAlerts()).isEqualTo(velocity.size());
    }

    private static String defaultRules() throws Exception {
        try (InputStream in = RuleFiles.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The contract's log at {@code parallelism}, with more options. */
    private BacktestJob.Config config(int parallelism, String... more) {
        Path input = dir.resolve("in");
        if (!Files.isDirectory(input)) {
            ContractExample.copyLogTo(input);
        }
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "--input", input.toString(),
                        "--output",
                                dir.resolve(
                                                "p"
                                                        + parallelism
                                                        + String.join("-", more)
                                                        + "/alerts.jsonl")
                                        .toString(),
                        "--parallelism", Integer.toString(parallelism)));
        args.addAll(List.of(more));
        return BacktestJob.Config.parse(args.toArray(new String[0]));
    }

    private static BacktestJob.Result run(BacktestJob.Config config) throws Exception {
        return BacktestJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }

    /**
     * A backtest's result, and the keyed state backend its job ran on as Flink names it (as the web
     * UI shows it).
     */
    record Run(BacktestJob.Result result, String stateBackend) {}

    /** Runs {@code config} on the environment {@code bin/fraud backtest} builds from it. */
    private static Run runOn(MiniCluster cluster, BacktestJob.Config config) throws Exception {
        Set<JobID> before = jobs(cluster);
        BacktestJob.Result result = BacktestJob.run(BacktestJob.environment(config), config);
        Set<JobID> ran = jobs(cluster);
        ran.removeAll(before);
        assertThat(ran).hasSize(1);
        String backend =
                cluster.getArchivedExecutionGraph(ran.iterator().next())
                        .get()
                        .getStateBackendName()
                        .orElse(null);
        return new Run(result, backend);
    }

    private static Set<JobID> jobs(MiniCluster cluster) throws Exception {
        Set<JobID> ids = new HashSet<>();
        for (JobStatusMessage job : cluster.listJobs().get()) {
            ids.add(job.getJobId());
        }
        return ids;
    }
}
