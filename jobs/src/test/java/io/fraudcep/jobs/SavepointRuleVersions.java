package io.fraudcep.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The rule versions {@link SavepointRescaleITCase} publishes on the control topic while the
 * contract's log runs through stops with savepoints and restores at other parallelisms, and the
 * alerts the contract's log gives under them. Each version is a rule of the shipped
 * rules-default.yaml with a parameter or its mode changed; each is timely (it reaches the job
 * before the watermark passes its {@code effectiveFrom}), so any run applies it from its {@code
 * effectiveFrom} and a run without stops, given the same records, gives the same alerts.
 *
 * <p>What they change, worked out by hand from the log (user-transactions.jsonl and
 * user-logins.jsonl):
 *
 * <ul>
 *   <li>STRUCTURING v1, 2 deposits instead of 3, from 2026-02-20: u00035 (deposits at 01:00, 04:49
 *       and 09:39 on 2026-02-25) alerts at its second deposit, before {@link
 *       SavepointRescaleITCase#FIRST_STOP}; the third, after it, is suppressed by that alert (24
 *       h): the suppression crosses the first savepoint and the rescale 2 to 4.
 *   <li>NEW_PAYEE_DRAIN v1 disabled from 2026-02-10, v2 active again (as shipped) from 2026-03-01:
 *       u00056's drain of 2026-02-20 gives no alert, u00055's of 2026-03-10 does.
 *   <li>STRUCTURING v2 in shadow (still 2 deposits) from 2026-02-26: every later structuring alert
 *       goes to the shadow topic, at the second deposit (u00036, u00040, u00034, u00037, u00039),
 *       and no active one is given.
 *   <li>BRUTE_FORCE_LOGIN v1, 4 failures instead of 5, from {@link
 *       SavepointRescaleITCase#SECOND_STOP}: u00004 (failures at 01:00:00, 01:02:10, 01:04:20,
 *       01:06:30, 01:08:40, success at 01:10:50 on 2026-03-28: five failures but not within 10 min)
 *       alerts; two of the four failures it needs come before the second savepoint.
 * </ul>
 */
final class SavepointRuleVersions {

    /**
     * One record of the control topic.
     *
     * @param ruleId the rule id, also the key
     * @param ruleVersion its version
     * @param effectiveFrom the instant it asks to judge triggers from
     * @param mode active, shadow or disabled
     * @param patternVersion what its alerts carry
     * @param json the record's value
     */
    record Published(
            String ruleId,
            long ruleVersion,
            Instant effectiveFrom,
            String mode,
            String patternVersion,
            String json) {

        String id() {
            return ruleId + "#" + ruleVersion;
        }
    }

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** Published before the first start: read by the job with the topic's history when built. */
    static final List<Published> BEFORE_FIRST_START =
            List.of(
                    version(
                            "STRUCTURING",
                            1,
                            "2026-02-20T00:00:00Z",
                            "two deposits are enough",
                            r -> params(r).put("minDeposits", 2)),
                    version(
                            "NEW_PAYEE_DRAIN",
                            1,
                            "2026-02-10T00:00:00Z",
                            "retired while payees are migrated",
                            r -> r.put("mode", "disabled")));

    /**
     * Published between the first savepoint and the restore at parallelism 4: read by the restored
     * job from its checkpointed offsets.
     */
    static final List<Published> BEFORE_FIRST_RESTORE =
            List.of(
                    version(
                            "STRUCTURING",
                            2,
                            "2026-02-26T00:00:00Z",
                            "two deposits: shadow until reviewed",
                            r -> {
                                params(r).put("minDeposits", 2);
                                r.put("mode", "shadow");
                            }),
                    version(
                            "NEW_PAYEE_DRAIN",
                            2,
                            "2026-03-01T00:00:00Z",
                            "back in force",
                            r -> {}));

    /**
     * Published while the restored job at parallelism 4 runs, effective from the third part of the
     * log: the job keeps it in its state through the second savepoint and the rescale to 1.
     */
    static final List<Published> DURING_SECOND_RUN =
            List.of(
                    version(
                            "BRUTE_FORCE_LOGIN",
                            1,
                            SavepointRescaleITCase.SECOND_STOP.toString(),
                            "four failures are enough",
                            r -> params(r).put("minFailures", 4)));

    /** The contract's alerts that these versions take away or move to the shadow topic. */
    static final Set<String> CONTRACT_ALERTS_NOT_GIVEN =
            Set.of(
                    // suppressed by u00035's alert at its second deposit, across the first stop
                    key("u00035", "STRUCTURING", "2026-02-25T09:39:21.191Z", "u00035-e00327"),
                    // NEW_PAYEE_DRAIN disabled
                    key("u00056", "NEW_PAYEE_DRAIN", "2026-02-20T01:05:00Z", "u00056-e00280"),
                    // STRUCTURING in shadow: given there, at the second deposit
                    key("u00036", "STRUCTURING", "2026-02-26T07:02:06.760Z", "u00036-e00325"),
                    key("u00034", "STRUCTURING", "2026-03-12T09:18:38.421Z", "u00034-e00366"),
                    key("u00037", "STRUCTURING", "2026-03-24T13:54:36.683Z", "u00037-e00301"));

