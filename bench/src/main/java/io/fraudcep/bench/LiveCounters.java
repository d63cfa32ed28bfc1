package io.fraudcep.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

/**
 * The bench cluster's metric reporter: keeps a reference to a few operator counters and watermark
 * gauges of every running job, so the bench reads them while the job runs, in this JVM and without
 * delay (the REST API serves metrics up to ten seconds old). An unbounded run is timed to its last
 * record with them, the rule-version publisher is paced by them and places versions around the
 * watermark, and progress is sampled from them.
 *
 * <p>Counters are plain longs written by the task threads; a read from another thread may lag by a
 * few records, which a 20 ms sample does not notice. The reporter is notified only when metrics are
 * registered or removed, so it costs the jobs nothing while they run.
 */
final class LiveCounters implements MetricReporter {

    /** Records into an operator, all its inputs together. */
    static final String RECORDS_IN = "numRecordsIn";

    /** An operator's input watermark (the least of its inputs'), epoch ms. */
    static final String INPUT_WATERMARK = "currentInputWatermark";

    /** The counters kept: the records into each operator, and the pipeline's own counters. */
    private static final Set<String> KEPT =
            Set.of(
                    RECORDS_IN,
                    "deadLetters",
                    "ruleVersionsApplied",
                    "ruleVersionsAppliedLate",
                    "ruleRecordsRejected");

    private record Key(String job, String operator, String metric, String subtask) {}

    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Gauge<?>> watermarks = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {
        counters.clear();
        watermarks.clear();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Key key = key(metric, name, group);
        if (key == null) {
            return;
        }
        if (metric instanceof Counter c && KEPT.contains(name)) {
            counters.put(key, c);
        } else if (metric instanceof Gauge<?> g && INPUT_WATERMARK.equals(name)) {
            watermarks.put(key, g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        Key key = key(metric, name, group);
        if (key != null) {
            counters.remove(key, metric);
            watermarks.remove(key, metric);
        }
    }

    private static Key key(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Counter || metric instanceof Gauge)
                || !(KEPT.contains(name) || INPUT_WATERMARK.equals(name))) {
            return null;
        }
        Map<String, String> v = group.getAllVariables();
        String operator = v.get(ScopeFormat.SCOPE_OPERATOR_NAME);
        String job = v.get(ScopeFormat.SCOPE_JOB_ID);
        if (operator == null || job == null) {
            return null; // task-level I/O counters and the like
        }
        return new Key(job, operator, name, v.get(ScopeFormat.SCOPE_TASK_SUBTASK_INDEX));
    }

    /**
     * The least input watermark of the subtasks of {@code operator} (epoch ms), or {@link
     * Long#MIN_VALUE} if it has none yet.
     */
    long watermark(JobID job, String operator) {
        String id = job.toString();
        long least = Long.MAX_VALUE;
        boolean any = false;
        for (Map.Entry<Key, Gauge<?>> e : watermarks.entrySet()) {
            Key k = e.getKey();
            if (k.job().equals(id)
                    && k.operator().equals(operator)
                    && e.getValue().getValue() instanceof Number n) {
                least = Math.min(least, n.longValue());
                any = true;
            }
        }
        return any ? least : Long.MIN_VALUE;
    }

    /** The sum over the subtasks of {@code operator} of a counter, 0 if none is registered. */
    long sum(JobID job, String operator, String metric) {
        String id = job.toString();
        long sum = 0;
        for (Map.Entry<Key, Counter> e : counters.entrySet()) {
            Key k = e.getKey();
            if (k.job().equals(id) && k.operator().equals(operator) && k.metric().equals(metric)) {
                sum += e.getValue().getCount();
            }
        }
        return sum;
    }
}
