package io.fraudcep.rules.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The rule set a vector file's cases run on: its one rule, active even if the file ships it
 * disabled, with a case's {@code params} over the file's. Overrides are written into the file's own
 * tree and the whole file is read again by {@link RuleFiles}, so they are parsed and validated
 * exactly as the file's values are, and everything derived from params at load time (such as {@code
 * times: $minFailures+}) follows them.
 */
final class RuleUnderTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private RuleUnderTest() {}

    /** Rule {@code ruleId} of {@code ruleFile} alone, with {@code overrides} (null for none). */
    static RuleSet of(Path ruleFile, String ruleId, ObjectNode overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return RuleFiles.load(ruleFile).only(ruleId);
        }
        JsonNode root;
        try {
            root = VectorFile.YAML.readTree(ruleFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ruleFile, e);
        }
        ObjectNode params = paramsOf(root, ruleId, ruleFile);
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (!params.has(p.getKey())) {
                throw new IllegalArgumentException(
                        ruleId + " in " + ruleFile + " has no parameter " + p.getKey());
            }
            params.set(p.getKey(), p.getValue());
        }
        String text;
        try {
            text = JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RuleFiles.parse(text, ruleFile.getFileName() + " with " + overrides + ".json")
                .only(ruleId);
    }

    private static ObjectNode paramsOf(JsonNode root, String ruleId, Path ruleFile) {
        for (JsonNode rule : root.path("rules")) {
            if (ruleId.equals(rule.path("id").asText())
                    && rule.get("params") instanceof ObjectNode p) {
                return p;
            }
        }
        throw new IllegalArgumentException(ruleFile + " has no rule " + ruleId + " with params");
    }
}
