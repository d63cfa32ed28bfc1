package io.fraudcep.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fraud rules publish} against a real in-JVM broker: the records it appends to the
 * control topic, what it prints, and what it refuses to write.
 */
class RulesPublishITCase {

    /** Two rules as an analyst writes them; BRUTE_FORCE_LOGIN in shadow. */
    static final String TWO_RULES =
            String.join(
                    "\n",
                    "version: \"7\"",
                    "rules:",
                    "  - id: CARD_TESTING",
                    "    description: Small card payments that probe a stolen card, then a large"
                            + " one.",
                    "    severity: HIGH",
                    "    window: 15m",
                    "    params:",
                    "      minSmallPayments: 3",
                    "      smallBelow: 5.00",
                    "      largeAtLeast: 500.00",
                    "    steps:",
                    "      - name: small",
                    "        type: CARD_PAYMENT",
                    "        where: amount < $smallBelow",
                    "        times: $minSmallPayments+",
                    "      - name: large",
                    "        type: CARD_PAYMENT",
                    "        where: amount >= $largeAtLeast",
                    "    summary: \"{count(small)} card payments under {$smallBelow} (total"
                            + " {sum(small.amount)}) then a payment of {large.amount} within"
                            + " {span}.\"",
                    "",
                    "  - id: BRUTE_FORCE_LOGIN",
                    "    description: Repeated failed logins, then a successful one.",
                    "    severity: MEDIUM",
                    "    mode: shadow",
                    "    window: 10m",
                    "    params:",
                    "      minFailures: 5",
                    "    steps:",
                    "      - name: failures",
                    "        type: LOGIN_FAILURE",
                    "        times: $minFailures+",
                    "      - name: success",
                    "        type: LOGIN_SUCCESS",
                    "    summary: \"{count(failures)} failed logins then a successful login within"
                            + " {span}.\"",
                    "");

    /** The hash of CARD_TESTING's canonical form, as {@code bin/fraud rules explain} shows it. */
    static final String CARD_TESTING_HASH = "b8579c568f6e";

    static final Instant NOW = Instant.parse("2026-11-30T09:15:00.123Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafka kafka;

    @TempDir Path dir;

    private String topic;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void topicPerTest(TestInfo test) {
        topic = "rules-" + test.getTestMethod().orElseThrow().getName();
    }

    /** Runs {@code bin/fraud rules ARGS} as user alice at {@link #NOW}, with fresh output. */
    static int rules(
            ByteArrayOutputStream out, ByteArrayOutputStream err, Instant now, String... args) {
        out.reset();
        err.reset();
        return RulesCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(now, ZoneOffset.UTC),
                "alice");
    }

