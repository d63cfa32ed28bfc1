package io.fraudcep.sampledata.fuzz;

import io.fraudcep.sampledata.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates dense random logs for differential testing of the pipeline against {@link
 * ContractReference}: a few hundred users, each with a history of episodes that make every pattern
 * fire and nearly fire, at the thresholds and window edges of patterns.md, with idle spells around
 * 90 and 180 days, producer retries (exact re-sent lines, and eventIds re-used around 24 h later),
 * events at the same instant on one or several topics, and lines out of order by up to 4 s of event
 * time within each file. Deterministic: equal seed and options give identical bytes.
 */
public final class DenseLogGenerator {

    /** The timeline begins here; no event is earlier. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The most event time by which a line of a file follows a line of a later event. */
    public static final long MAX_DISORDER_MILLIS = DenseUser.MAX_DISORDER / DenseUser.MS;

    private DenseLogGenerator() {}

    /** A default-size log (350 users, about 60 K events). */
    public static DenseLog generate(long seed) {
        return generate(seed, DenseLogOptions.DEFAULT);
    }

    /** A log of this many users at the default density. */
    public static DenseLog generate(long seed, int users) {
        return generate(seed, DenseLogOptions.DEFAULT.withUsers(users));
    }

    public static DenseLog generate(long seed, DenseLogOptions options) {
        SplittableRandom seeds = new SplittableRandom(seed);
        long start = DenseUser.nanos(START);
        Map<Topic, List<Placed>> placed = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            placed.put(topic, new ArrayList<>());
        }
        for (int u = 0; u < options.users(); u++) {
            DenseUser user = new DenseUser("u-" + seed + "-" + u, seeds.split(), start);
            for (DenseUser.Draft d : user.script(options.eventsPerUser())) {
                List<Placed> file = placed.get(Topic.of(d.event().type()));
                file.add(Placed.of(d, 0, d.disorder()));
                if (d.duplicateDisorder() >= 0) {
                    file.add(Placed.of(d, 1, d.duplicateDisorder()));
                }
            }
        }
        Map<Topic, List<DenseLog.Line>> lines = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            List<Placed> file = placed.get(topic);
            file.sort(FILE_ORDER);
            lines.put(
                    topic,
                    file.stream()
                            .map(p -> new DenseLog.Line(p.draft.event(), p.draft.line()))
                            .toList());
        }
        return new DenseLog(seed, options, lines);
    }

    /**
     * A line placed in its file: at its event time plus its disorder, so a line is never written
     * after a line of an event more than the disorder (at most 4 s) later than its own.
     */
    private record Placed(DenseUser.Draft draft, int copy, long time, long key) {
        static Placed of(DenseUser.Draft draft, int copy, long disorder) {
            long time = DenseUser.nanos(draft.event().timestamp());
            return new Placed(draft, copy, time, time + disorder);
        }
    }

    private static final Comparator<Placed> FILE_ORDER =
            Comparator.comparingLong(Placed::key)
                    .thenComparingLong(Placed::time)
                    .thenComparing(p -> p.draft.event().userId())
                    .thenComparing(p -> p.draft.event().eventId())
                    .thenComparingInt(Placed::copy);
}
