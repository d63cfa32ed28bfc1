package io.fraudcep.jobs.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.jobs.KafkaSettings;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.rules.LoadedRules;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecords;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/fraud rules publish FILE --effective-from INSTANT ...}: appends the rules of a valid
 * rule file to the rule control topic, each as the next version of its id (rules.md, "Rule versions
 * on the control topic").
 *
 * <p>Nothing is written unless the whole file is valid and every record would be accepted by the
 * job ({@link RuleRecords#parse}). The rule object of each record is the rule as its author wrote
 * it in the file, converted to JSON; its version is the last version of its id on the topic plus
 * one. Two publishers racing on the same rule id can both pick the same version: the job accepts
 * the first and rejects the second as not increasing, and {@code bin/fraud rules list} shows it.
 */
final class RulesPublish {

    static final Option<Instant> EFFECTIVE_FROM =
            Option.custom(
                    "effective-from",
                    "INSTANT",
                    null,
                    "event-time instant from which the published versions judge triggers,"
                            + " ISO-8601 UTC (2026-12-01T00:00:00Z)",
                    RulesPublish::utcInstant);
    static final Option<String> COMMENT = Option.text("comment", null, "why, for the audit trail");
    static final Option<String> PUBLISHED_BY =
            Option.text("published-by", null, "who publishes, for the audit trail");
    static final Option<String> RULE =
            Option.text("rule", null, "publish only this rule of FILE; repeat for more");
    static final Option<Boolean> DRY_RUN =
            Option.flag("dry-run", "print what would be published and write nothing");

    static final List<Option<?>> OPTIONS =
            List.of(
                    EFFECTIVE_FROM,
                    COMMENT,
                    PUBLISHED_BY,
                    RULE,
                    DRY_RUN,
                    KafkaSettings.BOOTSTRAP_SERVERS,
                    RulesCommand.RULES_TOPIC,
                    KafkaSettings.KAFKA_PROPERTIES);

    /** How long reading the topic, creating it and each write may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Reads a rule file as a tree, keeping decimals as written ({@code 5.00}, not {@code 5.0}). */
    private static final ObjectMapper YAML = tree(new ObjectMapper(new YAMLFactory()));

    private static final ObjectMapper JSON = tree(new ObjectMapper());

    private RulesPublish() {}

    /** The command line, checked. */
    record Request(
            Path file,
            Instant effectiveFrom,
            String comment,
            String publishedBy,
            List<String> ruleIds,
            boolean dryRun,
            String bootstrapServers,
            String topic,
            Properties clientProperties) {

        /**
         * @param user who publishes when {@code --published-by} is not given, or null
         * @throws UsageException naming the option at fault
         */
        static Request parse(List<String> args, String user) {
            SubcommandLine line =
                    SubcommandLine.split(args, "bin/fraud rules publish", OPTIONS, RULE);
            if (line.positionals().size() != 1) {
                throw new UsageException(
                        "publish takes one FILE"
                                + (line.positionals().isEmpty()
                                        ? ""
                                        : ", not " + String.join(" ", line.positionals())));
            }
            Options.Parsed o =
                    new Options("bin/fraud rules publish", "", OPTIONS).parse(line.options());
            if (!o.has(EFFECTIVE_FROM)) {
                throw new UsageException(
                        "--effective-from is required: " + EFFECTIVE_FROM.description());
            }
            String by = o.get(PUBLISHED_BY);
            if (by == null) {
                by = user == null || user.isBlank() ? "unknown" : user;
            }
            return new Request(
                    Path.of(line.positionals().get(0)),
                    o.get(EFFECTIVE_FROM),
                    o.get(COMMENT),
                    by,
                    List.copyOf(new LinkedHashSet<>(line.repeated())),
                    o.get(DRY_RUN),
                    o.get(KafkaSettings.BOOTSTRAP_SERVERS),
                    o.get(RulesCommand.RULES_TOPIC),
                    RulesCommand.kafkaClient(o));
        }
    }

    /** One record ready to send. */
    private record Outgoing(RuleRecord record, String value, String patternVersion) {}

    /**
     * Runs the sub-command.
     *
     * @param args the arguments after {@code publish}
     * @param clock the wall clock, for {@code publishedAt}
     * @param user the default of {@code --published-by} (the {@code USER} variable), or null
     * @return 0 published, 1 the file is not valid or Kafka failed, 2 a command line that cannot be
     *     run
     */
    static int run(List<String> args, PrintStream out, PrintStream err, Clock clock, String user) {
        Request request;
        try {
            request = Request.parse(args, user);
        } catch (UsageException e) {
            return RulesCommand.usage(err, e.getMessage());
        }
        LoadedRules loaded = RulesCommand.read(request.file(), out);
        if (loaded == null) {
            return 1;
        }
        Map<String, JsonNode> written;
        try {
            written = ruleNodes(request.file());
        } catch (IOException | IllegalArgumentException e) {
            out.println(request.file() + ": " + e.getMessage());
            return 1;
        }
        List<Rule> selected;
        try {
            selected = select(loaded.ruleSet(), request);
        } catch (UsageException e) {
            return RulesCommand.usage(err, e.getMessage());
        }

        RuleLedger ledger;
        try {
            ledger =
                    RuleHistoryReader.read(
                                    request.clientProperties(),
                                    request.topic(),
                                    null,
                                    new RuleSet("topic", List.of()),
                                    TIMEOUT)
                            .builder()
                            .ledger();
        } catch (KafkaException | IllegalStateException e) {
            err.println(
                    "rules publish: cannot read "
                            + request.topic()
                            + " at "
                            + request.bootstrapServers()
                            + ": "
                            + e.getMessage());
            return 1;
        }

        String publishedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        List<Outgoing> outgoing = new ArrayList<>();
        for (Rule rule : selected) {
            try {
                outgoing.add(
                        record(
                                rule,
                                written.get(rule.id()),
                                ledger.lastVersion(rule.id()) + 1,
                                request,
                                publishedAt));
            } catch (RuleRecordException e) {
                err.println(
                        "rules publish: the job would reject "
                                + rule.id()
                                + " ("
                                + e.getMessage()
                                + "); nothing published");
                return 1;
            }
        }

        if (request.dryRun()) {
            for (Outgoing o : outgoing) {
                out.println("would publish " + describe(o));
            }
            out.println("dry run: nothing written to " + request.topic());
            return 0;
        }
        try {
            ensureTopic(request);
        } catch (IllegalStateException e) {
            err.println("rules publish: " + e.getMessage() + "; nothing published");
            return 1;
        }
        return send(outgoing, request, out, err);
    }

    /** The rules to publish, in file order. */
    private static List<Rule> select(RuleSet rules, Request request) {
        if (request.ruleIds().isEmpty()) {
            return rules.rules();
        }
        for (String id : request.ruleIds()) {
            if (rules.rule(id) == null) {
                throw new UsageException(
                        "--rule "
                                + id
                                + ": "
                                + request.file()
                                + " has no such rule (it has "
                                + rules.rules().stream()
                                        .map(Rule::id)
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
        }
        Set<String> wanted = Set.copyOf(request.ruleIds());
        return rules.rules().stream().filter(r -> wanted.contains(r.id())).toList();
    }

    /**
     * The record of one rule, re-read as the job would read it.
     *
     * @throws RuleRecordException if the job would reject it, or if it would not be the file's rule
     */
    private static Outgoing record(
            Rule fromFile, JsonNode node, long version, Request request, String publishedAt) {
        String ruleJson;
        try {
            ruleJson = JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a JSON tree", e);
        }
        RuleRecord draft =
                new RuleRecord(
                        fromFile.id(),
                        version,
                        request.effectiveFrom(),
                        fromFile,
                        ruleJson,
                        publishedAt,
                        request.publishedBy(),
                        request.comment());
        String value = RuleRecords.toJson(draft);
        RuleRecord read = RuleRecords.parse(value);
        // The JSON must say what the file says: same canonical form (what decides alerts) and
        // mode. A difference would be a conversion fault, never something to publish.
        if (!RuleCanonical.canonical(read.rule()).equals(RuleCanonical.canonical(fromFile))
                || read.rule().mode() != fromFile.mode()) {
            throw new RuleRecordException(
                    fromFile.id(), "rule", "its JSON form does not read back as the file's rule");
        }
        return new Outgoing(read, value, RuleCanonical.patternVersion(read.rule()));
    }

    private static String describe(Outgoing o) {
        RuleRecord r = o.record();
        return r.ruleId()
                + " version "
                + r.ruleVersion()
                + " effective "
                + r.effectiveFrom()
                + " ("
                + r.rule().mode().name().toLowerCase(Locale.ROOT)
                + ") patternVersion "
                + o.patternVersion();
    }

    /**
     * Each rule object of a version 2 rule file, by id, as the author wrote it.
     *
     * @throws IllegalArgumentException for a version 1 pattern file, which has no rule objects
     */
    private static Map<String, JsonNode> ruleNodes(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // The rule file reader's choice of syntax (RuleFiles).
        boolean json = file.toString().endsWith(".json") || text.stripLeading().startsWith("{");
        JsonNode root = (json ? JSON : YAML).readTree(text);
        JsonNode rules = root == null ? null : root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new IllegalArgumentException(
                    "a version 1 pattern file cannot be published; write it as a version 2 rule"
                            + " file (rules.md) first");
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode rule : rules) {
            byId.put(rule.path("id").asText(), rule);
        }
        return byId;
    }

    /**
     * Creates the control topic if it is missing: one partition, the cluster's default replication,
     * never compacted and never expired (the history is the audit trail). An existing topic that is
     * compacted is refused.
     */
    private static void ensureTopic(Request request) {
        Properties props = new Properties();
        props.putAll(request.clientProperties());
        try (Admin admin = Admin.create(props)) {
            NewTopic topic =
                    new NewTopic(request.topic(), Optional.of(1), Optional.empty())
                            .configs(
                                    Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                            TopicConfig.CLEANUP_POLICY_DELETE,
                                            TopicConfig.RETENTION_MS_CONFIG,
                                            "-1"));
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create " + request.topic() + ": " + e.getCause().getMessage());
                }
            }
            ConfigResource resource =
                    new ConfigResource(ConfigResource.Type.TOPIC, request.topic());
            org.apache.kafka.clients.admin.Config topicConfig =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .get(resource);
            ConfigEntry policy =
                    topicConfig == null ? null : topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException(
                        request.topic()
                                + " has cleanup.policy="
                                + policy.value()
                                + ": compaction would delete the rule history, which is the audit"
                                + " trail; set cleanup.policy=delete on it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.TimeoutException | ExecutionException | KafkaException e) {
            throw new IllegalStateException(
                    "cannot create or describe " + request.topic() + ": " + e);
        }
    }

    /** Writes the records one after the other, each acknowledged by every in-sync replica. */
    private static int send(
            List<Outgoing> outgoing, Request request, PrintStream out, PrintStream err) {
        Properties props = new Properties();
        props.putAll(request.clientProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < outgoing.size(); i++) {
                Outgoing o = outgoing.get(i);
                try {
                    // One at a time: a failure leaves no later version of the call written.
                    producer.send(
                                    new ProducerRecord<>(
                                            request.topic(), o.record().ruleId(), o.value()))
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return failed(outgoing, i, request, "interrupted", err);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                    return failed(outgoing, i, request, why, err);
                }
                out.println("published " + describe(o));
            }
            producer.flush();
        } catch (KafkaException e) {
            err.println(
                    "rules publish: cannot write to " + request.topic() + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static int failed(
            List<Outgoing> outgoing, int at, Request request, String why, PrintStream err) {
        err.println(
                "rules publish: could not write "
                        + outgoing.get(at).record().ruleId()
                        + " version "
                        + outgoing.get(at).record().ruleVersion()
                        + " to "
                        + request.topic()
                        + ": "
                        + why
                        + "; it and the "
                        + (outgoing.size() - at - 1)
                        + " after it are not published");
        return 1;
    }

    private static Instant utcInstant(String v) {
        String t = v.trim();
        try {
            if (t.endsWith("Z")) {
                return Instant.parse(t);
            }
        } catch (DateTimeParseException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException(
                "expected an ISO-8601 UTC instant such as 2026-12-01T00:00:00Z, not '" + v + "'");
    }

    private static ObjectMapper tree(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }
}
