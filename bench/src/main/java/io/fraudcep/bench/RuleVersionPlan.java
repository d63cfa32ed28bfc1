package io.fraudcep.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.rules.Durations;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rule versions a bench run publishes on the control topic while the DetectionJob runs: new
 * versions of the default rules (rules-default.yaml), the rules taken in turn, each rule going
 * through the changes an analyst makes: its first numeric parameter up, shadow, its window doubled
 * (halved where doubling would pass the look-back horizon), the parameter down, active again, the
 * window back.
 *
 * <p>Version {@code k} of {@code n} is meant to be published when the job has read {@code (k + 1) /
 * (n + 1)} of the log, so the versions are spread evenly over the run whatever its speed. Its
 * {@code effectiveFrom} is fixed when it is published: the event time a given share of the log's
 * records away from the job's watermark ({@link #effectiveFrom}), the share drawn (seeded) between
 * a tenth of the records before the watermark and a tenth after it. So the instants spread over the
 * log's event-time span as its records do and as the job advances, and about half of the versions
 * reach the job before the watermark passes their instant, the others after it (late, applied from
 * the watermark). Every version is checked with the ledger the job's gate uses, so none is
 * rejected.
 */
final class RuleVersionPlan {

    /**
     * One version to publish.
     *
     * @param ruleId the rule id, also the record's key
     * @param ruleVersion the version, from 1 per rule id (the topic is fresh)
     * @param publishAt the fraction of the log read after which it is published
     * @param offset where its {@code effectiveFrom} is, in shares of the log's records from the
     *     watermark when it is published (negative: behind it)
     * @param change what it changes, in words
     * @param draft the record, but for its {@code effectiveFrom}
     */
    record Version(
            String ruleId,
            long ruleVersion,
            double publishAt,
            double offset,
            String change,
            RuleRecord draft) {

        /** The record's JSON value, applying from {@code effectiveFrom}. */
        String value(Instant effectiveFrom) {
            return RuleRecords.toJson(
                    new RuleRecord(
                            draft.ruleId(),
                            draft.ruleVersion(),
                            effectiveFrom,
                            draft.rule(),
                            draft.ruleJson(),
                            draft.publishedAt(),
                            draft.publishedBy(),
                            draft.comment()));
        }
    }

    /** How far {@code effectiveFrom} may be from the watermark, as a share of the log's records. */
    static final double SPREAD = 0.10;

    /**
     * The instant a version {@code offset} shares of the records away from {@code watermark} asks
     * to apply from.
     *
     * @param watermark the job's watermark (epoch ms), {@link Long#MIN_VALUE} before the first
     */
    static Instant effectiveFrom(double offset, EventTimeQuantiles eventTime, long watermark) {
        double at = watermark == Long.MIN_VALUE ? 0 : eventTime.shareBefore(watermark);
        return eventTime.at(Math.max(0, Math.min(1, at + offset)));
    }

    private enum Change {
        PARAM_UP,
        SHADOW,
        WINDOW,
        PARAM_DOWN,
        ACTIVE,
        WINDOW_BACK
    }

    /** Reads decimals as written (5.00 stays 5.00), as bin/fraud rules publish does. */
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleVersionPlan() {}

