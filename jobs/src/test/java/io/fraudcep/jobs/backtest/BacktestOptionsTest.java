package io.fraudcep.jobs.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.jobs.BacktestJob;
import io.fraudcep.jobs.files.LogFile;
import io.fraudcep.jobs.local.StateBackendProfile;
import io.fraudcep.jobs.options.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest's command line: one input, Kafka ranges, outputs, reports. */
class BacktestOptionsTest {

    @TempDir Path dir;

    private Path logins;
    private Path out;

    @BeforeEach
    void aLog() throws Exception {
        logins = Files.writeString(dir.resolve("user-logins.jsonl"), "");
        out = dir.resolve("out/alerts.jsonl");
    }

    @Test
    void replaysADirectoryWithReportsNextToTheOutput() {
        BacktestJob.Config c = parse("--input", dir.toString(), "--output", out.toString());

        assertThat(c.input())
                .isEqualTo(
                        new ReplayInput.Files(
                                java.util.List.of(new LogFile("user-logins", logins.toString()))));
        assertThat(c.reportJson()).isEqualTo(dir.resolve("out/alerts.report.json"));
        assertThat(c.reportHtml()).isEqualTo(dir.resolve("out/alerts.report.html"));
        assertThat(c.deadLetters()).isEqualTo(dir.resolve("out/alerts.dead-letters.jsonl"));
        assertThat(c.shadowAlerts()).isEqualTo(dir.resolve("out/alerts.shadow.jsonl"));
        assertThat(c.parallelism()).isEqualTo(2);
        assertThat(c.whatIf()).isNull();
        assertThat(c.labels()).isNull();
    }

    @Test
    void replaysExplicitFilesUnderTheirTopicNames() throws Exception {
        Path tx = Files.writeString(dir.resolve("tx.jsonl"), "");

        BacktestJob.Config c =
                parse(
                        "--transactions-file", tx.toString(),
                        "--transactions-topic", "payments",
                        "--output", out.toString());

        assertThat(((ReplayInput.Files) c.input()).files())
                .containsExactly(new LogFile("payments", tx.toString()));
    }

    @Test
    void replaysKafkaWithAFreshGroupThatNeverCommits() {
        BacktestJob.Config c =
                parse(
                        "--bootstrap-servers", "broker:9092",
                        "--from", "2026-01-05T00:00:00Z",
                        "--until", "1767657600000",
                        "--alerts-topic", "backtest-alerts");

        ReplayInput.Kafka kafka = (ReplayInput.Kafka) c.input();
        assertThat(kafka.start().timestamp())
                .isEqualTo(Instant.parse("2026-01-05T00:00:00Z").toEpochMilli());
        assertThat(kafka.end().timestamp()).isEqualTo(1767657600000L);
        assertThat(kafka.kafka().alertsTopic()).isEqualTo("backtest-alerts");
        assertThat(kafka.groupId()).startsWith("fraud-backtest-");
        assertThat(
                        ((ReplayInput.Kafka)
                                        parse("--bootstrap-servers", "b:1", "--alerts-topic", "a")
                                                .input())
                                .groupId())
                .as("a new group every run")
                .isNotEqualTo(kafka.groupId());
        assertThat(kafka.sourceSettings().clientProperties())
                .containsEntry("commit.offsets.on.checkpoint", "false")
                .containsEntry("enable.auto.commit", "false");
        assertThat(c.output()).isNull();
        assertThat(c.reportJson()).as("no output file, no default report file").isNull();
    }