    private int publish(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 5];
        all[0] = "publish";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(
                new String[] {
                    "--bootstrap-servers", kafka.bootstrapServers(), "--rules-topic", topic
                },
                0,
                all,
                args.length + 1,
                4);
        return rules(out, err, NOW, all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path twoRules() throws IOException {
        return Files.writeString(dir.resolve("rules.yaml"), TWO_RULES);
    }

    static String bruteForceHash() {
        return RuleCanonical.hash(
                RuleFiles.parse(TWO_RULES, "rules.yaml").rule("BRUTE_FORCE_LOGIN"));
    }

    @Test
    void publishingAFileTwiceAppendsVersionOneThenTwoOfEachRule() throws Exception {
        Path file = twoRules();

        assertThat(publish(file.toString(), "--effective-from", "2026-12-01T00:00:00Z")).isZero();
        assertThat(out())
                .isEqualTo(
                        "published CARD_TESTING version 1 effective 2026-12-01T00:00:00Z (active)"
                                + " patternVersion 1-"
                                + CARD_TESTING_HASH
                                + "\n"
                                + "published BRUTE_FORCE_LOGIN version 1 effective"
                                + " 2026-12-01T00:00:00Z (shadow) patternVersion 1-"
                                + bruteForceHash()
                                + "\n");
        assertThat(err()).isEmpty();

        assertThat(
                        publish(
                                file.toString(),
                                "--effective-from=2026-12-05T00:00:00Z",
                                "--comment",
                                "same rules, later",
                                "--published-by",
                                "bob"))
                .isZero();
        assertThat(out())
                .isEqualTo(
                        "published CARD_TESTING version 2 effective 2026-12-05T00:00:00Z (active)"
                                + " patternVersion 2-"
                                + CARD_TESTING_HASH
                                + "\n"
                                + "published BRUTE_FORCE_LOGIN version 2 effective"
                                + " 2026-12-05T00:00:00Z (shadow) patternVersion 2-"
                                + bruteForceHash()
                                + "\n");

        List<ConsumerRecord<String, String>> records = kafka.readAll(topic, true);
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsExactly(
                        "CARD_TESTING", "BRUTE_FORCE_LOGIN", "CARD_TESTING", "BRUTE_FORCE_LOGIN");
        JsonNode first = JSON.readTree(records.get(0).value());
        assertThat(first.get("ruleId").asText()).isEqualTo("CARD_TESTING");
        assertThat(first.get("ruleVersion").asLong()).isEqualTo(1);
        assertThat(first.get("effectiveFrom").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(first.get("publishedAt").asText()).isEqualTo("2026-11-30T09:15:00.123Z");
        assertThat(first.get("publishedBy").asText()).isEqualTo("alice");
        assertThat(first.has("comment")).isFalse();
        // The rule object as the author wrote it: field order, decimals, no file version.
        assertThat(first.get("rule").fieldNames())
                .toIterable()
                .containsExactly(
                        "id", "description", "severity", "window", "params", "steps", "summary");
        assertThat(records.get(0).value())
                .contains(
                        "\"params\":{\"minSmallPayments\":3,\"smallBelow\":5.00,"
                                + "\"largeAtLeast\":500.00}")
                .contains(
                        "{\"name\":\"small\",\"type\":\"CARD_PAYMENT\",\"where\":\"amount <"
                                + " $smallBelow\",\"times\":\"$minSmallPayments+\"}");
        JsonNode second = JSON.readTree(records.get(1).value());
        assertThat(second.get("rule").get("mode").asText()).isEqualTo("shadow");
        JsonNode third = JSON.readTree(records.get(2).value());
        assertThat(third.get("ruleVersion").asLong()).isEqualTo(2);
        assertThat(third.get("effectiveFrom").asText()).isEqualTo("2026-12-05T00:00:00Z");
        assertThat(third.get("publishedBy").asText()).isEqualTo("bob");
        assertThat(third.get("comment").asText()).isEqualTo("same rules, later");
        assertThat(third.get("rule")).isEqualTo(first.get("rule"));
    }

    @Test
    void theTopicIsCreatedWithOnePartitionNeverCompactedNeverExpired() throws Exception {
        assertThat(publish(twoRules().toString(), "--effective-from", "2026-12-01T00:00:00Z"))
                .isZero();

        try (Admin admin = admin()) {
            TopicDescription d =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic);
            assertThat(d.partitions()).hasSize(1);
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            org.apache.kafka.clients.admin.Config c =
                    admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(c.get("retention.ms").value()).isEqualTo("-1");
        }
    }

    @Test
    void ruleSelectsTheRulesToPublishAndNumbersEachIdOnItsOwn() throws Exception {
        Path file = twoRules();
        assertThat(
                        publish(
                                file.toString(),
                                "--rule",
                                "BRUTE_FORCE_LOGIN",
                                "--effective-from",
                                "2026-12-01T00:00:00Z"))
                .isZero();
        assertThat(
                        publish(
                                file.toString(),
                                "--rule=BRUTE_FORCE_LOGIN",
                                "--rule",
                                "CARD_TESTING",
                                "--effective-from",
                                "2026-12-02T00:00:00Z"))
                .isZero();

        // File order, whatever the order of --rule; each id has its own versions.
        assertThat(out())
                .isEqualTo(
                        "published CARD_TESTING version 1 effective 2026-12-02T00:00:00Z (active)"
                                + " patternVersion 1-"
                                + CARD_TESTING_HASH
                                + "\n"
                                + "published BRUTE_FORCE_LOGIN version 2 effective"
                                + " 2026-12-02T00:00:00Z (shadow) patternVersion 2-"
                                + bruteForceHash()
                                + "\n");
        assertThat(kafka.readAll(topic, true))
                .extracting(ConsumerRecord::key)
                .containsExactly("BRUTE_FORCE_LOGIN", "CARD_TESTING", "BRUTE_FORCE_LOGIN");
    }

    @Test
    void aRuleTheFileDoesNotHaveIsACommandLineError() throws Exception {
        assertThat(
                        publish(
                                twoRules().toString(),
                                "--rule",
                                "VELOCITY",
                                "--effective-from",
                                "2026-12-01T00:00:00Z"))
                .isEqualTo(2);
        assertThat(err())
                .startsWith(
                        "rules: --rule VELOCITY: "
                                + dir.resolve("rules.yaml")
                                + " has no such rule (it has CARD_TESTING, BRUTE_FORCE_LOGIN)\n");
        assertThat(topics()).doesNotContain(topic);
    }

    @Test
    void anInvalidFilePrintsEveryErrorExitsOneAndWritesNothing() throws Exception {
        Path bad =
                Files.writeString(
                        dir.resolve("bad.yaml"),
                        TWO_RULES
                                .replace("window: 15m", "window: 0s")
                                .replace("severity: MEDIUM", "severity: urgent"));

        assertThat(publish(bad.toString(), "--effective-from", "2026-12-01T00:00:00Z"))
                .isEqualTo(1);
        assertThat(out())
                .isEqualTo(
                        bad
                                + ":6: rule CARD_TESTING, field window: expected a positive"
                                + " duration, not '0s'\n"
                                + bad
                                + ":23: rule BRUTE_FORCE_LOGIN, field severity: expected LOW,"
                                + " MEDIUM, HIGH or CRITICAL, found 'urgent'\n"
                                + bad
                                + ": INVALID, 2 errors\n");
        assertThat(topics()).doesNotContain(topic);
    }

    @Test
    void aVersionOnePatternFileIsNotPublished() throws Exception {
        Path v1 =
                Files.writeString(
                        dir.resolve("patterns.yaml"),
                        "version: \"1\"\npatterns:\n  - id: VELOCITY\n    enabled: false\n");

        assertThat(publish(v1.toString(), "--effective-from", "2026-12-01T00:00:00Z")).isEqualTo(1);
        assertThat(out())
                .endsWith(
                        v1
                                + ": a version 1 pattern file cannot be published; write it as a"
                                + " version 2 rule file (rules.md) first\n");
        assertThat(topics()).doesNotContain(topic);
    }

    @Test
    void anEffectiveFromThatIsNotAUtcInstantExitsTwoNamingTheOption() throws Exception {
        Path file = twoRules();
        for (String bad : List.of("2026-12-01", "2026-12-01T00:00:00+01:00", "tomorrow")) {
            assertThat(publish(file.toString(), "--effective-from", bad)).isEqualTo(2);
            assertThat(err())
                    .startsWith(
                            "rules: --effective-from: expected an ISO-8601 UTC instant such as"
                                    + " 2026-12-01T00:00:00Z, not '"
                                    + bad
                                    + "'\n")
                    .contains("Usage: bin/fraud rules");
        }
        assertThat(publish(file.toString())).isEqualTo(2);
        assertThat(err()).startsWith("rules: --effective-from is required: ");
        assertThat(out()).isEmpty();
        assertThat(topics()).doesNotContain(topic);
    }

    @Test
    void aDryRunPrintsTheNextVersionsAndWritesNothing() throws Exception {
        Path file = twoRules();
        assertThat(
                        publish(
                                file.toString(),
                                "--rule",
                                "CARD_TESTING",
                                "--effective-from",
                                "2026-12-01T00:00:00Z"))
                .isZero();

        assertThat(
                        publish(
                                file.toString(),
                                "--dry-run",
                                "--effective-from",
                                "2026-12-03T00:00:00Z"))
                .isZero();
        assertThat(out())
                .isEqualTo(
                        "would publish CARD_TESTING version 2 effective 2026-12-03T00:00:00Z"
                                + " (active) patternVersion 2-"
                                + CARD_TESTING_HASH
                                + "\n"
                                + "would publish BRUTE_FORCE_LOGIN version 1 effective"
                                + " 2026-12-03T00:00:00Z (shadow) patternVersion 1-"
                                + bruteForceHash()
                                + "\n"
                                + "dry run: nothing written to "
                                + topic
                                + "\n");
        assertThat(kafka.readAll(topic, true)).hasSize(1);
    }

    @Test
    void aCompactedTopicIsRefused() throws Exception {
        EmbeddedKafka.createTopics(
                kafka.bootstrapServers(), 1, Map.of("cleanup.policy", "compact"), topic);

        assertThat(publish(twoRules().toString(), "--effective-from", "2026-12-01T00:00:00Z"))
                .isEqualTo(1);
        assertThat(err())
                .isEqualTo(
                        "rules publish: "
                                + topic
                                + " has cleanup.policy=compact: compaction would delete the rule"
                                + " history, which is the audit trail; set cleanup.policy=delete on"
                                + " it; nothing published\n");
        assertThat(kafka.readAll(topic, true)).isEmpty();
    }

    @Test
    void unknownOptionsAreRejectedByName() throws Exception {
        assertThat(
                        publish(
                                twoRules().toString(),
                                "--effective-from",
                                "2026-12-01T00:00:00Z",
                                "--rules-applied-topic",
                                "x"))
                .isEqualTo(2);
        assertThat(err())
                .startsWith(
                        "rules: unknown option --rules-applied-topic (see bin/fraud rules publish"
                                + " --help)\n");
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(p);
    }

    private Set<String> topics() throws Exception {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
