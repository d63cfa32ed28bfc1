package io.fraudcep.sampledata;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link LogLoader#load} did with a log directory.
 *
 * @param topics per topic file, in {@link Topic} order; files missing from the directory are
 *     missing here
 * @param elapsed wall-clock time of the load
 */
public record LoadReport(Map<Topic, TopicLoad> topics, Duration elapsed) {

    /**
     * One topic file.
     *
     * @param topic the Kafka topic written
     * @param lines lines read from the file
     * @param sent records acknowledged by the broker
     * @param skipped lines that could not be sent (empty, too large, rejected by the broker)
     * @param problems one sentence per skipped line ({@code file:line: reason}), at most 100
     */
    public record TopicLoad(
            String topic, long lines, long sent, long skipped, List<String> problems) {}

    /** Records acknowledged, all topics together. */
    public long sent() {
        return topics.values().stream().mapToLong(TopicLoad::sent).sum();
    }

    /** Lines skipped, all topics together. */
    public long skipped() {
        return topics.values().stream().mapToLong(TopicLoad::skipped).sum();
    }
}
