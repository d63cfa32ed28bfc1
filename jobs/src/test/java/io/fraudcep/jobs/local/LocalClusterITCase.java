package io.fraudcep.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.IOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The local MiniCluster of {@code bin/fraud detect} and {@code bin/fraud demo} listens on loopback
 * only: checked on the configuration, and on the sockets a running local job actually opens.
 */
class LocalClusterITCase {

    @Test
    void theDefaultConfigurationBindsEveryComponentToLoopback() {
        Configuration conf = LocalCluster.configuration(LocalCluster.BIND_ADDRESS.defaultValue());

        assertThat(LocalCluster.BIND_ADDRESS.defaultValue()).isEqualTo("127.0.0.1");
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(conf.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(TaskManagerOptions.HOST)).isEqualTo("127.0.0.1");
        ReadableConfig env = LocalCluster.environment(LocalCluster.LOOPBACK).getConfiguration();
        assertThat(env.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(env.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(env.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void keepsKeyedStateWhereTheStateBackendOptionSays() {
        Configuration heap = LocalCluster.configuration(LocalCluster.LOOPBACK);
        Configuration rocksdb =
                LocalCluster.configuration(LocalCluster.LOOPBACK, StateBackendProfile.ROCKSDB);

        assertThat(LocalCluster.STATE_BACKEND.defaultValue())
                .isEqualTo(StateBackendProfile.HASHMAP);
        assertThat(heap.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(rocksdb.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(rocksdb.toMap()).containsAllEntriesOf(StateBackendProfile.ROCKSDB.settings());
        // RocksDB's budget per slot is a slot's of the cluster, not Flink's 128 MB for all slots.
        assertThat(rocksdb.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(
                        StateBackendProfile.LOCAL_MANAGED_MEMORY_PER_SLOT.multiply(
                                Runtime.getRuntime().availableProcessors()));
        assertThat(heap.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();
        Configuration fourSlots = new Configuration();
        fourSlots.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        assertThat(
                        StateBackendProfile.ROCKSDB
                                .applyTo(fourSlots)
                                .get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.parse("800m"));
        assertThat(rocksdb.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(
                        LocalCluster.environment(LocalCluster.LOOPBACK, StateBackendProfile.ROCKSDB)
                                .getConfiguration()
                                .get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("rocksdb");
    }

    @Test
    void aWildcardBindAddressOpensTheClusterButAdvertisesLoopback() {
        Configuration conf = LocalCluster.configuration("0.0.0.0");

        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(conf.get(JobManagerOptions.BIND_HOST)).isEqualTo("0.0.0.0");
        assertThat(conf.get(TaskManagerOptions.BIND_HOST)).isEqualTo("0.0.0.0");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("127.0.0.1");
    }

    @Test
    void aRunningLocalJobListensOnLoopbackOnlyAndServesRestThere() throws Exception {
        assumeTrue(
                Files.isReadable(Path.of("/proc/self/net/tcp")),
                "needs Linux /proc to list this process's sockets");
        Set<Listener> before = listeners();

        // The configuration of LocalCluster.environment, with a known REST port to probe.
        int restPort = freeLoopbackPort();
        Configuration conf = LocalCluster.configuration(LocalCluster.LOOPBACK);
        conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(2);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(LocalClusterITCase::slowly)
                .rebalance() // a network exchange, so the TaskManager's data server is used
                .sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("local-bind-check");
        try {
            awaitRunning(client);
            List<Listener> opened = new ArrayList<>(listeners());
            opened.removeAll(before);

            assertThat(opened)
                    .as("sockets the MiniCluster listens on (REST API, blob server, ...)")
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l.address().isLoopbackAddress()).isTrue())
                    .contains(new Listener(InetAddress.getByName("127.0.0.1"), restPort));
            assertThat(servesFlinkRest(restPort))
                    .as("Flink's REST API answers on 127.0.0.1:" + restPort)
                    .isTrue();
        } finally {
            client.cancel().get();
        }
    }

    /** The demo's in-JVM broker: its broker and controller listeners are on loopback too. */
    @Test
    void theDemosEmbeddedBrokerListensOnLoopbackOnly() throws Exception {
        assumeTrue(
                Files.isReadable(Path.of("/proc/self/net/tcp")),
                "needs Linux /proc to list this process's sockets");
        Set<Listener> before = listeners();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "loopback-check");
            List<Listener> opened = new ArrayList<>(listeners());
            opened.removeAll(before);

            assertThat(opened)
                    .as("sockets the broker listens on (broker and controller listeners)")
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(l -> assertThat(l.address().isLoopbackAddress()).isTrue());
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static long slowly(long n) throws InterruptedException {
        Thread.sleep(1);
        return n;
    }

    private static void awaitRunning(JobClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (client.getJobStatus().get() != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job running within a minute").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static boolean servesFlinkRest(int port) {
        try {
            HttpURLConnection c =
                    (HttpURLConnection)
                            URI.create("http://127.0.0.1:" + port + "/overview")
                                    .toURL()
                                    .openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            try {
                return c.getResponseCode() == 200
                        && new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .contains("\"taskmanagers\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** A listening TCP socket of this process. */
    private record Listener(InetAddress address, int port) {}

    /** The TCP sockets this process listens on, from /proc (IPv4 and IPv6). */
    private static Set<Listener> listeners() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<Listener> out = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            // Read once: the table is the network namespace's and changes between two reads.
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] = local address:port (hex), f[3] = state (0A = LISTEN), f[9] = inode
                if (!f[3].equals("0A") || !inodes.contains(f[9])) {
                    continue;
                }
                String[] hostPort = f[1].split(":");
                out.add(new Listener(procAddress(hostPort[0]), Integer.parseInt(hostPort[1], 16)));
            }
        }
        return out;
    }

    /** /proc/net/tcp* print addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress procAddress(String hex) throws IOException {
        byte[] raw = new BigInteger("1" + hex, 16).toByteArray();
        byte[] bytes = new byte[hex.length() / 2];
        System.arraycopy(raw, raw.length - bytes.length, bytes, 0, bytes.length);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte t = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = t;
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