    @Test
    void thePatternOptionsAreRefusedWithTheRuleOptionsThatReplacedThem() {
        String[] input = {"--input", dir.toString(), "--output", out.toString()};
        assertThatThrownBy(() -> parse(with(input, "--patterns", logins.toString())))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--patterns was replaced by --rules");
        assertThatThrownBy(() -> parse(with(input, "--compare-patterns", logins.toString())))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--compare-patterns was replaced by --compare-rules")
                .hasMessageContaining("a v1 pattern file is converted");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void parsesStartAndEndOfAKafkaReplay() {
        assertThat(ReplayStart.parse("earliest")).isEqualTo(ReplayStart.EARLIEST);
        assertThat(ReplayStart.parse("user-logins:0=10, user-logins:1=20").offsets())
                .isEqualTo(
                        Map.of(
                                new TopicPartition("user-logins", 0), 10L,
                                new TopicPartition("user-logins", 1), 20L));
        assertThat(ReplayStart.parse("user-logins:0=10").toString()).isEqualTo("user-logins:0=10");
        assertThat(ReplayEnd.parse("latest")).isEqualTo(ReplayEnd.LATEST);
        assertThat(ReplayEnd.parse("2026-02-01T00:00:00Z").toString())
                .isEqualTo("2026-02-01T00:00:00Z");
        assertThatThrownBy(() -> ReplayStart.parse("yesterday"))
                .hasMessageContaining("earliest, topic:partition=offset");
        assertThatThrownBy(() -> ReplayStart.parse("user-logins=3"))
                .hasMessageContaining("topic:partition=offset");
        assertThatThrownBy(() -> ReplayStart.parse("t:0=1,t:0=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ReplayEnd.parse("committed")).hasMessageContaining("latest");
    }

    @Test
    void takesTheStateBackendOfTheLocalClusterAndListsItInTheUsage() {
        String i = dir.toString();
        String o = out.toString();

        assertThat(parse("--input", i, "--output", o).stateBackend())
                .as("not given: the environment's own")
                .isNull();
        assertThat(parse("--input", i, "--output", o, "--state-backend", "rocksdb").stateBackend())
                .isEqualTo(StateBackendProfile.ROCKSDB);
        assertThat(parse("--input", i, "--output", o, "--state-backend=hashmap").stateBackend())
                .isEqualTo(StateBackendProfile.HASHMAP);
        assertThatThrownBy(() -> parse("--input", i, "--output", o, "--state-backend", "heap"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--state-backend: must be one of hashmap|rocksdb, not 'heap'");
        assertThatThrownBy(() -> parse("--input", i, "--output", o, "--state-backend"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--state-backend needs a value hashmap|rocksdb");
        assertThat(BacktestOptions.options().help())
                .contains("--state-backend hashmap|rocksdb")
                .contains("flink-conf/conf/rocksdb.yaml");
    }

    @Test
    void namesTheOptionAtFault() {
        String o = out.toString();
        assertThatThrownBy(() -> parse("--output", o)).hasMessageContaining("--input is required");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        dir.toString(),
                                        "--bootstrap-servers",
                                        "b:1",
                                        "--output",
                                        o))
                .hasMessageContaining("give one input")
                .hasMessageContaining("--input and --bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        dir.toString(),
                                        "--logins-file",
                                        logins.toString(),
                                        "--output",
                                        o))
                .hasMessageContaining("--input and --*-file");
        assertThatThrownBy(() -> parse("--input", dir.toString()))
                .hasMessageContaining("--output is required");
        assertThatThrownBy(
                        () -> parse("--input", dir.toString(), "--output", o, "--from", "earliest"))
                .hasMessageContaining("--from applies to a replay from Kafka");
        assertThatThrownBy(() -> parse("--input", dir.toString(), "--alerts-topic", "a"))
                .hasMessageContaining("--alerts-topic needs a replay from Kafka");
        assertThatThrownBy(
                        () -> parse("--bootstrap-servers", "b:1", "--alerts-topic", "user-logins"))
                .hasMessageContaining("--alerts-topic: 'user-logins' is an input topic");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--bootstrap-servers",
                                        "b:1",
                                        "--output",
                                        o,
                                        "--from",
                                        "other:0=5"))
                .hasMessageContaining("--from: offsets name topic 'other'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--bootstrap-servers",
                                        "b:1",
                                        "--output",
                                        o,
                                        "--from",
                                        "2026-02-01T00:00:00Z",
                                        "--until",
                                        "2026-01-01T00:00:00Z"))
                .hasMessageContaining("--until (2026-01-01T00:00:00Z) must be after --from");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        dir.toString(),
                                        "--output",
                                        o,
                                        "--labels",
                                        logins.resolveSibling("none.jsonl").toString()))
                .hasMessageContaining("--labels");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        dir.toString(),
                                        "--output",
                                        o,
                                        "--compare-rules",
                                        logins.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--compare-rules");
    }

    private static BacktestJob.Config parse(String... args) {
        return BacktestJob.Config.parse(args);
    }
}
