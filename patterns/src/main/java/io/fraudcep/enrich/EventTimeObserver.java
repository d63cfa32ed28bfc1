package io.fraudcep.enrich;

import io.fraudcep.model.UserEvent;
import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * Operational hooks of the enrichment, where event time is decided: it sees every event it
 * receives, every late one and every watermark. A job plugs in metrics and warnings here (they may
 * read the wall clock); nothing an observer does can change what is detected.
 */
public interface EventTimeObserver extends Serializable {

    /** Observes nothing. */
    EventTimeObserver NONE = new EventTimeObserver() {};

    /** Called once when the operator opens, with its metric group. */
    default void open(MetricGroup group) {}

    /** An event arrived (before de-duplication and ordering). */
    default void onEvent(UserEvent event) {}

    /** An event arrived behind the watermark and went to the late output. */
    default void onLate(UserEvent event) {}

    /** The operator's watermark advanced to {@code watermark}. */
    default void onWatermark(long watermark) {}
}
