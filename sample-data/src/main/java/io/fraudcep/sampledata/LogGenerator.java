package io.fraudcep.sampledata;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates a labelled user-action log: one JSONL file per input topic in the wire format of
 * events.md ({@code user-logins.jsonl}, {@code user-transactions.jsonl}, {@code
 * user-account-changes.jsonl}) and {@code labels.jsonl}, one line per injected {@link Scenario}.
 *
 * <p>Every user has background behaviour that fires no pattern (see {@link UserTimeline}); a share
 * of users ({@link GeneratorOptions#fraudRate()}) carries one positive, cycling through every
 * pattern and variant before repeating, and another share ({@link GeneratorOptions#nearMissRate()})
 * one near miss, likewise; which user gets which is shuffled. With {@link
 * GeneratorOptions#exampleRules()} the positives include those of the four example rules of
 * rules.md.
 *
 * <p>Users' event streams are merged in event time and written as they are produced, so memory
 * grows with the number of users (a few hundred bytes each) and not with the length of the log.
 * Records reach their file in the order of a simulated arrival time: 20% of events arrive up to 1 s
 * late, which disorders each file by at most 1 s of event time (a user's own events keep their
 * order). Everything derives from the seed: equal options give byte-identical files.
 */
public final class LogGenerator {

    public static final String LABELS_FILE = "labels.jsonl";

    private static final long MAX_ARRIVAL_DELAY_MILLIS = 1_000;

    private final GeneratorOptions options;

    public LogGenerator(GeneratorOptions options) {
        this.options = options;
    }

    /** Writes the log into {@code dir} (created if needed; the four files are replaced). */
    public GenerationReport writeTo(Path dir) throws IOException {
        long started = System.nanoTime();
        long start = options.startInstant().toEpochMilli();
        long end = start + options.days() * UserTimeline.DAY;
        SplittableRandom rng = new SplittableRandom(mix(options.seed(), -1));
        Scenario[] assigned = assignScenarios(new SplittableRandom(mix(options.seed(), -2)));
        int width = Math.max(5, Integer.toString(options.users() - 1).length());

        PriorityQueue<UserTimeline> users =
                new PriorityQueue<>(
                        Math.max(1, options.users()),
                        Comparator.comparingLong(UserTimeline::peekTime)
                                .thenComparingInt(u -> u.index));
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            UserTimeline u =
                    new UserTimeline(
                            i,
                            userId(i, width),
                            mix(options.seed(), i),
                            start,
                            options.days(),
                            assigned[i],
                            options.duplicates());
            if (u.hasNext()) {
                users.add(u);
            }
        }

        Schedule bad =
                options.badRecords()
                        ? new Schedule(start, end, BadRecords.Kind.values().length * scale())
                        : Schedule.NONE;
        Schedule dups =
                options.duplicates() ? new Schedule(start, end, 3 * scale()) : Schedule.NONE;
        PriorityQueue<Arrival> arrivals =
                new PriorityQueue<>(
                        Comparator.comparingLong(Arrival::time).thenComparingLong(Arrival::seq));
        long seq = 0;
        long events = 0;
        long badRecords = 0;
        try (LogWriter out = new LogWriter(dir)) {
            while (!users.isEmpty()) {
                UserTimeline u = users.poll();
                UserEvent e = u.next();
                long t = e.timestampMillis();
                while (!arrivals.isEmpty() && arrivals.peek().time() <= t) {
                    Arrival a = arrivals.poll();
                    while (bad.due(a.event.timestampMillis())) {
                        BadRecords.Kind kind = bad.kind();
                        int n = (int) badRecords++;
                        String owner = userId(rng.nextInt(options.users()), width);
                        out.writeRaw(
                                BadRecords.topic(kind, n),
                                BadRecords.line(kind, n, owner, a.event.timestampMillis()));
                    }
                    boolean resend = a.resend || dups.due(a.event.timestampMillis());
                    out.write(
                            Topic.of(a.event.type()),
                            EventCodec.toJson(a.event),
                            a.event.timestampMillis(),
                            resend ? 1 + rng.nextInt(5) : 0);
                    events++;
                }
                long delay = rng.nextInt(5) == 0 ? 1 + rng.nextLong(MAX_ARRIVAL_DELAY_MILLIS) : 0;
                long arrival = Math.max(u.lastArrival, t + delay);
                u.lastArrival = arrival;
                boolean trap = e.eventId().equals(u.duplicateEventId);
                arrivals.add(new Arrival(arrival, seq++, e, trap));
                if (u.hasNext()) {
                    users.add(u);
                } else if (u.label() != null) {
                    labels.add(u.label());
                }
            }
            while (!arrivals.isEmpty()) {
                Arrival a = arrivals.poll();
                out.write(
                        Topic.of(a.event.type()),
                        EventCodec.toJson(a.event),
                        a.event.timestampMillis(),
                        a.resend ? 1 : 0);
                events++;
            }
            out.close();
            writeLabels(dir.resolve(LABELS_FILE), labels);
            int positives = (int) labels.stream().filter(l -> l.scenario().positive()).count();
            return new GenerationReport(
                    events,
                    out.duplicates(),
                    badRecords,
                    out.lines(),
                    positives,
                    labels.size() - positives,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The user id of the i-th user, e.g. {@code u00042}. */
    static String userId(int i, int width) {
        String n = Integer.toString(i);
        StringBuilder sb = new StringBuilder(width + 1).append('u');
        for (int k = n.length(); k < width; k++) {
            sb.append('0');
        }
        return sb.append(n).toString();
    }

    /** Bad records and duplicates grow slowly with the size of the log: "a few". */
    private int scale() {
        return 1 + options.users() / 5_000;
    }

    private Scenario[] assignScenarios(SplittableRandom rng) {
        Scenario[] assigned = new Scenario[options.users()];
        List<Scenario> positives = Scenario.positives(options.exampleRules());
        List<Scenario> misses = Scenario.nearMisses();
        int p = options.positiveUsers();
        int m = options.nearMissUsers();
        for (int i = 0; i < p; i++) {
            assigned[i] = positives.get(i % positives.size());
        }
        for (int i = 0; i < m; i++) {
            assigned[p + i] = misses.get(i % misses.size());
        }
        for (int i = assigned.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Scenario tmp = assigned[i];
            assigned[i] = assigned[j];
            assigned[j] = tmp;
        }
        return assigned;
    }

    private static void writeLabels(Path file, List<Label> labels) throws IOException {
        labels.sort(Comparator.comparing(Label::userId));
        JsonFactory json = new JsonFactory();
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = json.createGenerator(os, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            for (Label label : labels) {
                label.write(g);
                g.writeRaw('\n');
            }
        }
    }

    /** A well-mixed 64-bit seed from the run's seed and a stream number. */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An event waiting for its simulated arrival. */
    private record Arrival(long time, long seq, UserEvent event, boolean resend) {}

    /** Evenly spaced moments in event time at which something is injected, kinds in turn. */
    private static final class Schedule {
        static final Schedule NONE = new Schedule(0, 0, 0);

        private final long start;
        private final long step;
        private final int count;
        private int done;

        Schedule(long start, long end, int count) {
            this.start = start;
            this.count = count;
            this.step = count == 0 ? 0 : (end - start) / count;
        }

        /** True (once per moment) if the next moment is at or before {@code time}. */
        boolean due(long time) {
            if (done < count && time >= start + step / 2 + done * step) {
                done++;
                return true;
            }
            return false;
        }

        BadRecords.Kind kind() {
            BadRecords.Kind[] kinds = BadRecords.Kind.values();
            return kinds[(done - 1) % kinds.length];
        }
    }
}
