package io.fraudcep.sampledata;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * for integration tests and the local demo: no Docker, no separate process. It listens on a random
 * loopback port and keeps its logs in a temporary directory deleted on {@link #close()}.
 *
 * <p>Configured for one node: internal topics have replication factor 1, consumer groups start
 * without the initial rebalance delay, and transactions (exactly-once producers, Flink's
 * exactly-once {@code KafkaSink}) work with transaction timeouts up to one hour. Retention is
 * unlimited, because records loaded from a log carry historical event times as their timestamps and
 * a time-based retention would delete them.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(4, "user-logins");
 *     ... produce to kafka.bootstrapServers() ...
 *     List<ConsumerRecord<String, String>> records = kafka.readAll("user-logins", true);
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How long {@link #createTopics} and {@link #readAll} wait before failing. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Broker settings for a one-node cluster; see the class comment. */
    private static final Map<String, String> BROKER_DEFAULTS =
            Map.ofEntries(
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "4"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "4"),
                    // Flink's KafkaSink defaults to a 1 h transaction timeout; the broker's
                    // default maximum (15 min) would reject it.
                    Map.entry("transaction.max.timeout.ms", "3600000"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("min.insync.replicas", "1"),
                    Map.entry("default.replication.factor", "1"),
                    Map.entry("log.retention.ms", "-1"));

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Starts a broker with the default settings and waits until it accepts clients. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker whose settings are the defaults overridden by {@code brokerConfig} (e.g.
     * {@code message.max.bytes}), and waits until it accepts clients.
     *
     * @throws IllegalStateException if the broker does not start
     */
    public static EmbeddedKafka start(Map<String, String> brokerConfig) {
        Map<String, String> config = new HashMap<>(BROKER_DEFAULTS);
        config.putAll(brokerConfig);
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            LoopbackSockets.install(builder);
            config.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster);
            throw new IllegalStateException("interrupted while starting the embedded broker", e);
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    /**
     * Binds the broker's and the controller's listener sockets on loopback. Kafka's test kit binds
     * them itself, before the broker starts, on every interface and with no setting to change that;
     * this replaces its socket manager with one that binds {@code 127.0.0.1}. The kit keeps the
     * manager and its sockets in private fields, so this reaches them by reflection; should a later
     * kit change them, the broker starts as the kit would have it (and says so).
     */
    static final class LoopbackSockets extends PreboundSocketFactoryManager {

        private final Map<Integer, Map<String, ServerSocketChannel>> sockets;

        @SuppressWarnings("unchecked")
        private LoopbackSockets() throws ReflectiveOperationException {
            Field f = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
            f.setAccessible(true);
            sockets = (Map<Integer, Map<String, ServerSocketChannel>>) f.get(this);
        }

        static void install(KafkaClusterTestKit.Builder builder) {
            try {
                Field f =
                        KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
                f.setAccessible(true);
                PreboundSocketFactoryManager kits = (PreboundSocketFactoryManager) f.get(builder);
                f.set(builder, new LoopbackSockets());
                kits.close();
            } catch (Exception e) {
                System.err.println(
                        "EmbeddedKafka: cannot bind the broker on loopback only (" + e + ")");
            }
        }

        @Override
        public synchronized int getOrCreatePortForListener(int node, String listener)
                throws IOException {
            Map<String, ServerSocketChannel> ofNode =
                    sockets.computeIfAbsent(node, k -> new HashMap<>());
            ServerSocketChannel socket = ofNode.get(listener);
            if (socket == null) {
                // What Kafka's own socket factory does, on loopback instead of every interface.
                socket = ServerSocketChannel.open();
                socket.configureBlocking(false);
                socket.socket().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ofNode.put(listener, socket);
            }
            return ((InetSocketAddress) socket.getLocalAddress()).getPort();
        }
    }

    /** The {@code bootstrap.servers} value of this broker, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates each topic that does not exist yet, with {@code partitions} partitions (replication
     * factor 1), and waits until the leader of each partition of every named topic serves it.
     * Topics that already exist are left as they are.
     *
     * @throws IllegalStateException if a topic cannot be created or is not ready in time
     */
    public void createTopics(int partitions, String... names) {
        createTopics(bootstrapServers, partitions, Map.of(), names);
    }

    /**
     * Creates each topic that does not exist yet on the cluster at {@code bootstrapServers}, with
     * {@code partitions} partitions, the cluster's default replication factor and the given topic
     * configuration, and waits until the leader of each partition of every named topic serves it.
     * Topics that already exist are left as they are.
     *
     * @throws IllegalStateException if a topic cannot be created or is not ready in time
     */
    public static void createTopics(
            String bootstrapServers,
            int partitions,
            Map<String, String> topicConfig,
            String... names) {
        createTopics(adminProperties(bootstrapServers), partitions, topicConfig, names);
    }

    /** As {@link #createTopics(String, int, Map, String...)}, with full admin client settings. */
    public static void createTopics(
            Properties adminProperties,
            int partitions,
            Map<String, String> topicConfig,
            String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        Set<String> wanted = new TreeSet<>(Arrays.asList(names));
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing =
                    admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing =
                    wanted.stream()
                            .filter(name -> !existing.contains(name))
                            .sorted()
                            .map(
                                    name ->
                                            new NewTopic(
                                                            name,
                                                            Optional.of(partitions),
                                                            Optional.empty())
                                                    .configs(topicConfig))
                            .collect(Collectors.toList());
            for (Map.Entry<String, KafkaFuture<Void>> created :
                    admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, wanted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + wanted, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + wanted, e);
        }
    }

    private static void awaitLeaders(Admin admin, Collection<String> topics) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(topics)
                                .allTopicNames()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                boolean ready =
                        descriptions.values().stream()
                                .flatMap(d -> d.partitions().stream())
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready && leadersServe(admin, descriptions)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have no leaders in time");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Whether the leader of every partition already serves it. The metadata names a leader a moment
     * before that broker has loaded the partition; a producer writing in that moment gets {@code
     * NOT_LEADER_OR_FOLLOWER} for its first batch, and an idempotent producer whose later batches
     * then land first retries the first one with an out-of-order sequence until its delivery
     * timeout (seen with Kafka 4.x on a fresh topic). A list-offsets request is answered only by a
     * partition's serving leader, so its success closes that window.
     */
    private static boolean leadersServe(Admin admin, Map<String, TopicDescription> descriptions)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.forEach(
                (topic, d) ->
                        d.partitions()
                                .forEach(
                                        p ->
                                                latest.put(
                                                        new TopicPartition(topic, p.partition()),
                                                        OffsetSpec.latest())));
        try {
            admin.listOffsets(latest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Reads every record of {@code topic} on this broker, from the earliest offset of each
     * partition up to its end offset at the time of the call, without a consumer group.
     *
     * @param readCommitted read with {@code isolation.level=read_committed} (only committed
     *     transactional records, up to the last stable offset) rather than read_uncommitted
     * @return the records, partition by partition in offset order
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, boolean readCommitted) {
        return readAll(bootstrapServers, topic, readCommitted);
    }

    /** As {@link #readAll(String, boolean)}, on any cluster. */
    public static List<ConsumerRecord<String, String>> readAll(
            String bootstrapServers, String topic, boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                (readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED)
                        .toString());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed these are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition =
                    new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end offsets " + end + " in time");
                }
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        byPartition.get(tp).add(r);
                    }
                }
            }
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return all;
        }
    }

    private static boolean reachedEnd(
            KafkaConsumer<?, ?> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, TIMEOUT) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the embedded broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded broker cleanly", e);
        }
    }

    private static Properties adminProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                // Already failing to start: the original exception is the one to report.
            }
        }
    }
}
