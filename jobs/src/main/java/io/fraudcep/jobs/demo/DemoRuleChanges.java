package io.fraudcep.jobs.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.jobs.rules.RuleHistoryReader;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The rule versions {@code bin/fraud demo} publishes on the rule control topic before it starts the
 * job: the rules of {@value #RESOURCE}, each as the next version of its id, written as {@code
 * bin/fraud rules publish FILE --rule ID --effective-from INSTANT} writes it ({@link
 * RuleRecords#toJson}, re-read with {@link RuleRecords#parse} as the job reads it). The instants
 * come from the log: a new shadow rule from its start, a changed threshold from the middle of its
 * event time, so the job switches versions while it runs.
 */
final class DemoRuleChanges {

    /** The rules to publish, as a rule file on the class path. */
    static final String RESOURCE = "/demo/rule-changes.yaml";

    /** Who publishes, for the audit trail. */
    static final String PUBLISHED_BY = "bin/fraud demo";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Reads the rule file as a tree, keeping decimals as written, as the publish command does. */
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where in the log's event time a version takes effect. */
    enum At {
        /** The day of the log's first event. */
        LOG_START,
        /** The day of the log's median event. */
        LOG_MIDDLE
    }

    /** One change of the demo: a rule of {@link #RESOURCE} and when it takes effect. */
    record Change(String ruleId, At at) {}

    /** What the demo publishes, in this order. */
    static final List<Change> CHANGES =
            List.of(
                    new Change("NEW_DEVICE_PAYEE", At.LOG_START),
                    new Change("VELOCITY", At.LOG_MIDDLE));

    /**
     * A version as published.
     *
     * @param what what it changes against the rules in force, in a few words
     */
    record Published(
            String ruleId,
            long ruleVersion,
            Instant effectiveFrom,
            String mode,
            String patternVersion,
            String what) {}

    /**
     * The event-time span of a log: the instants the versions take effect at.
     *
     * @param start the day (UTC) of the first event
     * @param middle the day of the median event, or the median event's second if that day starts
     *     before the first event (a log of less than a day)
     */
    record LogSpan(Instant start, Instant middle) {

        /**
         * The span of the {@code <topic>.jsonl} files of {@code dir}; lines that are no event with
         * a timestamp are skipped.
         *
         * @throws IllegalArgumentException if no line is
         */
        static LogSpan of(Path dir, List<String> topics) throws IOException {
            List<Instant> times = new ArrayList<>();
            for (String topic : topics) {
                Path file = dir.resolve(topic + ".jsonl");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        Instant t = timestamp(line);
                        if (t != null) {
                            times.add(t);
                        }
                    }
                }
            }
            if (times.isEmpty()) {
                throw new IllegalArgumentException(
                        dir + " holds no event with a timestamp: nothing to run the demo on");
            }
            times.sort(null);
            Instant start = times.get(0).truncatedTo(ChronoUnit.DAYS);
            Instant median = times.get(times.size() / 2);
            Instant middle = median.truncatedTo(ChronoUnit.DAYS);
            if (!middle.isAfter(times.get(0))) {
                middle = median.truncatedTo(ChronoUnit.SECONDS);
            }
            return new LogSpan(start, middle);
        }

        Instant at(At at) {
            return at == At.LOG_START ? start : middle;
        }

        /** A line's {@code timestamp}, or null if the line is no event with one. */
        private static Instant timestamp(String line) {
            try {
                JsonNode ts = JSON.readTree(line).path("timestamp");
                return ts.isTextual() ? Instant.parse(ts.asText()) : null;
            } catch (JsonProcessingException | DateTimeParseException e) {
                // Bad lines are the job's business (dead letters), not the demo's.
                return null;
            }
        }
    }

    private DemoRuleChanges() {}

    /**
     * Publishes {@link #CHANGES} on {@code rulesTopic} (which must exist), one record after the
     * other, each acknowledged by the broker.
     *
     * @param client Kafka client properties (bootstrap servers)
     * @param inForce the rules the job starts with, to say what each version changes
     * @param span the log's event time
     * @return the versions, in the order written
     */
    static List<Published> publish(
            Properties client, String rulesTopic, RuleSet inForce, LogSpan span) {
        String text = resource();
        RuleSet file = RuleFiles.parse(text, RESOURCE);
        Map<String, JsonNode> written = ruleNodes(text);
        RuleLedger ledger =
                RuleHistoryReader.read(
                                client, rulesTopic, null, new RuleSet("topic", List.of()), TIMEOUT)
                        .builder()
                        .ledger();
        String publishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        List<Published> published = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(client))) {
            for (Change change : CHANGES) {
                Rule rule = Objects.requireNonNull(file.rule(change.ruleId()), change.ruleId());
                String what = what(inForce.rule(change.ruleId()), rule);
                RuleRecord draft =
                        new RuleRecord(
                                rule.id(),
                                ledger.lastVersion(rule.id()) + 1,
                                span.at(change.at()),
                                rule,
                                json(written.get(rule.id())),
                                publishedAt,
                                PUBLISHED_BY,
                                "demo: " + what);
                String value = RuleRecords.toJson(draft);
                // As the publish command does: only what the job would accept is written.
                RuleRecord record = RuleRecords.parse(value);
                send(producer, new ProducerRecord<>(rulesTopic, record.ruleId(), value));
                published.add(
                        new Published(
                                record.ruleId(),
                                record.ruleVersion(),
                                record.effectiveFrom(),
                                record.rule().mode().name().toLowerCase(Locale.ROOT),
                                RuleCanonical.patternVersion(record.rule()),
                                what));
            }
        }
        return published;
    }

    /** What {@code after} changes against {@code before}, the version in force before it. */
    static String what(Rule before, Rule after) {
        if (before == null) {
            return "new rule";
        }
        List<String> changes = new ArrayList<>();
        if (before.mode() != after.mode()) {
            changes.add(
                    "mode "
                            + before.mode().name().toLowerCase(Locale.ROOT)
                            + " -> "
                            + after.mode().name().toLowerCase(Locale.ROOT));
        }
        after.params()
                .forEach(
                        (name, value) -> {
                            ParamValue old = before.params().get(name);
                            if (old == null || !old.text().equals(value.text())) {
                                changes.add(
                                        name
                                                + " "
                                                + (old == null ? "(new)" : old.text())
                                                + " -> "
                                                + value.text());
                            }
                        });
        if (changes.isEmpty()
                && !RuleCanonical.canonical(before).equals(RuleCanonical.canonical(after))) {
            changes.add("rule changed");
        }
        return changes.isEmpty() ? "unchanged" : String.join(", ", changes);
    }

    private static void send(
            KafkaProducer<String, String> producer, ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + record.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not publish " + record.key() + " to " + record.topic(), e);
        }
    }

    private static Properties producer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Each rule object of the file by id, as written. */
    private static Map<String, JsonNode> ruleNodes(String text) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        try {
            for (JsonNode rule : YAML.readTree(text).path("rules")) {
                byId.put(rule.path("id").asText(), rule);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(RESOURCE + " is not YAML", e);
        }
        return byId;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a JSON tree", e);
        }
    }

    private static String resource() {
        try (InputStream in = DemoRuleChanges.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
