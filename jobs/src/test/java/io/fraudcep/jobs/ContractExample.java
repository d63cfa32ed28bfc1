package io.fraudcep.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contract's worked example (sample-data fixture): a 20,000-event log of 65 users with
 * positives and near misses of every pattern, junk records and duplicates, and the exact alerts the
 * catalogue demands on it.
 */
final class ContractExample {

    static final String RESOURCE = "/fixtures/contract-example/";
    static final List<String> TOPIC_FILES =
            List.of("user-logins.jsonl", "user-transactions.jsonl", "user-account-changes.jsonl");
    static final ObjectMapper JSON = new ObjectMapper();

    /** Number of records in the log that break the contract (8 per file). */
    static final int BAD_RECORDS = 24;

    /** Number of producer-retry duplicates in the log. */
    static final int DUPLICATES = 42;

    private ContractExample() {}

    /** Copies the three topic files into {@code dir}. */
    static Path copyLogTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : TOPIC_FILES) {
                try (InputStream in = resource(f)) {
                    Files.copy(in, dir.resolve(f));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of one topic file. */
    static List<String> lines(String file) {
        try (InputStream in = resource(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expected alerts as "userId patternId detectedAt triggerEventId". */
    static Set<String> expectedAlerts() {
        Set<String> keys = new TreeSet<>();
        for (String line : lines("expected-alerts.jsonl")) {
            JsonNode n = read(line);
            keys.add(
                    key(
                            n.get("userId").asText(),
                            n.get("patternId").asText(),
                            n.get("detectedAt").asText(),
                            n.get("triggerEventId").asText()));
        }
        return keys;
    }

    /** The same key for an alert JSON of alerts.md: its trigger is the last event id. */
    static String alertKey(JsonNode alert) {
        JsonNode ids = alert.get("eventIds");
        return key(
                alert.get("userId").asText(),
                alert.get("patternId").asText(),
                alert.get("detectedAt").asText(),
                ids.get(ids.size() - 1).asText());
    }

    static String key(String user, String pattern, String detectedAt, String trigger) {
        return user + " " + pattern + " " + Instant.parse(detectedAt) + " " + trigger;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = ContractExample.class.getResourceAsStream(RESOURCE + file);
        if (in == null) {
            throw new IllegalStateException("missing fixture " + RESOURCE + file);
        }
        return in;
    }
}