    /** The alerts these versions add to the contract's. */
    static final Set<String> ALERTS_ADDED =
            Set.of(
                    key("u00035", "STRUCTURING", "2026-02-25T04:49:06.299Z", "u00035-e00326"),
                    key("u00004", "BRUTE_FORCE_LOGIN", "2026-03-28T01:10:50Z", "u00004-e00321"));

    /** The alerts of STRUCTURING v2, on the shadow topic. */
    static final Set<String> SHADOW_ALERTS =
            Set.of(
                    key("u00036", "STRUCTURING", "2026-02-26T04:12:34.281Z", "u00036-e00324"),
                    key("u00040", "STRUCTURING", "2026-03-10T14:00:00Z", "u00040-e00387"),
                    key("u00034", "STRUCTURING", "2026-03-12T03:05:06.447Z", "u00034-e00365"),
                    key("u00037", "STRUCTURING", "2026-03-24T07:51:59.742Z", "u00037-e00300"),
                    key("u00039", "STRUCTURING", "2026-03-27T07:45:27.330Z", "u00039-e00384"));

    private SavepointRuleVersions() {}

    /** Every record, in the order published. */
    static List<Published> all() {
        List<Published> all = new ArrayList<>(BEFORE_FIRST_START);
        all.addAll(BEFORE_FIRST_RESTORE);
        all.addAll(DURING_SECOND_RUN);
        return all;
    }

    /** The alerts of active rules: the contract's, less and plus what the versions change. */
    static Set<String> expectedAlerts() {
        Set<String> expected = new TreeSet<>(ContractExample.expectedAlerts());
        if (!expected.containsAll(CONTRACT_ALERTS_NOT_GIVEN)) {
            throw new IllegalStateException("not all of the contract's alerts");
        }
        expected.removeAll(CONTRACT_ALERTS_NOT_GIVEN);
        expected.addAll(ALERTS_ADDED);
        return expected;
    }

    /**
     * The {@code patternVersion} of the version of {@code ruleId} in force at {@code t}: the
     * published one with the latest {@code effectiveFrom} at or before it, else the shipped rule.
     */
    static String patternVersionAt(String ruleId, Instant t) {
        Published inForce = null;
        for (Published p : all()) {
            if (p.ruleId().equals(ruleId)
                    && !p.effectiveFrom().isAfter(t)
                    && (inForce == null || p.effectiveFrom().isAfter(inForce.effectiveFrom()))) {
                inForce = p;
            }
        }
        return inForce != null
                ? inForce.patternVersion()
                : RuleCanonical.patternVersion(RuleFiles.defaults().rule(ruleId));
    }

    private static String key(String user, String pattern, String detectedAt, String trigger) {
        return ContractExample.key(user, pattern, detectedAt, trigger);
    }

    /**
     * A version of a shipped rule, changed by {@code change}, as bin/fraud rules publish writes.
     */
    private static Published version(
            String ruleId,
            long ruleVersion,
            String effectiveFrom,
            String comment,
            Consumer<ObjectNode> change) {
        ObjectNode rule = shippedRule(ruleId);
        change.accept(rule);
        ObjectNode record = YAML.createObjectNode();
        record.put("ruleId", ruleId);
        record.put("ruleVersion", ruleVersion);
        record.put("effectiveFrom", effectiveFrom);
        record.set("rule", rule);
        record.put("publishedBy", "savepoint-rescale-itcase");
        record.put("comment", comment);
        String json = record.toString();
        // Valid as the job will read it, or the test is wrong.
        RuleRecord parsed = RuleRecords.parse(json);
        return new Published(
                ruleId,
                ruleVersion,
                parsed.effectiveFrom(),
                parsed.rule().mode().name().toLowerCase(Locale.ROOT),
                RuleCanonical.patternVersion(parsed.rule()),
                json);
    }

    private static ObjectNode params(ObjectNode rule) {
        return (ObjectNode) rule.get("params");
    }

    private static ObjectNode shippedRule(String ruleId) {
        try (InputStream in =
                SavepointRuleVersions.class.getResourceAsStream(RuleFiles.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RuleFiles.DEFAULT_RESOURCE);
            }
            for (JsonNode rule : YAML.readTree(in).get("rules")) {
                if (rule.get("id").asText().equals(ruleId)) {
                    return (ObjectNode) rule.deepCopy();
                }
            }
            throw new IllegalArgumentException("no shipped rule " + ruleId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
