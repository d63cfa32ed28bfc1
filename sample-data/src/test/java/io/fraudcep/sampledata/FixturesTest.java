package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped fixtures: present, reproducible, and as rich as the demo and tests need. */
class FixturesTest {

    @TempDir Path tmp;

    @Test
    void theDemoFixtureIsExactlyWhatItsDocumentedCommandGenerates() throws IOException {
        new LogGenerator(Fixtures.DEMO_OPTIONS).writeTo(tmp);

        Path demo = Fixtures.demo();
        for (String file : Fixtures.Fixture.DEMO.files()) {
            assertThat(Files.readAllBytes(demo.resolve(file)))
                    .as("%s is stale: regenerate it with the command in the README", file)
                    .isEqualTo(Files.readAllBytes(tmp.resolve(file)));
        }
    }

    @Test
    void theDemoFixtureHasTwoPositivesOfEveryPatternNearMissesDuplicatesAndBadRecords()
            throws IOException {
        Path demo = Fixtures.demo();
        Map<String, Integer> positives = new HashMap<>();
        Set<String> nearMisses = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (JsonNode l : LogGeneratorTest.labels(demo)) {
            String pattern = l.get("patternId").asText();
            if (l.get("positive").asBoolean()) {
                positives.merge(pattern, 1, Integer::sum);
            } else {
                nearMisses.add(pattern + "/" + l.get("variant").asText());
            }
        }
        long events = 0;
        int rejected = 0;
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(demo.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (!p.isAccepted()) {
                    rejected++;
                } else if (!ids.add(p.event().eventId())) {
                    duplicates++;
                } else {
                    events++;
                    users.add(p.event().userId());
                }
            }
        }

        assertThat(positives).hasSize(9).allSatisfy((pattern, n) -> assertThat(n).isGreaterThan(1));
        assertThat(nearMisses).hasSize(Scenario.nearMisses().size());
        assertThat(users).hasSize(60);
        assertThat(events).isBetween(2_000L, 8_000L);
        assertThat(rejected).isEqualTo(BadRecords.Kind.values().length);
        assertThat(duplicates).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theOracleFindsExactlyTheDemoLabels() throws IOException {
        Path demo = Fixtures.demo();
        Set<String> detected = new TreeSet<>();
        for (ReferenceDetector.Alert a : ReferenceDetector.detect(demo)) {
            detected.add(a.userId() + " " + a.patternId() + " " + a.triggerEventId());
        }
        Set<String> labelled = new TreeSet<>();
        for (JsonNode l : LogGeneratorTest.labels(demo)) {
            if (l.get("positive").asBoolean()) {
                labelled.add(
                        l.get("userId").asText()
                                + " "
                                + l.get("patternId").asText()
                                + " "
                                + l.get("triggerEventId").asText());
            }
        }
        assertThat(detected).isEqualTo(labelled);
    }

    @Test
    void theContractExampleIsShippedUnchangedWithItsExpectedAlerts() throws IOException {
        Path dir = Fixtures.contractExample();
        assertThat(Fixtures.Fixture.CONTRACT_EXAMPLE.files())
                .containsExactly(
                        "user-logins.jsonl",
                        "user-transactions.jsonl",
                        "user-account-changes.jsonl",
                        "expected-alerts.jsonl");
        assertThat(Files.readAllLines(dir.resolve(Fixtures.EXPECTED_ALERTS_FILE))).hasSize(30);
        try (InputStream in =
                Fixtures.open(Fixtures.Fixture.CONTRACT_EXAMPLE, "user-logins.jsonl")) {
            assertThat(in.readAllBytes())
                    .isEqualTo(Files.readAllBytes(dir.resolve("user-logins.jsonl")));
        }
        assertThatThrownBy(() -> Fixtures.open(Fixtures.Fixture.DEMO, "nope.jsonl"))
                .hasMessageContaining("nope.jsonl");
    }
}
