package io.fraudcep.cluster;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, listening on one address ({@code host}, default 127.0.0.1) instead
 * of every interface.
 *
 * <p>Flink 2.2's own {@code PrometheusReporterFactory} (flink-metrics-prometheus) takes a port but
 * no host: its HTTP server listens on all interfaces. This factory makes the same reporter (the same
 * metric names, labels and types: it extends Flink's {@code AbstractPrometheusReporter}) bound to
 * {@code host}. Configured as
 *
 * <pre>
 * metrics.reporter.prom.factory.class: io.fraudcep.cluster.BoundPrometheusReporterFactory
 * metrics.reporter.prom.host: 127.0.0.1
 * metrics.reporter.prom.port: 9249-9250
 * </pre>
 *
 * <p>Compiled by flink-conf/bin/common.sh against the cluster's class path; not part of the job.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {

    static final String ARG_HOST = "host";
    static final String ARG_PORT = "port";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PORT = "9249";

    @Override
    public BoundPrometheusReporter createMetricReporter(Properties properties) {
        MetricConfig config = (MetricConfig) properties;
        String host = config.getString(ARG_HOST, DEFAULT_HOST);
        PortRange ports = new PortRange(config.getString(ARG_PORT, DEFAULT_PORT));
        return new BoundPrometheusReporter(host, ports);
    }
}
