package io.fraudcep.bench;

import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka broker of a bench: one per invocation, shared by all its runs.
 *
 * <p>By default a child JVM ({@code kafka.Kafka} from the kafka_2.13 jar already on this class
 * path, KRaft combined node, random loopback ports, data in the work directory): the measured JVM
 * then holds only Flink, so its heap figures, GC pauses and JFR profile are Flink's alone, while
 * the broker still competes for the same two cores as it would on one machine. {@code embedded}
 * runs {@link EmbeddedKafka} in this JVM instead (faster to start; used by the smoke test).
 */
abstract class Broker implements AutoCloseable {

    /** Where the broker runs. */
    enum Kind {
        PROCESS,
        EMBEDDED
    }

    abstract String bootstrapServers();

    /** CPU time the broker used so far, or null if it shares this JVM. */
    abstract Duration cpuTime();

    abstract String describe();

    @Override
    public abstract void close();

    static Broker start(Kind kind, Path workDir) throws Exception {
        return kind == Kind.EMBEDDED ? new Embedded() : Child.start(workDir);
    }

    /** Admin properties for this broker. */
    Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    private static final class Embedded extends Broker {
        private final EmbeddedKafka kafka = EmbeddedKafka.start();

        @Override
        String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        @Override
        Duration cpuTime() {
            return null;
        }

        @Override
        String describe() {
            return "EmbeddedKafka in the bench JVM";
        }

        @Override
        public void close() {
            kafka.close();
        }
    }

    private static final class Child extends Broker {
        private final Process process;
        private final Path dir;
        private final String bootstrap;
        private final Thread killer;

        private Child(Process process, Path dir, String bootstrap) {
            this.process = process;
            this.dir = dir;
            this.bootstrap = bootstrap;
            this.killer = new Thread(process::destroyForcibly, "bench-broker-killer");
            Runtime.getRuntime().addShutdownHook(killer);
        }

        static Child start(Path workDir) throws Exception {
            Path dir =
                    Files.createDirectories(
                            workDir.resolve("broker-" + ProcessHandle.current().pid()));
            Path data = dir.resolve("data");
            int port = freePort();
            int controllerPort = freePort();
            String bootstrap = "127.0.0.1:" + port;
            Path props = dir.resolve("server.properties");
            Files.writeString(
                    props,
                    String.join(
                            "\n",
                            "process.roles=broker,controller",
                            "node.id=1",
                            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                            "listeners=PLAINTEXT://127.0.0.1:"
                                    + port
                                    + ",CONTROLLER://127.0.0.1:"
                                    + controllerPort,
                            "advertised.listeners=PLAINTEXT://" + bootstrap,
                            "controller.listener.names=CONTROLLER",
                            "inter.broker.listener.name=PLAINTEXT",
                            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                            "log.dirs=" + data,
                            "offsets.topic.replication.factor=1",
                            "offsets.topic.num.partitions=4",
                            "transaction.state.log.replication.factor=1",
                            "transaction.state.log.min.isr=1",
                            "transaction.state.log.num.partitions=4",
                            "share.coordinator.state.topic.replication.factor=1",
                            "share.coordinator.state.topic.min.isr=1",
                            "default.replication.factor=1",
                            "min.insync.replicas=1",
                            "group.initial.rebalance.delay.ms=0",
                            "num.partitions=1",
                            "transaction.max.timeout.ms=3600000",
                            // The loaded log carries historical event times as record
                            // timestamps: time-based retention would delete it at once.
                            "log.retention.ms=-1",
                            ""),
                    StandardCharsets.UTF_8);
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(
                    log4j,
                    String.join(
                            "\n",
                            "rootLogger.level = WARN",
                            "rootLogger.appenderRef.file.ref = file",
                            "appender.file.type = File",
                            "appender.file.name = file",
                            "appender.file.fileName = " + dir.resolve("broker.log"),
                            "appender.file.layout.type = PatternLayout",
                            "appender.file.layout.pattern = %d %-5p %c{1} - %m%n",
                            ""),
                    StandardCharsets.UTF_8);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("java.class.path");
            List<String> jvm =
                    List.of(
                            java,
                            "-Xms1g",
                            "-Xmx1g",
                            "-XX:+UseG1GC",
                            "-Dlog4j2.configurationFile=file:" + log4j,
                            "-Dlog4j.configurationFile=file:" + log4j,
                            "-cp",
                            cp);
            List<String> format = new ArrayList<>(jvm);
            format.addAll(
                    List.of(
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            props.toString()));
            Process f =
                    new ProcessBuilder(format)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("format.log").toFile())
                            .start();
            if (!f.waitFor(120, TimeUnit.SECONDS) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IllegalStateException(
                        "kafka StorageTool format failed; see " + dir.resolve("format.log"));
            }
            List<String> run = new ArrayList<>(jvm);
            run.addAll(List.of("kafka.Kafka", props.toString()));
            Process p =
                    new ProcessBuilder(run)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("broker.out").toFile())
                            .start();
            Child child = new Child(p, dir, bootstrap);
            try {
                child.awaitReady(Duration.ofSeconds(90));
            } catch (Exception e) {
                child.close();
                throw e;
            }
            return child;
        }

        private void awaitReady(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Properties p = adminProperties();
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "4000");
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the broker exited; see " + dir.resolve("broker.out"));
                }
                try (Admin admin = Admin.create(p)) {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // starting
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the broker did not answer within "
                                    + timeout
                                    + "; see "
                                    + dir.resolve("broker.out"));
                }
                Thread.sleep(250);
            }
        }

        @Override
        String bootstrapServers() {
            return bootstrap;
        }

        @Override
        Duration cpuTime() {
            return process.toHandle().info().totalCpuDuration().orElse(null);
        }

        @Override
        String describe() {
            return "kafka.Kafka child JVM (pid " + process.pid() + ", -Xmx1g)";
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            deleteTree(dir);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException ignored) {
                                    // best effort
                                }
                            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
