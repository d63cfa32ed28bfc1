package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.base;
import static io.fraudcep.rules.history.RuleRecordFixtures.minutes;
import static io.fraudcep.rules.history.RuleRecordFixtures.record;
import static io.fraudcep.rules.history.RuleRecordFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule history file ({@code --rules-history FILE.jsonl}): the topics' values one per line; an
 * invalid rule record is skipped as the live job skipped it, an unreadable audit record or file is
 * an error naming the file.
 */
class RuleHistoryFilesTest {

    private static final String OTHER = "ACCOUNT_TAKEOVER";

    @TempDir Path dir;

    private static AppliedVersion late(String id, long v, Instant from, Instant at) {
        return new AppliedVersion(id, v, from, at, true, v + "-0123456789ab", "active");
    }

    @Test
    void aWrittenHistoryReadsBackWithItsAuditInstants() {
        Path file = dir.resolve("history.jsonl");
        List<RuleRecord> records =
                List.of(
                        record(ID, 1, minutes(10), "shadow"),
                        record(OTHER, 1, minutes(15), "active"),
                        record(ID, 2, minutes(20), "active"));
        RuleHistoryFiles.write(file, records, List.of(late(ID, 2, minutes(20), minutes(26))));

        RuleHistoryBuilder builder = RuleHistoryFiles.read(file, base());

        assertThat(builder.rejected()).isEmpty();
        assertThat(builder.records())
                .extracting(RuleRecords::toJson)
                .containsExactlyElementsOf(records.stream().map(RuleRecords::toJson).toList());
        assertThat(builder.build().versions())
                .extracting(
                        RuleVersion::ruleId, RuleVersion::ruleVersion, RuleVersion::effectiveFrom)
                .containsExactly(
                        tuple(ID, 1L, minutes(10)),
                        tuple(OTHER, 1L, minutes(15)),
                        tuple(ID, 2L, minutes(26)));
    }

    @Test
    void writeWritesTheRecordsThenTheAuditRecordsOneJsonALine() throws IOException {
        Path file = dir.resolve("history.jsonl");
        RuleRecord r = record(ID, 1, T0, "active");
        AppliedVersion a = late(ID, 1, T0, minutes(1));

        RuleHistoryFiles.write(file, List.of(r), List.of(a));

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly(RuleRecords.toJson(r), RuleRecords.toJson(a));
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndAnInvalidRecordIsRejectedWithItsLine()
            throws IOException {
        Path file = dir.resolve("history.jsonl");
        String stale = version(ID, 1, minutes(40), "disabled");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "# CARD_TESTING tuned in December", //                        1
                        version(ID, 1, minutes(10), "active"), //                     2
                        "", //                                                        3
                        "   # the audit record of the live job", //                   4
                        RuleRecords.toJson(late(ID, 2, minutes(20), minutes(22))), // 5
                        version(ID, 2, minutes(20), "shadow"), //                     6
                        "not JSON", //                                                7
                        stale, //                                                     8
                        "   ", //                                                     9
                        ""),
                StandardCharsets.UTF_8);

        RuleHistoryBuilder builder = RuleHistoryFiles.read(file, base());

        assertThat(builder.records()).extracting(RuleRecord::ruleVersion).containsExactly(1L, 2L);
        assertThat(builder.rejected())
                .extracting(RuleHistoryBuilder.Rejected::where, RuleHistoryBuilder.Rejected::key)
                .containsExactly(tuple(file + ":7", null), tuple(file + ":8", null));
        assertThat(builder.rejected().get(0).reason())
                .isEqualTo(
                        "not JSON: Unrecognized token 'not': was expecting (JSON String, Number,"
                                + " Array, Object or token 'null', 'true' or 'false') (column 4)");
        assertThat(builder.rejected().get(1).value()).isEqualTo(stale);
        assertThat(builder.rejected().get(1).reason())
                .isEqualTo(
                        "rule CARD_TESTING, field ruleVersion: 1 does not increase: version 2 is"
                                + " already in the history");
        RuleHistory h = builder.build();
        assertThat(h.inForce(ID, minutes(21)).ruleVersion()).isEqualTo(1);
        assertThat(h.inForce(ID, minutes(22)).ruleVersion()).isEqualTo(2);
        assertThat(h.inForce(ID, minutes(60)).ruleVersion())
                .as("the rejected disabling never takes effect")
                .isEqualTo(2);
    }

    @Test
    void anAuditLineThatCannotBeReadIsAnErrorNamingTheFileAndLine() throws IOException {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(
                file,
                version(ID, 1, minutes(10), "active")
                        + "\n{\"ruleId\": \"CARD_TESTING\", \"ruleVersion\": 1,"
                        + " \"effectiveFrom\": \"2026-12-01T00:10:00Z\","
                        + " \"appliedFrom\": \"yesterday\"}\n",
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RuleHistoryFiles.read(file, base()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        file
                                + ":2: an audit record that cannot be used: rule CARD_TESTING,"
                                + " field appliedFrom: 'yesterday' is not an ISO-8601 UTC instant"
                                + " such as 2026-11-30T12:00:00Z");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheFile() {
        Path file = dir.resolve("no-such-history.jsonl");

        assertThatThrownBy(() -> RuleHistoryFiles.read(file, base()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the rule history " + file + ": no such file");
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("history.jsonl");
        Files.write(file, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});

        assertThatThrownBy(() -> RuleHistoryFiles.read(file, base()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the rule history " + file + ": not UTF-8 text");
    }

    @Test
    void anEmptyFileIsTheRuleFileAlone() throws IOException {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(file, "# nothing published yet\n");

        RuleHistory h = RuleHistoryFiles.read(file, base()).build();

        assertThat(h.versions()).isEmpty();
        assertThat(h.inForce(ID, T0).ruleVersion()).isZero();
    }
}
