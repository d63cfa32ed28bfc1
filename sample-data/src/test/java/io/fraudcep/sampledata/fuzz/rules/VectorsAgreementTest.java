package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.rules.RuleEvents.shippedRuleFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the rule test vectors (rules/vectors, format in its README) gives, in this
 * reference interpreter, exactly the alerts the vector lists: two readings of the contracts, one
 * written as examples and one as code, agree.
 */
class VectorsAgreementTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> vectorFiles() throws IOException {
        Path dir = Path.of("..", "rules", "vectors");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("rules", "vectors");
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorFiles")
    void everyCaseGivesTheListedAlerts(Path file) throws IOException {
        JsonNode vectors = YAML.readTree(file.toFile());
        String ruleId = vectors.get("rule").asText();
        String block = ruleBlock(shippedRuleFile(vectors.get("file").asText()), ruleId);
        List<String> differences = new ArrayList<>();
        int n = 0;
        for (JsonNode c : vectors.get("cases")) {
            n++;
            String user = ruleId + "." + n;
            RuleSet rules = RuleFiles.parse(withParams(block, c.get("params")), file.toString());
            List<String> found =
                    RuleReference.detect(rules, events(c, user), RuleReference.Deadlines.ALL)
                            .stream()
                            .map(a -> a.userId() + " " + a.detectedAt() + " " + a.eventIds())
                            .toList();
            List<String> expected = new ArrayList<>();
            for (JsonNode a : c.get("alerts")) {
                List<String> ids = new ArrayList<>();
                a.get("eventIds").forEach(id -> ids.add(id.asText()));
                expected.add(
                        userOf(a, user)
                                + " "
                                + Instant.parse(a.get("detectedAt").asText())
                                + " "
                                + ids);
            }
            if (!found.equals(expected)) {
                differences.add(
                        "case "
                                + n
                                + " ("
                                + c.get("name").asText()
                                + "): "
                                + found
                                + " not "
                                + expected);
            }
        }

        assertThat(differences).isEmpty();
    }

    /** The rule's block of its file, enabled, as a rule file of its own. */
    private static String ruleBlock(String fileText, String ruleId) {
        int start = fileText.indexOf("  - id: " + ruleId + "\n");
        assertThat(start).as("rule " + ruleId).isNotNegative();
        int next = fileText.indexOf("\n  - id: ", start + 1);
        String block = next < 0 ? fileText.substring(start) : fileText.substring(start, next + 1);
        return "version: \"2\"\nrules:\n" + block.replace("mode: disabled", "mode: active");
    }

    /** The block with the case's parameter values written over the file's. */
    private static String withParams(String block, JsonNode params) {
        if (params == null) {
            return block;
        }
        String text = block;
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            text =
                    text.replaceAll(
                            "(?m)^(      " + p.getKey() + ": ).*$",
                            "$1" + Matcher.quoteReplacement(p.getValue().asText()));
        }
        return text;
    }

    private static List<UserEvent> events(JsonNode c, String user) {
        List<UserEvent> events = new ArrayList<>();
        for (JsonNode e : c.get("events")) {
            ObjectNode o = ((ObjectNode) e).deepCopy();
            o.put("userId", userOf(e, user));
            ParseResult p = EventCodec.parse(o.toString());
            assertThat(p.isAccepted()).as(o.toString()).isTrue();
            events.add(p.event());
        }
        return events;
    }

    private static String userOf(JsonNode node, String user) {
        return node.has("userId") ? user + "." + node.get("userId").asText() : user;
    }
}
