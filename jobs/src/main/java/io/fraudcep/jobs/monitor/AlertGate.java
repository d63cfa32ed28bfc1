package io.fraudcep.jobs.monitor;

import io.fraudcep.alert.Alert;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Going live on an existing log: the job folds the history before {@code alertsFrom} into its state
 * like any other events, and this gate lets through only the alerts whose trigger is at or after
 * that instant; earlier ones are counted ({@code alertsBeforeGoLive}), not written. Suppression was
 * decided upstream on all of them, so the alerts written are those of a job that ran all along.
 *
 * <p>While the watermark is before the instant it reports the catch-up, at most every {@link
 * #PROGRESS_EVERY_MS}: gauge {@code catchUpRemainingMs} (event time left until the instant, 0 once
 * live) and an INFO line; one more line when the watermark passes the instant. Without an instant
 * it lets everything through.
 */
public class AlertGate extends AbstractStreamOperator<Alert>
        implements OneInputStreamOperator<Alert, Alert> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(AlertGate.class);

    /** Accumulator of the alerts held back, readable from a bounded job's result. */
    public static final String HELD_BACK_ACCUMULATOR = "alerts-before-go-live";

    static final long PROGRESS_EVERY_MS = 10_000L;

    private final Instant alertsFrom;

    private transient Counter heldBack;
    private transient LongCounter heldBackTotal;
    private transient long watermark;
    private transient long firstWatermark;
    private transient long lastReportAt;
    private transient boolean live;

    /**
     * @param alertsFrom the go-live instant, or null to let every alert through
     */
    public AlertGate(Instant alertsFrom) {
        this.alertsFrom = alertsFrom;
    }

    @Override
    public void open() throws Exception {
        super.open();
        heldBack = getMetricGroup().counter("alertsBeforeGoLive");
        heldBackTotal = getRuntimeContext().getLongCounter(HELD_BACK_ACCUMULATOR);
        watermark = Long.MIN_VALUE;
        firstWatermark = Long.MIN_VALUE;
        live = alertsFrom == null;
        getMetricGroup().gauge("catchUpRemainingMs", this::remainingMillis);
    }

    long remainingMillis() {
        if (live || watermark == Long.MIN_VALUE) {
            return live ? 0L : -1L;
        }
        return Math.max(0L, alertsFrom.toEpochMilli() - watermark);
    }

    @Override
    public void processElement(StreamRecord<Alert> element) {
        if (alertsFrom != null && element.getValue().detectedAt().isBefore(alertsFrom)) {
            heldBack.inc();
            heldBackTotal.add(1);
            return;
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (live || mark.getTimestamp() <= watermark) {
            return;
        }
        watermark = mark.getTimestamp();
        if (firstWatermark == Long.MIN_VALUE) {
            firstWatermark = watermark;
        }
        if (watermark >= alertsFrom.toEpochMilli()) {
            live = true;
            LOG.info(
                    "Caught up: event time passed {}; alerts are written from here on ({} earlier"
                            + " alerts of the history were counted, not written)",
                    alertsFrom,
                    heldBack.getCount());
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastReportAt >= PROGRESS_EVERY_MS) {
            lastReportAt = now;
            long total = alertsFrom.toEpochMilli() - firstWatermark;
            long done = watermark - firstWatermark;
            LOG.info(
                    "Catching up on the history: event time {}, {} before going live at {} ({}%"
                            + " of the history folded; {} alerts held back)",
                    Instant.ofEpochMilli(watermark),
                    Duration.ofMillis(alertsFrom.toEpochMilli() - watermark),
                    alertsFrom,
                    total <= 0 ? 100 : Math.min(100, done * 100 / total),
                    heldBack.getCount());
        }
    }
}
