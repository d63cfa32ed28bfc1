package io.fraudcep.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.jobs.demo.DemoRuleChanges.At;
import io.fraudcep.jobs.demo.DemoRuleChanges.LogSpan;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.sampledata.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule versions the demo publishes and the instants it picks from the log. */
class DemoRuleChangesTest {

    private static final List<String> TOPICS = DemoCommand.INPUT_TOPICS;

    @TempDir Path dir;

    @Test
    void theDemoLogStartsOnItsFirstDayAndIsHalfwayOnTheDayOfItsMedianEvent() throws IOException {
        LogSpan span = LogSpan.of(Fixtures.demo(), TOPICS);

        assertThat(span.start()).isEqualTo(Instant.parse("2025-07-12T00:00:00Z"));
        assertThat(span.middle()).isEqualTo(Instant.parse("2026-01-20T00:00:00Z"));
        assertThat(span.at(At.LOG_START)).isEqualTo(span.start());
        assertThat(span.at(At.LOG_MIDDLE)).isEqualTo(span.middle());
    }

    @Test
    void aLogSpanSkipsLinesThatAreNoEventWithATimestamp() throws IOException {
        Files.writeString(
                dir.resolve("user-logins.jsonl"),
                String.join(
                        "\n",
                        event("2026-03-01T10:00:00Z"),
                        "{\"eventId\":\"bad\",\"type\":",
                        event("2026-03-05T10:00:00Z"),
                        "{\"timestamp\":\"2026-03-02 10:00\"}",
                        event("2026-03-09T10:00:00Z")));
        Files.writeString(dir.resolve("unrelated.jsonl"), event("1999-01-01T00:00:00Z"));

        LogSpan span = LogSpan.of(dir, TOPICS);

        assertThat(span.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(span.middle()).isEqualTo(Instant.parse("2026-03-05T00:00:00Z"));
    }

    @Test
    void aLogOfLessThanADayIsHalfwayAtItsMedianEvent() throws IOException {
        Files.writeString(
                dir.resolve("user-transactions.jsonl"),
                String.join(
                        "\n",
                        event("2026-03-01T10:00:00Z"),
                        event("2026-03-01T10:05:30.250Z"),
                        event("2026-03-01T10:09:00Z")));

        LogSpan span = LogSpan.of(dir, TOPICS);

        assertThat(span.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(span.middle()).isEqualTo(Instant.parse("2026-03-01T10:05:30Z"));
    }

    @Test
    void aLogWithoutEventsIsRefusedWithItsDirectory() throws IOException {
        Files.writeString(dir.resolve("user-logins.jsonl"), "not JSON\n");

        assertThatThrownBy(() -> LogSpan.of(dir, TOPICS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("no event with a timestamp");
    }

    @Test
    void theDemosRuleFileHasANewShadowExampleRuleAndALowerVelocityThreshold() throws IOException {
        RuleSet changes = RuleFiles.parse(resource(), DemoRuleChanges.RESOURCE);
        RuleSet defaults = RuleFiles.defaults();
        RuleSet examples = RuleFiles.examples();

        assertThat(DemoRuleChanges.CHANGES)
                .extracting(DemoRuleChanges.Change::ruleId)
                .containsExactly("NEW_DEVICE_PAYEE", "VELOCITY");
        Rule shadow = changes.rule("NEW_DEVICE_PAYEE");
        assertThat(shadow.mode()).isEqualTo(RuleMode.SHADOW);
        assertThat(defaults.rule("NEW_DEVICE_PAYEE")).isNull();
        // The shipped example, only switched from disabled to shadow.
        assertThat(RuleCanonical.canonical(shadow))
                .isEqualTo(RuleCanonical.canonical(examples.rule("NEW_DEVICE_PAYEE")));
        Rule velocity = changes.rule("VELOCITY");
        assertThat(velocity.mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(RuleCanonical.canonical(velocity))
                .isEqualTo(
                        RuleCanonical.canonical(
                                defaults.rule("VELOCITY")
                                        .withParam("minTransactions", ParamValue.integer(6))));
    }

    @Test
    void whatAVersionChangesIsSaidAgainstTheRuleInForce() throws IOException {
        RuleSet changes = RuleFiles.parse(resource(), DemoRuleChanges.RESOURCE);
        RuleSet defaults = RuleFiles.defaults();
        Rule velocity = changes.rule("VELOCITY");

        assertThat(DemoRuleChanges.what(null, changes.rule("NEW_DEVICE_PAYEE")))
                .isEqualTo("new rule");
        assertThat(DemoRuleChanges.what(defaults.rule("VELOCITY"), velocity))
                .isEqualTo("minTransactions 10 -> 6");
        assertThat(DemoRuleChanges.what(velocity, velocity.withMode(RuleMode.SHADOW)))
                .isEqualTo("mode active -> shadow");
        assertThat(DemoRuleChanges.what(velocity, velocity)).isEqualTo("unchanged");
    }

    private static String event(String timestamp) {
        return "{\"eventId\":\"e-"
                + timestamp
                + "\",\"userId\":\"u1\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\""
                + timestamp
                + "\",\"deviceId\":\"d-1\"}";
    }

    private static String resource() throws IOException {
        try (InputStream in = DemoRuleChanges.class.getResourceAsStream(DemoRuleChanges.RESOURCE)) {
            assertThat(in).as(DemoRuleChanges.RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
