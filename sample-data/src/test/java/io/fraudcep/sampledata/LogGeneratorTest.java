package io.fraudcep.sampledata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator's output: deterministic, well-formed, in order, and labelled truthfully. */
class LogGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private static GeneratorOptions.Builder scenarioRich(long seed) {
        return GeneratorOptions.builder()
                .seed(seed)
                .users(250)
                .days(40)
                .fraudRate(0.3)
                .nearMissRate(0.4)
                .badRecords(true)
                .duplicates(true);
    }

    @Test
    void sameSeedAndOptionsGiveByteIdenticalFiles() throws IOException {
        GeneratorOptions options = scenarioRich(11).build();
        new LogGenerator(options).writeTo(tmp.resolve("a"));
        new LogGenerator(options).writeTo(tmp.resolve("b"));
        new LogGenerator(scenarioRich(12).build()).writeTo(tmp.resolve("c"));

        for (String file : allFiles()) {
            byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(file));
            assertThat(a).as(file).isNotEmpty();
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(file))).as(file).isEqualTo(a);
            assertThat(Files.readAllBytes(tmp.resolve("c").resolve(file))).as(file).isNotEqualTo(a);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void theOracleFindsExactlyTheLabelledPositives(long seed) throws IOException {
        new LogGenerator(scenarioRich(seed).build()).writeTo(tmp);

        Set<String> detected = new TreeSet<>();
        for (ReferenceDetector.Alert a : ReferenceDetector.detect(tmp)) {
            detected.add(key(a.userId(), a.patternId(), a.triggerEventId(), a.detectedAt()));
        }
        Set<String> labelled = new TreeSet<>();
        for (JsonNode l : labels(tmp)) {
            if (l.get("positive").asBoolean()) {
                labelled.add(
                        key(
                                l.get("userId").asText(),
                                l.get("patternId").asText(),
                                l.get("triggerEventId").asText(),
                                Instant.parse(l.get("detectedAt").asText())));
            }
        }
        assertThat(detected).isEqualTo(labelled);
    }

    @Test
    void backgroundAloneFiresNoPatternOverMonths() throws IOException {
        GeneratorOptions options =
                GeneratorOptions.builder()
                        .seed(5)
                        .users(200)
                        .days(400)
                        .fraudRate(0)
                        .nearMissRate(0)
                        .build();
        GenerationReport report = new LogGenerator(options).writeTo(tmp);

        assertThat(report.events()).isGreaterThan(150_000);
        assertThat(ReferenceDetector.detect(tmp)).isEmpty();
        assertThat(labels(tmp)).isEmpty();
    }

    @Test
    void everyPatternHasPositivesAndEveryNearMissVariantAppears() throws IOException {
        new LogGenerator(scenarioRich(3).build()).writeTo(tmp);

        Set<String> seen = new HashSet<>();
        for (JsonNode l : labels(tmp)) {
            seen.add(l.get("patternId").asText() + "/" + l.get("variant").asText());
        }
        for (Scenario s : Scenario.values()) {
            if (!s.exampleRule()) {
                assertThat(seen).contains(s.patternId() + "/" + s.variant());
            }
        }
        assertThat(seen).noneMatch(s -> s.startsWith("MULE_THIN_FILE/"));
    }

    @Test
    void theExampleRulesOptionAddsPositivesOfEveryExampleRule() throws IOException {
        new LogGenerator(scenarioRich(3).exampleRules(true).build()).writeTo(tmp);

        Set<String> seen = new HashSet<>();
        for (JsonNode l : labels(tmp)) {
            seen.add(l.get("patternId").asText() + "/" + l.get("variant").asText());
        }
        for (Scenario s : Scenario.values()) {
            assertThat(seen).contains(s.patternId() + "/" + s.variant());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void eachExampleRuleScenarioFiresItsRuleOnceAtTheLabelledInstant(long seed) throws IOException {
        new LogGenerator(scenarioRich(seed).exampleRules(true).build()).writeTo(tmp);
        Map<String, List<UserEvent>> byUser = eventsByUser(tmp);

        int checked = 0;
        for (JsonNode l : labels(tmp)) {
            String rule = l.get("patternId").asText();
            if (!Scenario.valueOf(scenarioName(l)).exampleRule()) {
                continue;
            }
            Instant detectedAt = Instant.parse(l.get("detectedAt").asText());
            // A scenario has 25 h without background on each side.
            List<ExampleRulesReference.Alert> near =
                    ExampleRulesReference.detect(rule, byUser.get(l.get("userId").asText()))
                            .stream()
                            .filter(
                                    a ->
                                            Duration.between(a.detectedAt(), detectedAt)
                                                            .abs()
                                                            .compareTo(Duration.ofHours(25))
                                                    < 0)
                            .toList();
            assertThat(near)
                    .as(l.toString())
                    .containsExactly(
                            new ExampleRulesReference.Alert(
                                    rule,
                                    l.get("firstEventId").asText(),
                                    l.get("triggerEventId").asText(),
                                    detectedAt));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void exampleRuleScenariosFireNoDefaultPatternButAThinFileMuleIsAMoneyMule() throws IOException {
        new LogGenerator(scenarioRich(4).exampleRules(true).build()).writeTo(tmp);

        Set<String> detected = new TreeSet<>();
        for (ReferenceDetector.Alert a : ReferenceDetector.detect(tmp)) {
            detected.add(key(a.userId(), a.patternId(), a.triggerEventId(), a.detectedAt()));
        }
        Set<String> expected = new TreeSet<>();
        int thinFile = 0;
        for (JsonNode l : labels(tmp)) {
            String rule = l.get("patternId").asText();
            if (!l.get("positive").asBoolean()
                    || (Scenario.valueOf(scenarioName(l)).exampleRule()
                            && !rule.equals("MULE_THIN_FILE"))) {
                continue;
            }
            thinFile += rule.equals("MULE_THIN_FILE") ? 1 : 0;
            expected.add(
                    key(
                            l.get("userId").asText(),
                            rule.equals("MULE_THIN_FILE") ? "MONEY_MULE" : rule,
                            l.get("triggerEventId").asText(),
                            Instant.parse(l.get("detectedAt").asText())));
        }
        assertThat(thinFile).isPositive();
        assertThat(detected).isEqualTo(expected);
    }

    @Test
    void aThinFileAccountHasNoEventBeforeItsScenarioAndAtMostNineBeforeTheTransferIn()
            throws IOException {
        new LogGenerator(scenarioRich(5).exampleRules(true).build()).writeTo(tmp);
        Map<String, List<UserEvent>> byUser = eventsByUser(tmp);

        int checked = 0;
        for (JsonNode l : labels(tmp)) {
            if (!l.get("patternId").asText().equals("MULE_THIN_FILE")) {
                continue;
            }
            Instant in = Instant.parse(l.get("windowStart").asText());
            long before =
                    byUser.get(l.get("userId").asText()).stream()
                            .filter(e -> e.timestamp().isBefore(in))
                            .map(UserEvent::eventId)
                            .distinct()
                            .count();
            assertThat(before).isEqualTo(l.get("params").get("priorEvents").asLong());
            assertThat(before).isLessThan(10);
            if (l.get("variant").asText().equals("boundary")) {
                assertThat(before).isEqualTo(9);
            }
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void labelsAreWellFormedAndPointAtEventsOfTheirTime() throws IOException {
        GenerationReport report = new LogGenerator(scenarioRich(7).build()).writeTo(tmp);
        Map<String, UserEvent> byId = new HashMap<>();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(tmp.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (p.isAccepted()) {
                    byId.put(p.event().eventId(), p.event());
                }
            }
        }

        List<JsonNode> labels = labels(tmp);
        assertThat(labels).hasSize(report.positives() + report.nearMisses());
        Set<String> users = new HashSet<>();
        for (JsonNode l : labels) {
            assertThat(users.add(l.get("userId").asText())).as("one scenario per user").isTrue();
            assertThat(l.get("positive").isBoolean()).isTrue();
            assertThat(l.get("variant").asText()).isNotEmpty();
            UserEvent first = byId.get(l.get("firstEventId").asText());
            assertThat(first).as(l.toString()).isNotNull();
            assertThat(first.userId()).isEqualTo(l.get("userId").asText());
            if (l.get("positive").asBoolean()) {
                UserEvent trigger = byId.get(l.get("triggerEventId").asText());
                assertThat(trigger).as(l.toString()).isNotNull();
                assertThat(trigger.userId()).isEqualTo(l.get("userId").asText());
                assertThat(l.get("detectedAt").asText())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                assertThat(Instant.parse(l.get("detectedAt").asText()))
                        .isEqualTo(trigger.timestamp());
                assertThat(Instant.parse(l.get("windowStart").asText()))
                        .isEqualTo(first.timestamp());
                assertThat(first.timestamp()).isBeforeOrEqualTo(trigger.timestamp());
                assertThat(l.has("lastEventId")).isFalse();
            } else {
                assertThat(byId).containsKey(l.get("lastEventId").asText());
                assertThat(l.has("triggerEventId")).isFalse();
                assertThat(l.has("detectedAt")).isFalse();
            }
        }
    }

    @Test
    void onlyTheBadRecordsFailToParseAndTheyCoverEveryKind() throws IOException {
        GenerationReport report = new LogGenerator(scenarioRich(8).build()).writeTo(tmp);

        List<String> rejected = new ArrayList<>();
        Set<String> reasons = new HashSet<>();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(tmp.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (!p.isAccepted()) {
                    rejected.add(line);
                    reasons.add(p.reason().name());
                } else {
                    assertThat(Topic.of(p.event().type())).isEqualTo(topic);
                }
            }
        }
        assertThat(report.badRecords()).isEqualTo(BadRecords.Kind.values().length);
        assertThat(rejected).hasSize((int) report.badRecords());
        assertThat(rejected).anyMatch(l -> l.contains("\"12.345\""));
        assertThat(rejected).anyMatch(l -> l.contains("\"-25.00\""));
        assertThat(rejected).anyMatch(l -> l.startsWith("["));
        assertThat(reasons)
                .contains(
                        "NOT_JSON",
                        "NOT_AN_OBJECT",
                        "UNKNOWN_TYPE",
                        "MISSING_FIELD",
                        "OUT_OF_RANGE");
    }

    @Test
    void duplicatesAreExactResendsAFewLinesLater() throws IOException {
        GenerationReport report = new LogGenerator(scenarioRich(9).build()).writeTo(tmp);

        int resent = 0;
        for (Topic topic : Topic.values()) {
            List<String> lines = Files.readAllLines(tmp.resolve(topic.fileName()));
            Map<String, Integer> firstLine = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                ParseResult p = EventCodec.parse(lines.get(i));
                if (!p.isAccepted()) {
                    continue;
                }
                Integer before = firstLine.putIfAbsent(p.event().eventId(), i);
                if (before != null) {
                    resent++;
                    assertThat(lines.get(i)).isEqualTo(lines.get(before));
                    assertThat(i - before).isBetween(1, 6);
                }
            }
        }
        assertThat(resent).isEqualTo((int) report.duplicates()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withoutTheFlagsThereAreNoDuplicatesOrBadRecords() throws IOException {
        GenerationReport report =
                new LogGenerator(scenarioRich(9).badRecords(false).duplicates(false).build())
                        .writeTo(tmp);

        assertThat(report.duplicates()).isZero();
        assertThat(report.badRecords()).isZero();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(tmp.resolve(topic.fileName()))) {
                assertThat(EventCodec.parse(line).isAccepted()).as(line).isTrue();
            }
        }
    }

    @Test
    void eachFileIsInEventTimeOrderUpToTwoSecondsAndUsersKeepTheirOrder() throws IOException {
        new LogGenerator(scenarioRich(10).build()).writeTo(tmp);

        for (Topic topic : Topic.values()) {
            long max = Long.MIN_VALUE / 2;
            Map<String, Long> lastOfUser = new HashMap<>();
            for (String line : Files.readAllLines(tmp.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (!p.isAccepted()) {
                    continue;
                }
                long t = p.event().timestampMillis();
                assertThat(t).as(line).isGreaterThanOrEqualTo(max - 2_000);
                max = Math.max(max, t);
                Long previous = lastOfUser.put(p.event().userId(), t);
                if (previous != null) {
                    assertThat(t).as(line).isGreaterThanOrEqualTo(previous);
                }
            }
        }
    }

    @Test
    void optionsOutOfRangeAreRejectedByName() {
        assertThatThrownBy(() -> GeneratorOptions.builder().users(0).build())
                .hasMessageContaining("--users");
        assertThatThrownBy(() -> GeneratorOptions.builder().days(3).build())
                .hasMessageContaining("--days");
        assertThatThrownBy(() -> GeneratorOptions.builder().fraudRate(1.5).build())
                .hasMessageContaining("--fraud-rate");
        assertThatThrownBy(
                        () -> GeneratorOptions.builder().fraudRate(0.6).nearMissRate(0.6).build())
                .hasMessageContaining("--near-miss-rate");
    }

    /** The Scenario constant a label names, e.g. MULE_THIN_FILE_BOUNDARY. */
    private static String scenarioName(JsonNode label) {
        for (Scenario s : Scenario.values()) {
            if (s.positive() == label.get("positive").asBoolean()
                    && s.patternId().equals(label.get("patternId").asText())
                    && s.variant().equals(label.get("variant").asText())) {
                return s.name();
            }
        }
        throw new IllegalArgumentException("no scenario for " + label);
    }

    /** Every accepted line of the log's topic files, by user, in file order. */
    private static Map<String, List<UserEvent>> eventsByUser(Path dir) throws IOException {
        Map<String, List<UserEvent>> byUser = new HashMap<>();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(dir.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (p.isAccepted()) {
                    byUser.computeIfAbsent(p.event().userId(), u -> new ArrayList<>())
                            .add(p.event());
                }
            }
        }
        return byUser;
    }

    private static String key(String user, String pattern, String trigger, Instant at) {
        return user + " " + pattern + " " + trigger + " " + at;
    }

    static List<JsonNode> labels(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(LogGenerator.LABELS_FILE))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<String> allFiles() {
        List<String> files = new ArrayList<>();
        for (Topic t : Topic.values()) {
            files.add(t.fileName());
        }
        files.add(LogGenerator.LABELS_FILE);
        return files;
    }
}
