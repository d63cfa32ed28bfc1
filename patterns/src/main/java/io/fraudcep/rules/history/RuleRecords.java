package io.fraudcep.rules.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleError;
import io.fraudcep.rules.RuleFileException;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the JSON values of the rule control topic and of its audit topic. A rule
 * record's {@code rule} is validated exactly as a rule in a rule file; every failure is a {@link
 * RuleRecordException} naming the rule and the field.
 */
public final class RuleRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> FIELDS =
            Set.of(
                    "ruleId",
                    "ruleVersion",
                    "effectiveFrom",
                    "rule",
                    "publishedAt",
                    "publishedBy",
                    "comment");

    private RuleRecords() {}

    /**
     * Parses and validates one record value.
     *
     * @throws RuleRecordException naming the rule and field at fault
     */
    public static RuleRecord parse(String value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new RuleRecordException(
                    null,
                    null,
                    "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new RuleRecordException(null, null, "a rule record is a JSON object");
        }
        String ruleId = root.path("ruleId").isTextual() ? root.get("ruleId").asText() : null;
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new RuleRecordException(
                        ruleId,
                        name,
                        "unknown field; a rule record has "
                                + String.join(", ", List.copyOf(new java.util.TreeSet<>(FIELDS))));
            }
        }
        if (ruleId == null || ruleId.isBlank()) {
            throw new RuleRecordException(null, "ruleId", "required, a string");
        }
        JsonNode version = root.get("ruleVersion");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()) {
            throw new RuleRecordException(ruleId, "ruleVersion", "required, an integer");
        }
        if (version.asLong() < 1) {
            throw new RuleRecordException(
                    ruleId,
                    "ruleVersion",
                    "must be at least 1 (the rule file's rules are version 0)");
        }
        Instant effectiveFrom = instant(root, "effectiveFrom", ruleId, true);
        JsonNode rule = root.get("rule");
        if (rule == null || !rule.isObject()) {
            throw new RuleRecordException(
                    ruleId, "rule", "required, a rule object as in a rule file");
        }
        String ruleJson = rule.toString();
        Rule parsed = parseRule(ruleJson, version.asLong());
        if (!parsed.id().equals(ruleId)) {
            throw new RuleRecordException(
                    ruleId, "rule.id", "'" + parsed.id() + "' differs from the record's ruleId");
        }
        return new RuleRecord(
                ruleId,
                version.asLong(),
                effectiveFrom,
                parsed,
                ruleJson,
                optionalText(root, "publishedAt", ruleId),
                optionalText(root, "publishedBy", ruleId),
                optionalText(root, "comment", ruleId));
    }

    /**
     * Parses one rule object (JSON) as a rule file would, its {@code version} (part of its alerts'
     * {@code patternVersion}) being {@code ruleVersion}.
     *
     * @throws RuleRecordException naming the field of the rule at fault ({@code rule.window}, ...)
     */
    public static Rule parseRule(String ruleJson, long ruleVersion) {
        String file = "{\"version\": \"" + ruleVersion + "\", \"rules\": [" + ruleJson + "]}";
        RuleSet set;
        try {
            set = RuleFiles.parse(file, "record");
        } catch (RuleFileException e) {
            RuleError first = e.errors().get(0);
            String field = first.field() == null ? null : "rule." + first.field();
            String message = first.message();
            if (e.errors().size() > 1) {
                message += " (and " + (e.errors().size() - 1) + " more)";
            }
            throw new RuleRecordException(first.ruleId(), field, message);
        }
        if (set.rules().size() != 1) {
            throw new RuleRecordException(null, "rule", "one rule object");
        }
        return set.rules().get(0);
    }

    /** The record's JSON value, as {@code bin/fraud rules publish} writes it. */
    public static String toJson(RuleRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ruleId", record.ruleId());
        root.put("ruleVersion", record.ruleVersion());
        root.put("effectiveFrom", record.effectiveFrom().toString());
        try {
            root.set("rule", JSON.readTree(record.ruleJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rule of " + record.ruleId() + " is not JSON", e);
        }
        putOptional(root, "publishedAt", record.publishedAt());
        putOptional(root, "publishedBy", record.publishedBy());
        putOptional(root, "comment", record.comment());
        return root.toString();
    }

    /** The audit record's JSON value (topic {@code fraud-rules-applied}). */
    public static String toJson(AppliedVersion applied) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ruleId", applied.ruleId());
        root.put("ruleVersion", applied.ruleVersion());
        root.put("effectiveFrom", applied.effectiveFrom().toString());
        root.put("appliedFrom", applied.appliedFrom().toString());
        root.put("late", applied.late());
        root.put("patternVersion", applied.patternVersion());
        root.put("mode", applied.mode());
        return root.toString();
    }

    /**
     * Parses an audit record.
     *
     * @throws RuleRecordException naming the field at fault
     */
    public static AppliedVersion parseApplied(String value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new RuleRecordException(null, null, "not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new RuleRecordException(null, null, "an audit record is a JSON object");
        }
        String ruleId = root.path("ruleId").asText(null);
        if (ruleId == null) {
            throw new RuleRecordException(null, "ruleId", "required, a string");
        }
        JsonNode version = root.get("ruleVersion");
        if (version == null || !version.isIntegralNumber()) {
            throw new RuleRecordException(ruleId, "ruleVersion", "required, an integer");
        }
        return new AppliedVersion(
                ruleId,
                version.asLong(),
                instant(root, "effectiveFrom", ruleId, true),
                instant(root, "appliedFrom", ruleId, true),
                root.path("late").asBoolean(false),
                root.path("patternVersion").asText(""),
                root.path("mode").asText(""));
    }

    /** Whether a JSON value is an audit record rather than a rule record. */
    public static boolean isApplied(String value) {
        try {
            JsonNode root = JSON.readTree(value);
            return root != null && root.isObject() && root.has("appliedFrom");
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static Instant instant(JsonNode root, String field, String ruleId, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new RuleRecordException(ruleId, field, "required, an ISO-8601 UTC instant");
            }
            return null;
        }
        if (!node.isTextual() || !node.asText().endsWith("Z")) {
            throw new RuleRecordException(
                    ruleId, field, "an ISO-8601 UTC instant such as 2026-11-30T12:00:00Z");
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new RuleRecordException(
                    ruleId,
                    field,
                    "'"
                            + node.asText()
                            + "' is not an ISO-8601 UTC instant such as 2026-11-30T12:00:00Z");
        }
    }

    private static String optionalText(JsonNode root, String field, String ruleId) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new RuleRecordException(ruleId, field, "a string");
        }
        return node.asText();
    }

    private static void putOptional(ObjectNode root, String field, String value) {
        if (value != null) {
            root.put(field, value);
        }
    }
}
