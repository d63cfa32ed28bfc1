package io.fraudcep.rules.vectors;

import io.fraudcep.model.UserEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The one log a job runs for many cases: their events merged by event time, each case's own events
 * kept in the order the case lists them. Whatever disorder a case writes on purpose is all the
 * disorder of the merged log: an event no case lists late is never behind another case's events.
 */
final class SharedLog {

    private SharedLog() {}

    static List<UserEvent> of(List<VectorCase> cases) {
        PriorityQueue<Cursor> heads =
                new PriorityQueue<>(
                        Comparator.comparing((Cursor c) -> c.head().timestamp())
                                .thenComparingInt(c -> c.index));
        for (int i = 0; i < cases.size(); i++) {
            heads.add(new Cursor(i, cases.get(i).log()));
        }
        List<UserEvent> log = new ArrayList<>();
        while (!heads.isEmpty()) {
            Cursor c = heads.poll();
            log.add(c.head());
            c.next++;
            if (c.next < c.events.size()) {
                heads.add(c);
            }
        }
        return log;
    }

    /** A case's events and the next one to take. */
    private static final class Cursor {
        final int index;
        final List<UserEvent> events;
        int next;

        Cursor(int index, List<UserEvent> events) {
            this.index = index;
            this.events = events;
        }

        UserEvent head() {
            return events.get(next);
        }
    }
}
