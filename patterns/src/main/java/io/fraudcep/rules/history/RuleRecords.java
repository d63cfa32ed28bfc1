package io.fraudcep.rules.history;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleError;
import io.fraudcep.rules.RuleFileException;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON values of the rule control topic and of its audit topic. A rule
 * record's {@code rule} is validated exactly as a rule in a rule file; every failure is a {@link
 * RuleRecordException} naming the rule and the field.
 */
public final class RuleRecords {

    /**
     * Strict JSON: trailing content and duplicate keys are errors (a record must mean one thing),
     * and decimals keep their text ({@code 0.80} stays {@code 0.80}, as in a rule file: the summary
     * shows a parameter as written).
     */
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build();

    /** The fields of a rule record, in the contract's order. */
    private static final List<String> FIELDS =
            List.of(
                    "ruleId",
                    "ruleVersion",
                    "effectiveFrom",
                    "rule",
                    "publishedAt",
                    "publishedBy",
                    "comment");

    /** What {@link Instant#toString()} writes: the one form of instant a record may carry. */
    private static final Pattern UTC_INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    private static final String INSTANT_EXAMPLE = "2026-11-30T12:00:00Z";

    private RuleRecords() {}

    /**
     * Parses and validates one record value.
     *
     * @throws RuleRecordException naming the rule and field at fault
     */
    public static RuleRecord parse(String value) {
        JsonNode root = readObject(value, "a rule record");
        JsonNode id = root.get("ruleId");
        String ruleId = text(id);
        // Until the ruleId is known to be there, a rejection names the rule by its rule's id.
        String named = ruleId != null ? ruleId : text(root.path("rule").path("id"));
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new RuleRecordException(
                        named,
                        name,
                        "unknown field '"
                                + name
                                + "' (allowed: "
                                + String.join(", ", FIELDS)
                                + ")");
            }
        }
        if (ruleId == null) {
            throw new RuleRecordException(
                    named,
                    "ruleId",
                    absent(id)
                            ? "missing: the rule's id, the same as rule.id"
                            : "expected the rule's id as text, found " + found(id));
        }
        long version = version(root, ruleId);
        Instant effectiveFrom = instant(root, "effectiveFrom", ruleId);
        String publishedAt = optionalText(root, "publishedAt", ruleId);
        String publishedBy = optionalText(root, "publishedBy", ruleId);
        String comment = optionalText(root, "comment", ruleId);
        JsonNode rule = root.get("rule");
        if (absent(rule)) {
            throw new RuleRecordException(
                    ruleId, "rule", "missing: one rule object, as in a rule file");
        }
        if (!rule.isObject()) {
            throw new RuleRecordException(
                    ruleId,
                    "rule",
                    "expected one rule object, as in a rule file, found " + found(rule));
        }
        String ruleJson = rule.toString();
        Rule parsed = parseRule(ruleId, ruleJson, version);
        if (!parsed.id().equals(ruleId)) {
            throw new RuleRecordException(
                    ruleId, "rule.id", "'" + parsed.id() + "' differs from the record's ruleId");
        }
        return new RuleRecord(
                ruleId,
                version,
                effectiveFrom,
                parsed,
                ruleJson,
                publishedAt,
                publishedBy,
                comment);
    }

    /**
     * Parses one rule object (JSON) as a rule file would, its {@code version} (part of its alerts'
     * {@code patternVersion}) being {@code ruleVersion}. A rejection names the rule by the id the
     * rule object gives, if it could be read.
     *
     * @throws RuleRecordException naming the field of the rule at fault ({@code rule.window}, ...)
     */
    public static Rule parseRule(String ruleJson, long ruleVersion) {
        return parseRule(null, ruleJson, ruleVersion);
    }

    /**
     * Parses one rule object (JSON) of the record of {@code ruleId}, as {@link #parseRule(String,
     * long)}; a rejection names {@code ruleId} (the record's), whatever id the rule object gives.
     *
     * @param ruleId the record's rule id, or null to name the rule by the rule object's id
     * @throws RuleRecordException naming the field of the rule at fault ({@code rule.window}, ...)
     */
    public static Rule parseRule(String ruleId, String ruleJson, long ruleVersion) {
        String file = "{\"version\": \"" + ruleVersion + "\", \"rules\": [" + ruleJson + "]}";
        RuleSet set;
        try {
            set = RuleFiles.parse(file, "record");
        } catch (RuleFileException e) {
            RuleError first = e.errors().get(0);
            String message = first.message();
            if (e.errors().size() > 1) {
                message += " (and " + (e.errors().size() - 1) + " more)";
            }
            throw new RuleRecordException(
                    ruleId != null ? ruleId : first.ruleId(), ruleField(first.field()), message);
        }
        if (set.rules().size() != 1) {
            throw new RuleRecordException(ruleId, "rule", "expected one rule object");
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
        JsonNode root = readObject(value, "an audit record");
        JsonNode id = root.get("ruleId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new RuleRecordException(
                    null,
                    "ruleId",
                    absent(id) ? "missing: the rule's id" : "expected text, found " + found(id));
        }
        String ruleId = id.asText();
        JsonNode late = root.get("late");
        if (!absent(late) && !late.isBoolean()) {
            throw new RuleRecordException(ruleId, "late", "expected true or false");
        }
        return new AppliedVersion(
                ruleId,
                version(root, ruleId),
                instant(root, "effectiveFrom", ruleId),
                instant(root, "appliedFrom", ruleId),
                !absent(late) && late.booleanValue(),
                Objects.requireNonNullElse(optionalText(root, "patternVersion", ruleId), ""),
                Objects.requireNonNullElse(optionalText(root, "mode", ruleId), ""));
    }

    /**
     * Whether a JSON value is an audit record rather than a rule record: an object with an {@code
     * appliedFrom} and no {@code rule} (a rule record with a stray {@code appliedFrom} is a rule
     * record with an unknown field).
     */
    public static boolean isApplied(String value) {
        if (value == null) {
            return false;
        }
        try {
            JsonNode root = JSON.readTree(value);
            return root != null && root.isObject() && root.has("appliedFrom") && !root.has("rule");
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode readObject(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new RuleRecordException(null, null, "empty: " + what + " is a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new RuleRecordException(null, null, "not JSON: " + syntaxError(e));
        }
        if (root == null || !root.isObject()) {
            throw new RuleRecordException(
                    null, null, what + " is a JSON object, found " + found(root));
        }
        return root;
    }

    private static String syntaxError(JsonProcessingException e) {
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        if (message.startsWith("Trailing token")) {
            message = "more content after the end of the object";
        }
        JsonLocation at = e.getLocation();
        return at != null && at.getColumnNr() > 0
                ? message + " (column " + at.getColumnNr() + ")"
                : message;
    }

    private static long version(JsonNode root, String ruleId) {
        JsonNode v = root.get("ruleVersion");
        if (absent(v)) {
            throw new RuleRecordException(ruleId, "ruleVersion", "missing: an integer, at least 1");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new RuleRecordException(
                    ruleId, "ruleVersion", "expected an integer, at least 1, found " + found(v));
        }
        if (v.asLong() < 1) {
            throw new RuleRecordException(
                    ruleId,
                    "ruleVersion",
                    "expected an integer, at least 1 (the rule file's rules are version 0),"
                            + " found "
                            + v.asLong());
        }
        return v.asLong();
    }

    private static Instant instant(JsonNode root, String field, String ruleId) {
        JsonNode node = root.get(field);
        if (absent(node)) {
            throw new RuleRecordException(
                    ruleId, field, "missing: an ISO-8601 UTC instant such as " + INSTANT_EXAMPLE);
        }
        if (!node.isTextual()) {
            throw new RuleRecordException(
                    ruleId,
                    field,
                    "expected an ISO-8601 UTC instant such as "
                            + INSTANT_EXAMPLE
                            + ", found "
                            + found(node));
        }
        String text = node.asText();
        if (UTC_INSTANT.matcher(text).matches()) {
            Instant t = orNull(() -> Instant.parse(text));
            if (t != null) {
                return t;
            }
        } else {
            OffsetDateTime withOffset = orNull(() -> OffsetDateTime.parse(text));
            if (withOffset != null) {
                throw new RuleRecordException(
                        ruleId,
                        field,
                        "'"
                                + text
                                + "' has an offset: write the instant in UTC, "
                                + withOffset.toInstant());
            }
            if (orNull(() -> LocalDateTime.parse(text)) != null) {
                throw new RuleRecordException(
                        ruleId,
                        field,
                        "'" + text + "' has no time zone: write the instant in UTC, ending in Z");
            }
        }
        throw new RuleRecordException(
                ruleId,
                field,
                "'" + text + "' is not an ISO-8601 UTC instant such as " + INSTANT_EXAMPLE);
    }

    /** A parse's result, or null if the text is not of that form. */
    private static <T> T orNull(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String optionalText(JsonNode root, String field, String ruleId) {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw new RuleRecordException(ruleId, field, "expected text, found " + found(node));
        }
        return node.asText();
    }

    /**
     * The field of a rule file's error as a field of the record: the rule's own fields under {@code
     * rule.}, without the position the wrapping file gives it ({@code rules[0].}).
     */
    private static String ruleField(String fileField) {
        if (fileField == null || fileField.equals("rules[0]") || fileField.equals("rules")) {
            return "rule";
        }
        String inRule =
                fileField.startsWith("rules[0].")
                        ? fileField.substring("rules[0].".length())
                        : fileField;
        return "rule." + inRule;
    }

    /** A node's text if it is non-blank text, else null. */
    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** A JSON value as a message shows it: scalars as written, containers by their kind. */
    private static String found(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static void putOptional(ObjectNode root, String field, String value) {
        if (value != null) {
            root.put(field, value);
        }
    }
}
