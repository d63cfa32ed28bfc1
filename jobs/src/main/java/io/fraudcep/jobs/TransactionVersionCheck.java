package io.fraudcep.jobs;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, when a job is built, that its exactly-once Kafka sinks can survive a failover on the
 * cluster they write to.
 *
 * <p>Kafka 4 brokers finalize transaction protocol V2 by default ({@code transaction.version=2},
 * KIP-890: the producer epoch is bumped at the end of every transaction). flink-connector-kafka
 * 5.0.0-2.2 resumes a checkpoint's pre-committed transaction after a failover with the producer id
 * and epoch stored in the checkpoint; a V2 broker refuses that commit as fenced, and the records of
 * every transaction still open are lost (FLINK-40689). Nothing fails: the job runs on, short of the
 * lost alerts. This check asks the cluster for its finalized {@code transaction.version} ({@link
 * Admin#describeFeatures}) with the sink's bootstrap servers and client (security) properties, and
 * returns a warning when the delivery is exactly-once and the level is 2 or more.
 *
 * <p>It never stands in the way of the job: it waits {@link #DEFAULT_TIMEOUT} at most, and when the
 * cluster does not answer (unreachable, an authentication failure, a broker too old to describe its
 * features) it returns "not checked" with the reason instead of failing.
 */
public final class TransactionVersionCheck {

    /** The Kafka feature that selects the transaction protocol. */
    public static final String FEATURE = "transaction.version";

    /** The first {@link #FEATURE} level of transaction protocol V2. */
    public static final short V2 = 2;

    /** How long the check waits for the cluster's answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The connector issue of the fenced commits after a failover. */
    public static final String ISSUE = "FLINK-40689";

    private static final Logger LOG = LoggerFactory.getLogger(TransactionVersionCheck.class);

    /** What the check found. */
    public enum Outcome {
        /** Exactly-once on transaction protocol V2: alerts can be lost on a failover. */
        WARNING,
        /** Exactly-once on transaction protocol V1 (or older): nothing to say. */
        SUPPORTED,
        /** At-least-once, or the cluster did not answer: {@link Result#message()} says which. */
        NOT_CHECKED
    }

    /**
     * The outcome and the text to report.
     *
     * @param outcome what the check found
     * @param message the warning, the finalized level, or "not checked: REASON"
     */
    public record Result(Outcome outcome, String message) {

        /** Logs the result, and prints a warning to {@code err} as well (the client's console). */
        public void report(PrintStream err) {
            if (outcome == Outcome.WARNING) {
                LOG.warn(message);
                err.println(message);
            } else {
                LOG.info(message);
            }
        }
    }

    private TransactionVersionCheck() {}

    /**
     * {@link #check(String, Properties, DeliveryGuarantee, Duration)} of a job's Kafka settings.
     */
    public static Result check(KafkaSettings kafka, DeliveryGuarantee guarantee) {
        return check(
                kafka.bootstrapServers(), kafka.clientProperties(), guarantee, DEFAULT_TIMEOUT);
    }

    /**
     * Asks the cluster at {@code bootstrapServers} for its finalized {@value #FEATURE} when {@code
     * guarantee} is exactly-once.
     *
     * @param bootstrapServers the sink's brokers
     * @param clientProperties the sink's client properties (security settings), may be empty
     * @param guarantee the sink's delivery guarantee
     * @param timeout how long to wait for the answer
     * @return the result; never throws
     */
    public static Result check(
            String bootstrapServers,
            Properties clientProperties,
            DeliveryGuarantee guarantee,
            Duration timeout) {
        if (guarantee != DeliveryGuarantee.EXACTLY_ONCE) {
            return notChecked(
                    "the sinks are "
                            + guarantee.toString().toLowerCase(Locale.ROOT).replace('_', '-')
                            + " (no Kafka transactions)");
        }
        FeatureMetadata features;
        try {
            features = describeFeatures(bootstrapServers, clientProperties, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notChecked("interrupted");
        } catch (java.util.concurrent.TimeoutException
                | org.apache.kafka.common.errors.TimeoutException e) {
            return notChecked(
                    "no answer from the Kafka cluster at "
                            + bootstrapServers
                            + " within "
                            + timeout.toMillis()
                            + " ms");
        } catch (UnsupportedVersionException e) {
            return notChecked(
                    "the Kafka cluster at "
                            + bootstrapServers
                            + " does not describe its features (a broker older than Kafka 2.7)");
        } catch (Exception e) {
            return notChecked(
                    "cannot describe the features of the Kafka cluster at "
                            + bootstrapServers
                            + ": "
                            + describe(e));
        }
        FinalizedVersionRange range = features.finalizedFeatures().get(FEATURE);
        // A feature at level 0 is not listed as finalized.
        short level = range == null ? 0 : range.maxVersionLevel();
        if (level >= V2) {
            return new Result(Outcome.WARNING, warning(bootstrapServers, clientProperties, level));
        }
        return new Result(
                Outcome.SUPPORTED,
                "Kafka transaction protocol: the cluster at "
                        + bootstrapServers
                        + " runs "
                        + FEATURE
                        + "="
                        + level
                        + " (transaction protocol V1), which the exactly-once sinks support.");
    }

    private static FeatureMetadata describeFeatures(
            String bootstrapServers, Properties clientProperties, Duration timeout)
            throws Exception {
        Properties admin = new Properties();
        admin.putAll(clientProperties);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "fraud-detection-transaction-version-check");
        int ms = (int) Math.max(1, timeout.toMillis());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        Admin client = Admin.create(admin);
        try {
            return client.describeFeatures(new DescribeFeaturesOptions().timeoutMs(ms))
                    .featureMetadata()
                    // The call times itself out; this bound only guards against a client that
                    // does not.
                    .get(ms + 1_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            // Aborts whatever is still pending (an unreachable cluster) instead of waiting for it.
            client.close(Duration.ZERO);
        }
    }

    private static String warning(String bootstrapServers, Properties clientProperties, int level) {
        return "WARNING: exactly-once is broken on a failover. The Kafka cluster at "
                + bootstrapServers
                + " runs "
                + FEATURE
                + "="
                + level
                + " (transaction protocol V2, Kafka 4's default): after a failover the"
                + " exactly-once Kafka sinks of flink-connector-kafka 5.0.0-2.2 resume their"
                + " open transactions, the broker refuses those commits as fenced, and the alerts"
                + " of the transactions that were open are lost (connector issue "
                + ISSUE
                + "). Either downgrade the cluster to transaction protocol V1: kafka-features.sh"
                + " --bootstrap-server "
                + bootstrapServers
                + (clientProperties.isEmpty() ? "" : " --command-config <client properties>")
                + " downgrade --feature "
                + FEATURE
                + "=1 (this warning then goes away), or run the job with --delivery-guarantee"
                + " at-least-once and de-duplicate the alerts downstream by alertId.";
    }

    private static Result notChecked(String reason) {
        return new Result(
                Outcome.NOT_CHECKED, "Kafka transaction protocol not checked: " + reason + ".");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
