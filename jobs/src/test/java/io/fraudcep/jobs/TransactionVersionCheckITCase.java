package io.fraudcep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.jobs.TransactionVersionCheck.Outcome;
import io.fraudcep.jobs.TransactionVersionCheck.Result;
import io.fraudcep.jobs.demo.KafkaWarmUp;
import io.fraudcep.sampledata.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start-up check of the brokers' transaction protocol, against real in-JVM brokers: one on
 * Kafka 4's default {@code transaction.version=2} and one downgraded to 1, as the warning tells a
 * user to do ({@code kafka-features.sh downgrade --feature transaction.version=1}).
 */
class TransactionVersionCheckITCase {

    private static EmbeddedKafka v2;
    private static EmbeddedKafka v1;

    @BeforeAll
    static void startKafka() {
        CompletableFuture<EmbeddedKafka> other =
                CompletableFuture.supplyAsync(EmbeddedKafka::start);
        v2 = EmbeddedKafka.start();
        v1 = other.join();
        KafkaWarmUp.transactionProtocolV1(v1.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        for (EmbeddedKafka kafka : new EmbeddedKafka[] {v1, v2}) {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static Result check(String servers, DeliveryGuarantee guarantee) {
        return TransactionVersionCheck.check(
                servers, new Properties(), guarantee, TransactionVersionCheck.DEFAULT_TIMEOUT);
    }

    @Test
    void exactlyOnceOnABrokerWithTransactionVersion2IsAWarningThatNamesTheIssueAndTheWayOut() {
        Result result = check(v2.bootstrapServers(), DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(result.outcome()).isEqualTo(Outcome.WARNING);
        assertThat(result.message())
                .contains("transaction.version=2")
                .contains("alerts of the transactions that were open are lost")
                .contains("exactly-once is broken")
                .contains("FLINK-40689")
                .contains(
                        "kafka-features.sh --bootstrap-server "
                                + v2.bootstrapServers()
                                + " downgrade --feature transaction.version=1")
                .contains("--delivery-guarantee at-least-once")
                .contains("de-duplicate the alerts downstream by alertId");
    }

    @Test
    void exactlyOnceOnABrokerWithTransactionVersion1IsNoWarning() {
        Result result = check(v1.bootstrapServers(), DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(result.outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(result.message()).contains("transaction.version=1").doesNotContain("WARNING");
    }

    @Test
    void atLeastOnceIsNotChecked() {
        Result result = check(v2.bootstrapServers(), DeliveryGuarantee.AT_LEAST_ONCE);

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_CHECKED);
        assertThat(result.message())
                .isEqualTo(
                        "Kafka transaction protocol not checked: the sinks are at-least-once"
                                + " (no Kafka transactions).");
    }

    @Test
    void anUnreachableBrokerIsNotCheckedAfterTheTimeoutWithoutAnException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String servers = "127.0.0.1:" + closedPort;

        Result result =
                TransactionVersionCheck.check(
                        servers,
                        new Properties(),
                        DeliveryGuarantee.EXACTLY_ONCE,
                        Duration.ofSeconds(1));

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_CHECKED);
        assertThat(result.message())
                .isEqualTo(
                        "Kafka transaction protocol not checked: no answer from the Kafka"
                                + " cluster at "
                                + servers
                                + " within 1000 ms.");
    }

    @Test
    void theJobPrintsTheWarningOnStderrWhenBuiltExactlyOnceAgainstAVersion2Broker() {
        assertThat(stderrOfBuilding(v2, "exactly-once"))
                .contains("WARNING: exactly-once is broken on a failover")
                .contains("transaction.version=2")
                .contains("FLINK-40689");
    }

    @Test
    void theJobPrintsNoWarningWhenBuiltAtLeastOnceOrAgainstAVersion1Broker() {
        assertThat(stderrOfBuilding(v2, "at-least-once")).doesNotContain("transaction.version");
        assertThat(stderrOfBuilding(v1, "exactly-once")).doesNotContain("transaction.version");
    }

    /** What building the live job (not running it) prints on stderr. */
    private static String stderrOfBuilding(EmbeddedKafka kafka, String delivery) {
        DetectionJob.Config config =
                DetectionJob.Config.parse(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--delivery-guarantee",
                        delivery);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            DetectionJob.build(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
