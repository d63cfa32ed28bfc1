package io.fraudcep.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections of this JVM while a run lasts, each with its start and end, so that a
 * stall of a job's progress can be told apart from a collection (the bench's collector, the
 * parallel one, stops every thread for each).
 */
final class GcPauses implements AutoCloseable {

    private record Pause(long startNanos, long endNanos) {}

    private final List<Pause> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;

    /** System.nanoTime() at the JVM's start: collections are stamped in ms of uptime. */
    private final long jvmStartNanos =
            System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

    private GcPauses() {}

    /** Starts recording. */
    static GcPauses start() {
        GcPauses g = new GcPauses();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(g.listener, null, null);
                g.emitters.add(e);
            }
        }
        return g;
    }

    private void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long start = jvmStartNanos + info.getGcInfo().getStartTime() * 1_000_000L;
        long end = jvmStartNanos + info.getGcInfo().getEndTime() * 1_000_000L;
        synchronized (pauses) {
            pauses.add(new Pause(start, end));
        }
    }

    /** Milliseconds of collections between the two instants (System.nanoTime()). */
    long millisBetween(long fromNanos, long toNanos) {
        long nanos = 0;
        synchronized (pauses) {
            for (Pause p : pauses) {
                long overlap =
                        Math.min(toNanos, p.endNanos()) - Math.max(fromNanos, p.startNanos());
                nanos += Math.max(0, overlap);
            }
        }
        return nanos / 1_000_000;
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
