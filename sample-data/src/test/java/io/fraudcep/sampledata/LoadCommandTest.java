package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load command line and the loader's field extraction, without a broker. */
class LoadCommandTest {

    @TempDir Path tmp;

    @Test
    void parsesEveryOption() {
        LoadCommand.Options o =
                LoadCommand.parse(
                        new String[] {
                            "--input",
                            tmp.toString(),
                            "--bootstrap-servers",
                            "k1:9092,k2:9093",
                            "--logins-topic",
                            "a",
                            "--transactions-topic",
                            "b",
                            "--account-changes-topic",
                            "c",
                            "--create-topics",
                            "--partitions",
                            "8",
                            "--progress-every",
                            "0"
                        });

        assertThat(o.topics()).isEqualTo(new TopicNames("a", "b", "c"));
        assertThat(o.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
        assertThat(o.createTopics()).isTrue();
        assertThat(o.partitions()).isEqualTo(8);
        assertThat(o.progressEvery()).isZero();
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        String dir = tmp.toString();
        assertThatThrownBy(() -> LoadCommand.parse(new String[] {"--bootstrap-servers", "k:1"}))
                .hasMessageContaining("--input");
        assertThatThrownBy(() -> LoadCommand.parse(new String[] {"--input", dir}))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                LoadCommand.parse(
                                        new String[] {
                                            "--input", dir, "--bootstrap-servers", "nohost"
                                        }))
                .hasMessageContaining("--bootstrap-servers must be HOST:PORT");
        assertThatThrownBy(
                        () ->
                                LoadCommand.parse(
                                        new String[] {
                                            "--input",
                                            dir,
                                            "--bootstrap-servers",
                                            "k:1",
                                            "--partitions",
                                            "2"
                                        }))
                .hasMessageContaining("--partitions needs --create-topics");
        assertThatThrownBy(
                        () ->
                                LoadCommand.parse(
                                        new String[] {
                                            "--input",
                                            dir,
                                            "--bootstrap-servers",
                                            "k:1",
                                            "--logins-topic",
                                            "a b"
                                        }))
                .hasMessageContaining("--logins-topic");
        assertThatThrownBy(
                        () ->
                                LoadCommand.parse(
                                        new String[] {
                                            "--input",
                                            dir,
                                            "--bootstrap-servers",
                                            "k:1",
                                            "--kafka-properties",
                                            tmp.resolve("missing").toString()
                                        }))
                .hasMessageContaining("--kafka-properties");
        assertThatThrownBy(
                        () ->
                                LoadCommand.parse(
                                        new String[] {
                                            "--input",
                                            tmp.resolve("nope").toString(),
                                            "--bootstrap-servers",
                                            "k:1"
                                        }))
                .hasMessageContaining("is not a directory");
    }

    @Test
    void keyAndTimestampComeFromTheJsonWhenTheyCan() {
        assertThat(fields("{\"a\":[1,{\"userId\":\"x\"}],\"userId\":\"u7\",\"timestamp\":\"t\"}"))
                .containsExactly("u7", "t");
        assertThat(fields("{\"userId\":\"u7\",\"type\":")).containsExactly("u7", null);
        assertThat(fields("[{\"userId\":\"u7\"}]")).containsExactly(null, null);
        assertThat(fields("not json")).containsExactly(null, null);
        assertThat(fields("{\"userId\":42}")).containsExactly(null, null);
        assertThat(LogLoader.parseTimestamp("2026-03-01T12:00:00.250Z"))
                .isEqualTo(1_772_366_400_250L);
        assertThat(LogLoader.parseTimestamp("yesterday")).isNull();
        assertThat(LogLoader.parseTimestamp("1960-01-01T00:00:00Z")).isNull();
    }

    private static String[] fields(String json) {
        return LogLoader.keyFields(json.getBytes(StandardCharsets.UTF_8));
    }
}
