package io.fraudcep.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.sampledata.GenerationReport;
import io.fraudcep.sampledata.GeneratorOptions;
import io.fraudcep.sampledata.LogGenerator;
import io.fraudcep.sampledata.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The generated log of a throughput bench, cached under the work directory by its generator options
 * (the generator is deterministic: equal options, equal bytes), with the figures the bench divides
 * by: events, distinct users, and users active in the last 24 h of event time.
 *
 * @param dir the log directory (one JSONL file per input topic, as {@code bin/fraud generate}
 *     writes it)
 * @param events valid events (lines of the three topic files)
 * @param users distinct users in the log
 * @param activeLastDay users with an event in the last 24 h of the log's event time
 * @param firstEvent earliest event time
 * @param lastEvent latest event time
 * @param bytes size of the three topic files
 */
record BenchLog(
        Path dir,
        long events,
        long users,
        long activeLastDay,
        Instant firstEvent,
        Instant lastEvent,
        long bytes) {

    private static final String INFO = "bench-log-info.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Returns the cached log for these options, generating and measuring it if needed. */
    static BenchLog prepare(Path workDir, GeneratorOptions options, PrintStream out)
            throws IOException {
        Path dir =
                workDir.resolve(
                        "log-users"
                                + options.users()
                                + "-days"
                                + options.days()
                                + "-seed"
                                + options.seed());
        Path info = dir.resolve(INFO);
        if (Files.isRegularFile(info)) {
            ObjectNode n = (ObjectNode) JSON.readTree(info.toFile());
            out.printf("Log: reusing %s%n", dir);
            return new BenchLog(
                    dir,
                    n.get("events").asLong(),
                    n.get("users").asLong(),
                    n.get("activeLastDay").asLong(),
                    Instant.parse(n.get("firstEvent").asText()),
                    Instant.parse(n.get("lastEvent").asText()),
                    n.get("bytes").asLong());
        }
        out.printf(
                "Log: generating %d users x %d days (seed %d) into %s ...%n",
                options.users(), options.days(), options.seed(), dir);
        GenerationReport report = new LogGenerator(options).writeTo(dir);
        out.println("Log: " + report.summary());
        BenchLog log = measure(dir);
        ObjectNode n = JSON.createObjectNode();
        n.put("events", log.events);
        n.put("users", log.users);
        n.put("activeLastDay", log.activeLastDay);
        n.put("firstEvent", log.firstEvent.toString());
        n.put("lastEvent", log.lastEvent.toString());
        n.put("bytes", log.bytes);
        // Written last: its presence marks a complete log.
        JSON.writerWithDefaultPrettyPrinter().writeValue(info.toFile(), n);
        return log;
    }

    /** Reads the topic files once: users, their last event time, the event-time range. */
    static BenchLog measure(Path dir) throws IOException {
        Map<String, Long> lastByUser = new HashMap<>();
        JsonFactory factory = new JsonFactory();
        long events = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Topic topic : Topic.values()) {
            Path file = dir.resolve(topic.fileName());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            bytes += Files.size(file);
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String user = null;
                    String ts = null;
                    try (JsonParser p = factory.createParser(line)) {
                        if (p.nextToken() != JsonToken.START_OBJECT) {
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME
                                && (user == null || ts == null)) {
                            String name = p.currentName();
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_STRING && name.equals("userId")) {
                                user = p.getText();
                            } else if (v == JsonToken.VALUE_STRING && name.equals("timestamp")) {
                                ts = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } catch (IOException notJson) {
                        continue;
                    }
                    if (user == null || ts == null) {
                        continue;
                    }
                    long millis;
                    try {
                        millis = Instant.parse(ts).toEpochMilli();
                    } catch (RuntimeException badTime) {
                        continue;
                    }
                    events++;
                    first = Math.min(first, millis);
                    last = Math.max(last, millis);
                    lastByUser.merge(user, millis, Math::max);
                }
            }
        }
        long dayBefore = last - 24L * 3600 * 1000;
        long active = lastByUser.values().stream().filter(t -> t > dayBefore).count();
        return new BenchLog(
                dir,
                events,
                lastByUser.size(),
                active,
                Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last),
                bytes);
    }
}
