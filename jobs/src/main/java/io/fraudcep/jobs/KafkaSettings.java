package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.jobs.io.AlertRecordSerializer;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.jobs.io.DeadLetterRecordSerializer;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.KafkaLogDeserializer;
import io.fraudcep.jobs.io.LateEventRecordSerializer;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.jobs.kafka.EventTimeKafkaSource;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Where the log and the outputs live in Kafka, and the client properties passed through to every
 * Kafka client (so SASL/SSL settings work).
 *
 * <p>{@link #toString()} prints the client properties with every secret value replaced by {@value
 * #REDACTED}, so a settings object (or a job configuration holding one) can be logged. A property
 * is secret ({@link #isSecret}) when
 *
 * <ul>
 *   <li>Kafka types it as a password ({@code ConfigDef.Type.PASSWORD}) in the producer, consumer or
 *       admin client configuration: {@code sasl.jaas.config}, {@code ssl.key.password}, {@code
 *       ssl.keystore.password}, {@code ssl.truststore.password}, {@code ssl.keystore.key}, {@code
 *       sasl.oauthbearer.client.credentials.client.secret}, ...; or
 *   <li>its name, lower-cased, contains {@code password}, {@code passwd}, {@code passphrase},
 *       {@code secret}, {@code jaas}, {@code token} or {@code credential}; or
 *   <li>one of the words of its name (split at {@code .}, {@code -}, {@code _}) is {@code pwd},
 *       {@code auth} or {@code apikey}, or is {@code key} anywhere but first ({@code
 *       ssl.key.password}, {@code ssl.keystore.key}, {@code api.key}, but not {@code
 *       key.serializer}, where "key" is the record key).
 * </ul>
 *
 * The rule errs on the side of hiding: a hidden value that was not secret costs a look at the
 * properties file, a printed secret cannot be taken back. Names are always printed.
 *
 * @param bootstrapServers the brokers
 * @param loginsTopic input topic of logins
 * @param transactionsTopic input topic of transactions
 * @param accountChangesTopic input topic of account changes
 * @param alertsTopic output topic of alerts
 * @param shadowAlertsTopic output topic of the alerts of shadow rules
 * @param deadLetterTopic output topic of rejected records
 * @param lateEventsTopic output topic of events that arrived behind the watermark
 * @param clientProperties extra client properties, e.g. security settings
 */
public record KafkaSettings(
        String bootstrapServers,
        String loginsTopic,
        String transactionsTopic,
        String accountChangesTopic,
        String alertsTopic,
        String shadowAlertsTopic,
        String deadLetterTopic,
        String lateEventsTopic,
        Properties clientProperties)
        implements Serializable {

    public static final Option<String> BOOTSTRAP_SERVERS =
            Option.requiredText("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers");
    public static final Option<String> LOGINS_TOPIC =
            Option.text("logins-topic", "user-logins", "input topic of logins");
    public static final Option<String> TRANSACTIONS_TOPIC =
            Option.text("transactions-topic", "user-transactions", "input topic of transactions");
    public static final Option<String> ACCOUNT_CHANGES_TOPIC =
            Option.text(
                    "account-changes-topic",
                    "user-account-changes",
                    "input topic of account changes");
    public static final Option<String> ALERTS_TOPIC =
            Option.text("alerts-topic", "fraud-alerts", "output topic of alerts");
    public static final Option<String> SHADOW_ALERTS_TOPIC =
            Option.text(
                    "shadow-alerts-topic",
                    "fraud-alerts-shadow",
                    "output topic of the alerts of shadow rules (alerts with \"mode\": \"shadow\")");
    public static final Option<String> DEAD_LETTER_TOPIC =
            Option.text(
                    "dead-letter-topic", "fraud-dead-letters", "output topic of rejected records");
    public static final Option<String> LATE_EVENTS_TOPIC =
            Option.text(
                    "late-events-topic",
                    "fraud-late-events",
                    "output topic of events behind the watermark");
    public static final Option<Path> KAFKA_PROPERTIES =
            Option.existingFile(
                    "kafka-properties",
                    "Kafka client properties (security, SASL, SSL...) for every client");

    /** What {@link #toString()} prints instead of a secret value. */
    public static final String REDACTED = "<redacted>";

    /** Client properties that Kafka itself types as passwords. */
    private static final Set<String> KAFKA_PASSWORDS =
            Stream.of(
                            ProducerConfig.configDef(),
                            ConsumerConfig.configDef(),
                            AdminClientConfig.configDef())
                    .flatMap(d -> d.configKeys().values().stream())
                    .filter(k -> k.type == ConfigDef.Type.PASSWORD)
                    .map(k -> k.name)
                    .collect(Collectors.toUnmodifiableSet());

    private static final List<String> SECRET_PARTS =
            List.of("password", "passwd", "passphrase", "secret", "jaas", "token", "credential");
    private static final Set<String> SECRET_WORDS = Set.of("pwd", "auth", "apikey");

    /** The options above, for a command's option list. */
    public static List<Option<?>> options() {
        return List.of(
                BOOTSTRAP_SERVERS,
                LOGINS_TOPIC,
                TRANSACTIONS_TOPIC,
                ACCOUNT_CHANGES_TOPIC,
                ALERTS_TOPIC,
                SHADOW_ALERTS_TOPIC,
                DEAD_LETTER_TOPIC,
                LATE_EVENTS_TOPIC,
                KAFKA_PROPERTIES);
    }

    public static KafkaSettings from(Options.Parsed o) {
        Properties props = new Properties();
        Path file = o.get(KAFKA_PROPERTIES);
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                props.load(r);
            } catch (IOException e) {
                throw new UsageException("--kafka-properties: cannot read " + file + ": " + e);
            }
        }
        return new KafkaSettings(
                o.get(BOOTSTRAP_SERVERS),
                o.get(LOGINS_TOPIC),
                o.get(TRANSACTIONS_TOPIC),
                o.get(ACCOUNT_CHANGES_TOPIC),
                o.get(ALERTS_TOPIC),
                o.get(SHADOW_ALERTS_TOPIC),
                o.get(DEAD_LETTER_TOPIC),
                o.get(LATE_EVENTS_TOPIC),
                props);
    }

    /** These settings with other client properties. */
    public KafkaSettings withClientProperties(Properties properties) {
        return new KafkaSettings(
                bootstrapServers,
                loginsTopic,
                transactionsTopic,
                accountChangesTopic,
                alertsTopic,
                shadowAlertsTopic,
                deadLetterTopic,
                lateEventsTopic,
                properties);
    }

    /** These settings with another alerts topic. */
    public KafkaSettings withAlertsTopic(String topic) {
        return new KafkaSettings(
                bootstrapServers,
                loginsTopic,
                transactionsTopic,
                accountChangesTopic,
                topic,
                shadowAlertsTopic,
                deadLetterTopic,
                lateEventsTopic,
                clientProperties);
    }

    public List<String> inputTopics() {
        return List.of(loginsTopic, transactionsTopic, accountChangesTopic);
    }

    /**
     * The source over the three input topics, starting and (if bounded) stopping as given, reading
     * its partitions in event-time step ({@link EventTimeKafkaSource}).
     */
    public EventTimeKafkaSource source(
            String groupId,
            OffsetsInitializer start,
            OffsetsInitializer stop,
            FutureTimestampGuard guard) {
        return source(
                groupId,
                start,
                stop,
                guard,
                EventTimeKafkaSource.DEFAULT_LOOKAHEAD,
                EventTimeKafkaSource.DEFAULT_PATIENCE);
    }

    /**
     * As {@link #source(String, OffsetsInitializer, OffsetsInitializer, FutureTimestampGuard)},
     * with the merge's records queued per partition and its patience with quiet partitions.
     */
    public EventTimeKafkaSource source(
            String groupId,
            OffsetsInitializer start,
            OffsetsInitializer stop,
            FutureTimestampGuard guard,
            int lookahead,
            Duration patience) {
        KafkaLogDeserializer deserializer = new KafkaLogDeserializer(guard);
        KafkaSourceBuilder<SourceRecord> b =
                KafkaSource.<SourceRecord>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setProperties(clientProperties)
                        .setTopics(inputTopics())
                        .setGroupId(groupId)
                        .setStartingOffsets(start)
                        .setDeserializer(deserializer)
                        .setClientIdPrefix(groupId);
        if (stop != null) {
            b.setBounded(stop);
        }
        return new EventTimeKafkaSource(b.build(), deserializer, lookahead, patience);
    }

    /**
     * The alert sink. Its producer sends at once ({@code linger.ms=0} unless the client properties
     * say otherwise): alerts are few, and the client's default of 5 ms would add to every alert's
     * latency for batches that hardly form.
     */
    public KafkaSink<Alert> alertSink(DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(
                AlertRecordSerializer.active(alertsTopic),
                guarantee,
                transactionalIdPrefix + "-alerts",
                Map.of("linger.ms", "0"));
    }

    /** The sink of shadow rules' alerts: as {@link #alertSink}, to the shadow topic. */
    public KafkaSink<Alert> shadowAlertSink(
            DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(
                AlertRecordSerializer.shadow(shadowAlertsTopic),
                guarantee,
                transactionalIdPrefix + "-shadow-alerts",
                Map.of("linger.ms", "0"));
    }

    public KafkaSink<DeadLetter> deadLetterSink(
            DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(
                new DeadLetterRecordSerializer(deadLetterTopic),
                guarantee,
                transactionalIdPrefix + "-dead-letters",
                Map.of());
    }

    public KafkaSink<UserEvent> lateEventSink(
            DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(
                new LateEventRecordSerializer(lateEventsTopic),
                guarantee,
                transactionalIdPrefix + "-late-events",
                Map.of());
    }

    /**
     * A sink of these settings' brokers and client properties for another output (the rule
     * versions' audit topic), transactional under {@code transactionalIdPrefix} with exactly-once.
     */
    public <T> KafkaSink<T> sinkTo(
            KafkaRecordSerializationSchema<T> schema,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return sink(schema, guarantee, transactionalIdPrefix, Map.of());
    }

    private <T> KafkaSink<T> sink(
            KafkaRecordSerializationSchema<T> schema,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix,
            Map<String, String> producerDefaults) {
        Properties producer = new Properties();
        producer.putAll(clientProperties);
        producerDefaults.forEach(producer::putIfAbsent);
        // At or below the broker's transaction.max.timeout.ms (15 min by default).
        producer.putIfAbsent("transaction.timeout.ms", "600000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    /** The settings, with the values of secret client properties replaced by {@value #REDACTED}. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers="
                + bootstrapServers
                + ", loginsTopic="
                + loginsTopic
                + ", transactionsTopic="
                + transactionsTopic
                + ", accountChangesTopic="
                + accountChangesTopic
                + ", alertsTopic="
                + alertsTopic
                + ", shadowAlertsTopic="
                + shadowAlertsTopic
                + ", deadLetterTopic="
                + deadLetterTopic
                + ", lateEventsTopic="
                + lateEventsTopic
                + ", clientProperties="
                + redacted(clientProperties)
                + "]";
    }

    /**
     * The properties sorted by name, each secret value ({@link #isSecret}) replaced by {@value
     * #REDACTED}: safe to print or log.
     */
    public static Map<String, String> redacted(Properties properties) {
        Map<String, String> out = new TreeMap<>();
        if (properties != null) {
            properties.forEach(
                    (k, v) -> {
                        String name = String.valueOf(k);
                        out.put(name, isSecret(name) ? REDACTED : String.valueOf(v));
                    });
        }
        return out;
    }

    /** Whether the value of the client property {@code name} must never be printed. */
    public static boolean isSecret(String name) {
        if (KAFKA_PASSWORDS.contains(name)) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (SECRET_PARTS.stream().anyMatch(n::contains)) {
            return true;
        }
        String[] words = n.split("[._-]");
        for (int i = 0; i < words.length; i++) {
            if (SECRET_WORDS.contains(words[i]) || (i > 0 && words[i].equals("key"))) {
                return true;
            }
        }
        return false;
    }
}
