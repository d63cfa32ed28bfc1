package io.fraudcep.sampledata;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link LogGenerator#writeTo} wrote.
 *
 * @param events valid events written (re-sent duplicates not counted)
 * @param duplicates re-sent copies of events
 * @param badRecords lines that break the contract
 * @param linesPerTopic lines per topic file, everything included
 * @param positives labelled positives
 * @param nearMisses labelled near misses
 * @param elapsed wall-clock time of the generation
 */
public record GenerationReport(
        long events,
        long duplicates,
        long badRecords,
        Map<Topic, Long> linesPerTopic,
        int positives,
        int nearMisses,
        Duration elapsed) {

    /** Valid events per second of wall-clock time. */
    public double eventsPerSecond() {
        return events * 1000.0 / Math.max(1, elapsed.toMillis());
    }

    /** One line for a terminal. */
    public String summary() {
        return String.format(
                "%d events (%s), %d duplicates, %d bad records, %d positive and %d near-miss"
                        + " labels in %.1f s (%.0f events/s)",
                events,
                linesPerTopic,
                duplicates,
                badRecords,
                positives,
                nearMisses,
                elapsed.toMillis() / 1000.0,
                eventsPerSecond());
    }
}
