package io.fraudcep.cluster;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter with its HTTP server bound to one host: the first free port of the
 * range on that host serves {@code /metrics}. See {@link BoundPrometheusReporterFactory}.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer httpServer;

    BoundPrometheusReporter(String host, PortRange ports) {
        CollectorRegistry registry = registry();
        HTTPServer server = null;
        Iterator<Integer> it = ports.getPortsIterator();
        while (server == null && it.hasNext()) {
            int port = it.next();
            try {
                server = new HTTPServer(new InetSocketAddress(host, port), registry);
                log.info("Started PrometheusReporter HTTP server on {}:{}.", host, port);
            } catch (IOException e) { // taken: try the next port
                log.debug("Could not start PrometheusReporter HTTP server on {}:{}.", host, port, e);
            }
        }
        if (server == null) {
            throw new IllegalStateException(
                    "Could not start PrometheusReporter HTTP server on " + host + ", ports "
                            + ports);
        }
        this.httpServer = server;
    }

    /**
     * The registry of Flink's reporter, which Flink keeps package-private (its own {@code
     * PrometheusReporter} lives in that package).
     */
    private CollectorRegistry registry() {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(this);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "this flink-metrics-prometheus has no AbstractPrometheusReporter.registry;"
                            + " use org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                    e);
        }
    }

    @Override
    public void close() {
        httpServer.stop();
        super.close();
    }
}
