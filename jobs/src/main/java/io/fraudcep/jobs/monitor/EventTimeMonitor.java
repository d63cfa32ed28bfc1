package io.fraudcep.jobs.monitor;

import io.fraudcep.enrich.EventTimeObserver;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator needs to see of event time, per enrichment subtask:
 *
 * <ul>
 *   <li>gauge {@code eventTimeLagMs}: wall clock minus the watermark (-1 before the first one);
 *   <li>counter {@code lateEvents} per source partition (group {@code source}, e.g. {@code
 *       user-logins-0});
 *   <li>a WARN, at most once a minute, when late events exceed {@link #LATE_WARN_SHARE} of the
 *       events of the last minute (and at least {@link #LATE_WARN_MIN}), or when the watermark has
 *       not advanced for a minute while events kept arriving (a partition holds it back: a producer
 *       pause, or a partition that went quiet and is not yet idle).
 * </ul>
 *
 * The wall clock is read here only, for metrics and warnings: never for a detection.
 */
public class EventTimeMonitor implements EventTimeObserver {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(EventTimeMonitor.class);

    /** Late events above this share of the last minute's events are worth a warning. */
    static final double LATE_WARN_SHARE = 0.001;

    /** ... and at least this many. */
    static final long LATE_WARN_MIN = 10;

    static final long PERIOD_MS = 60_000L;

    private final Duration idleTimeout;

    private transient MetricGroup group;
    private transient Map<String, Counter> lateBySource;
    private transient volatile long watermark;
    private transient long watermarkAdvancedAt;
    private transient long periodStart;
    private transient long eventsInPeriod;
    private transient long lateInPeriod;
    private transient long lastWarnAt;

    /**
     * @param idleTimeout the job's idle timeout, named in the stall warning
     */
    public EventTimeMonitor(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void open(MetricGroup operatorGroup) {
        group = operatorGroup;
        lateBySource = new HashMap<>();
        watermark = Long.MIN_VALUE;
        long now = System.currentTimeMillis();
        watermarkAdvancedAt = now;
        periodStart = now;
        lastWarnAt = Long.MIN_VALUE / 2;
        group.gauge("eventTimeLagMs", this::lagMillis);
    }

    long lagMillis() {
        long wm = watermark;
        return wm == Long.MIN_VALUE ? -1L : Math.max(0L, System.currentTimeMillis() - wm);
    }

    @Override
    public void onEvent(UserEvent event) {
        eventsInPeriod++;
    }

    @Override
    public void onLate(UserEvent event) {
        lateInPeriod++;
        String source = event.source() == null ? "unknown" : event.source();
        lateBySource
                .computeIfAbsent(source, s -> group.addGroup("source", s).counter("lateEvents"))
                .inc();
    }

    @Override
    public void onWatermark(long newWatermark) {
        long now = System.currentTimeMillis();
        if (newWatermark > watermark) {
            watermark = newWatermark;
            watermarkAdvancedAt = now;
        }
        if (now - periodStart < PERIOD_MS) {
            return;
        }
        String warning = warning(now);
        if (warning != null && now - lastWarnAt >= PERIOD_MS) {
            LOG.warn(warning);
            lastWarnAt = now;
        }
        periodStart = now;
        eventsInPeriod = 0;
        lateInPeriod = 0;
    }

    /** The warning the last period deserves, or null. */
    String warning(long now) {
        if (lateInPeriod >= LATE_WARN_MIN
                && lateInPeriod > LATE_WARN_SHARE * (eventsInPeriod + lateInPeriod)) {
            return String.format(
                    "%d of %d events in the last %d s arrived behind the watermark (%s) and were"
                            + " not evaluated: they are on the late-events topic; metric"
                            + " lateEvents per source partition names where they came from",
                    lateInPeriod, eventsInPeriod, (now - periodStart) / 1000, describe(watermark));
        }
        long stalled = now - watermarkAdvancedAt;
        if (stalled >= PERIOD_MS && eventsInPeriod > 0) {
            return String.format(
                    "the watermark has stayed at %s for %d s while %d events arrived: a source"
                            + " partition without records holds it back (for at most the idle"
                            + " timeout, %s); alerts wait until it sends again or turns idle",
                    describe(watermark), stalled / 1000, eventsInPeriod, idleTimeout);
        }
        return null;
    }

    private static String describe(long wm) {
        return wm == Long.MIN_VALUE ? "not yet set" : Instant.ofEpochMilli(wm).toString();
    }
}
