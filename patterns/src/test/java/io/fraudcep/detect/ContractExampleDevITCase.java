package io.fraudcep.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import io.fraudcep.patterns.PatternCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ContractExampleDevITCase {

    @Test
    void contractExample() throws Exception {
        Path dir = Path.of("/work/shared/contract/examples");
        List<UserEvent> events = new ArrayList<>();
        for (String f : List.of("user-logins.jsonl", "user-transactions.jsonl", "user-account-changes.jsonl")) {
            for (String line : Files.readAllLines(dir.resolve(f))) {
                ParseResult r = EventCodec.parse(line);
                if (r.isAccepted()) events.add(r.event());
            }
        }
        events.sort(Comparator.comparing(UserEvent::timestamp));
        List<Alert> alerts = DetectionTestKit.run(events, PatternCatalogue.defaults());
        TreeSet<String> got = new TreeSet<>();
        for (Alert a : alerts) got.add(a.userId() + " " + a.patternId() + " " + a.detectedAt() + " " + a.eventIds().get(a.eventIds().size()-1));
        TreeSet<String> exp = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("expected-alerts.jsonl"))) {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            exp.add(n.get("userId").asText() + " " + n.get("patternId").asText() + " " + java.time.Instant.parse(n.get("detectedAt").asText()) + " " + n.get("triggerEventId").asText());
        }
        TreeSet<String> missing = new TreeSet<>(exp); missing.removeAll(got);
        TreeSet<String> extra = new TreeSet<>(got); extra.removeAll(exp);
        System.out.println("MISSING " + missing);
        System.out.println("EXTRA " + extra);
        assertThat(got).isEqualTo(exp);
    }
}
