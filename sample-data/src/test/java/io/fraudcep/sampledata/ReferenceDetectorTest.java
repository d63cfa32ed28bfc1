package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test oracle itself is checked against the contract's worked example: it must find exactly the
 * alerts the contract demands, so that it can be trusted to check generated labels.
 */
class ReferenceDetectorTest {

    @Test
    void findsExactlyTheAlertsOfTheContractExample() throws Exception {
        Path dir = Fixtures.contractExample();

        List<String> found = new ArrayList<>();
        for (ReferenceDetector.Alert a : ReferenceDetector.detect(dir)) {
            found.add(
                    a.userId()
                            + " "
                            + a.patternId()
                            + " "
                            + a.detectedAt()
                            + " "
                            + a.triggerEventId());
        }

        assertThat(found).containsExactlyInAnyOrderElementsOf(expected(dir));
    }

    private static List<String> expected(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("expected-alerts.jsonl"))) {
            JsonNode n = json.readTree(line);
            out.add(
                    n.get("userId").asText()
                            + " "
                            + n.get("patternId").asText()
                            + " "
                            + Instant.parse(n.get("detectedAt").asText())
                            + " "
                            + n.get("triggerEventId").asText());
        }
        return out;
    }
}