    /**
     * The versions, in publication order.
     *
     * @param count how many versions
     * @param seed where around the watermark each {@code effectiveFrom} falls
     * @param horizon the job's look-back horizon, which no window may pass
     * @throws IllegalStateException if a version would be rejected by the job (a bench bug)
     */
    static List<Version> plan(int count, long seed, Duration horizon) {
        Map<String, ObjectNode> original = defaultRules();
        List<String> ids = new ArrayList<>(original.keySet());
        Map<String, ObjectNode> current = new HashMap<>();
        original.forEach((id, node) -> current.put(id, node.deepCopy()));
        Map<String, Integer> versions = new HashMap<>();
        RuleLedger ledger = new RuleLedger(horizon);
        Random random = new Random(seed);
        List<Version> plan = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String id = ids.get(k % ids.size());
            int version = versions.merge(id, 1, Integer::sum);
            Change change = Change.values()[(version - 1) % Change.values().length];
            ObjectNode rule = current.get(id).deepCopy();
            String what = apply(change, rule, original.get(id), horizon);
            current.put(id, rule);
            double publishAt = (k + 1.0) / (count + 1);
            double offset = (random.nextDouble() * 2 - 1) * SPREAD;
            Version v =
                    new Version(
                            id, version, publishAt, offset, what, draft(id, version, rule, what));
            try {
                ledger.admit(id, v.value(Instant.EPOCH));
            } catch (RuleRecordException e) {
                throw new IllegalStateException(
                        "bench rule version " + id + " " + version + " is invalid: " + e, e);
            }
            plan.add(v);
        }
        return plan;
    }

    /** Changes {@code rule} (a copy of the rule's current version); returns what changed. */
    private static String apply(Change change, ObjectNode rule, ObjectNode original, Duration max) {
        String id = rule.path("id").asText();
        switch (change) {
            case SHADOW, ACTIVE -> {
                String mode = change == Change.SHADOW ? "shadow" : "active";
                rule.put("mode", mode);
                return id + " mode " + mode;
            }
            case WINDOW, WINDOW_BACK -> {
                String from = rule.path("window").asText();
                String to = original.path("window").asText();
                if (change == Change.WINDOW) {
                    Duration w = Durations.parse(to);
                    to =
                            Durations.format(
                                    w.multipliedBy(2).compareTo(max) <= 0
                                            ? w.multipliedBy(2)
                                            : w.dividedBy(2));
                }
                rule.put("window", to);
                return id + " window " + from + " -> " + to;
            }
            default -> {
                String name = firstNumericParam(original);
                if (name == null) {
                    throw new IllegalStateException(id + " has no numeric parameter");
                }
                JsonNode was = rule.path("params").path(name);
                JsonNode base = original.path("params").path(name);
                ObjectNode params = (ObjectNode) rule.path("params");
                boolean up = change == Change.PARAM_UP;
                if (base.isIntegralNumber()) {
                    params.put(name, up ? base.asLong() + 1 : Math.max(1, base.asLong() - 1));
                } else {
                    BigDecimal factor = new BigDecimal(up ? "1.25" : "0.80");
                    params.put(
                            name,
                            base.decimalValue().multiply(factor).setScale(2, RoundingMode.HALF_UP));
                }
                return id + " " + name + " " + was.asText() + " -> " + params.path(name).asText();
            }
        }
    }

    private static String firstNumericParam(ObjectNode rule) {
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.path("params").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (p.getValue().isNumber()) {
                return p.getKey();
            }
        }
        return null;
    }

    /** The record but for its instant, written out by the project's own writer when published. */
    private static RuleRecord draft(String id, long version, ObjectNode rule, String change) {
        String ruleJson;
        try {
            ruleJson = JSON.writeValueAsString(rule);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a JSON tree", e);
        }
        return new RuleRecord(
                id,
                version,
                Instant.EPOCH,
                RuleRecords.parseRule(id, ruleJson, version),
                ruleJson,
                null,
                "bin/fraud bench",
                change);
    }

    /** The rule objects of the shipped default rule file, by id, in file order. */
    private static Map<String, ObjectNode> defaultRules() {
        JsonNode root;
        try (InputStream in = RuleFiles.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RuleFiles.DEFAULT_RESOURCE + " is missing from the class path");
            }
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ObjectNode> rules = new LinkedHashMap<>();
        for (JsonNode rule : root.path("rules")) {
            rules.put(rule.path("id").asText(), (ObjectNode) rule);
        }
        if (rules.isEmpty()) {
            throw new IllegalStateException(RuleFiles.DEFAULT_RESOURCE + " has no rules");
        }
        return rules;
    }
}
