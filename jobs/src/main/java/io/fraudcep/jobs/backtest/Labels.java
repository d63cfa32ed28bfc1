package io.fraudcep.jobs.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the generator's {@code labels.jsonl}: one JSON object per scenario with {@code userId,
 * patternId, positive, variant}, and for a positive {@code triggerEventId, windowStart,
 * detectedAt}. Unknown fields are ignored; a line that breaks this fails with its line number.
 */
public final class Labels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Labels() {}

    /**
     * Reads a labels file.
     *
     * @throws IllegalArgumentException naming the file, the line and the field at fault
     */
    public static List<LabelledScenario> read(Path file) {
        List<LabelledScenario> labels = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    labels.add(parse(line, file + ":" + n));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
        return labels;
    }

    /** Parses one line; {@code where} prefixes error messages. */
    static LabelledScenario parse(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": not a JSON object");
        }
        String userId = text(node, "userId", where, true);
        String patternId = text(node, "patternId", where, true);
        JsonNode positive = node.get("positive");
        if (positive == null || !positive.isBoolean()) {
            throw new IllegalArgumentException(where + ": 'positive' must be true or false");
        }
        String variant = text(node, "variant", where, false);
        if (!positive.asBoolean()) {
            return new LabelledScenario(userId, patternId, false, variant, null, null, null);
        }
        return new LabelledScenario(
                userId,
                patternId,
                true,
                variant,
                text(node, "triggerEventId", where, false),
                instant(node, "windowStart", where, false),
                instant(node, "detectedAt", where, true));
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": '" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode node, String field, String where, boolean required) {
        String t = text(node, field, where, required);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    where + ": '" + field + "' is not an ISO-8601 instant: " + t);
        }
    }
}
