package io.fraudcep.sampledata;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the three topic files of a log, one line per record, and re-sends duplicates a few lines
 * after their original, never later than 1 s of event time after it, so that each file stays in
 * event-time order up to a small disorder.
 */
final class LogWriter implements Closeable {

    /** A duplicate waits at most this much event time behind the lines written after it. */
    static final long DUPLICATE_DELAY_MILLIS = 1_000;

    private final Map<Topic, Writer> writers = new EnumMap<>(Topic.class);
    private final Map<Topic, ArrayDeque<Pending>> pending = new EnumMap<>(Topic.class);
    private final Map<Topic, Long> lines = new EnumMap<>(Topic.class);
    private long duplicates;

    private static final class Pending {
        final String line;
        final long time;
        int linesLeft;

        Pending(String line, long time, int linesLeft) {
            this.line = line;
            this.time = time;
            this.linesLeft = linesLeft;
        }
    }

    LogWriter(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Topic topic : Topic.values()) {
            writers.put(
                    topic,
                    new BufferedWriter(
                            new OutputStreamWriter(
                                    Files.newOutputStream(dir.resolve(topic.fileName())),
                                    StandardCharsets.UTF_8),
                            1 << 20));
            pending.put(topic, new ArrayDeque<>());
            lines.put(topic, 0L);
        }
    }

    /**
     * Writes one record line of event time {@code time}; if {@code resendAfter} > 0, writes it
     * again after that many further lines of the file (or sooner, see the class comment).
     */
    void write(Topic topic, String line, long time, int resendAfter) throws IOException {
        flushDuplicates(topic, time);
        put(topic, line);
        if (resendAfter > 0) {
            pending.get(topic).add(new Pending(line, time, resendAfter));
        }
    }

    /** Writes a line that is not a valid event (a bad record), as it is. */
    void writeRaw(Topic topic, String line) throws IOException {
        put(topic, line);
    }

    private void flushDuplicates(Topic topic, long time) throws IOException {
        ArrayDeque<Pending> queue = pending.get(topic);
        if (queue.isEmpty()) {
            return;
        }
        List<Pending> due = new ArrayList<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.linesLeft <= 0 || time > p.time + DUPLICATE_DELAY_MILLIS) {
                due.add(p);
                it.remove();
            } else {
                p.linesLeft--;
            }
        }
        for (Pending p : due) {
            put(topic, p.line);
            duplicates++;
        }
    }

    private void put(Topic topic, String line) throws IOException {
        Writer w = writers.get(topic);
        w.write(line);
        w.write('\n');
        lines.merge(topic, 1L, Long::sum);
    }

    /** Lines written per topic file so far, duplicates and bad records included. */
    Map<Topic, Long> lines() {
        return new EnumMap<>(lines);
    }

    long duplicates() {
        return duplicates;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Topic topic : Topic.values()) {
            try {
                for (Pending p : pending.get(topic)) {
                    put(topic, p.line);
                    duplicates++;
                }
                pending.get(topic).clear();
                writers.get(topic).close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
