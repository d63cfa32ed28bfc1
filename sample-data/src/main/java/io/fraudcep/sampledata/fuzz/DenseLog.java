package io.fraudcep.sampledata.fuzz;

import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.Topic;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A generated dense log: per input topic, its lines in file order (duplicates included), each with
 * the event it encodes. Writes itself as a log directory of three JSONL files.
 *
 * @param seed the seed it was generated from
 * @param options the options it was generated with
 * @param lines per topic, the lines in file order
 */
public record DenseLog(long seed, DenseLogOptions options, Map<Topic, List<Line>> lines) {

    /**
     * One line of a topic file.
     *
     * @param event the event the line encodes (what {@code EventCodec.parse} gives back)
     * @param json the line, without the newline
     */
    public record Line(UserEvent event, String json) {}

    public DenseLog {
        Map<Topic, List<Line>> copy = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            copy.put(topic, List.copyOf(lines.getOrDefault(topic, List.of())));
        }
        lines = Map.copyOf(copy);
    }

    /** The lines of one topic file, in file order. */
    public List<Line> lines(Topic topic) {
        return lines.get(topic);
    }

    /** The events of one topic file, in file order, duplicates included. */
    public List<UserEvent> events(Topic topic) {
        return lines.get(topic).stream().map(Line::event).toList();
    }

    /** The events of all three files: logins, transactions, account changes, each in file order. */
    public List<UserEvent> events() {
        List<UserEvent> all = new ArrayList<>(size());
        for (Topic topic : Topic.values()) {
            all.addAll(events(topic));
        }
        return all;
    }

    /** Number of lines in the three files. */
    public int size() {
        int n = 0;
        for (Topic topic : Topic.values()) {
            n += lines.get(topic).size();
        }
        return n;
    }

    /**
     * Writes {@code user-logins.jsonl}, {@code user-transactions.jsonl} and {@code
     * user-account-changes.jsonl} into the directory (created if needed), one line per event,
     * UTF-8, each line ended by a newline.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Topic topic : Topic.values()) {
            try (BufferedWriter w =
                    Files.newBufferedWriter(
                            dir.resolve(topic.fileName()), StandardCharsets.UTF_8)) {
                for (Line line : lines.get(topic)) {
                    w.write(line.json());
                    w.write('\n');
                }
            }
        }
    }
}
