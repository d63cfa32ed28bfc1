package io.fraudcep.sampledata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Loads a log directory (the three topic files of events.md, JSONL) into Kafka, as a producer of
 * the user-action log would have written it: key = the {@code userId} of the JSON value (no key if
 * the line is not a JSON object with a string {@code userId}), record timestamp = the event's
 * {@code timestamp} (the load time if it has none that parses), value = the line's bytes unchanged,
 * without its line terminator. Lines that break the contract are sent as they are: the pipeline
 * must dead-letter them. Only lines that cannot be sent (empty lines, records larger than the
 * producer or broker accepts) are reported and skipped.
 *
 * <p>The three files are sent merged in event-time order (each line at its place in its own file),
 * so that a pipeline consuming while the load runs sees the topics advance together. The producer
 * is idempotent with {@code acks=all}: a user's records keep their file order within their
 * partition.
 */
public final class LogLoader {

    /** Problems kept per topic for the report; the count covers them all. */
    static final int MAX_PROBLEMS = 100;

    /** Lines longer than this are skipped unread: no Kafka record can be that large by default. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private LogLoader() {}

    /** Loads with no progress output. */
    public static LoadReport load(Path dir, Properties producerProps, TopicNames names)
            throws IOException {
        return load(dir, producerProps, names, 0, null);
    }

    /**
     * Loads the topic files found in {@code dir} into the topics {@code names}.
     *
     * @param producerProps producer settings; must hold {@code bootstrap.servers}. Serializers,
     *     {@code enable.idempotence=true} and {@code acks=all} are imposed.
     * @param progressEvery print a progress line every so many records (0: never)
     * @param progress where progress goes, or null
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if {@code dir} holds none of the three topic files
     */
    public static LoadReport load(
            Path dir,
            Properties producerProps,
            TopicNames names,
            long progressEvery,
            PrintStream progress)
            throws IOException {
        long started = System.nanoTime();
        List<Source> sources = new ArrayList<>();
        Map<Topic, Counts> counts = new EnumMap<>(Topic.class);
        try {
            for (Topic topic : Topic.values()) {
                Path file = dir.resolve(topic.fileName());
                if (Files.isRegularFile(file)) {
                    Counts c = new Counts(names.of(topic));
                    counts.put(topic, c);
                    sources.add(new Source(topic, file, c));
                }
            }
            if (sources.isEmpty()) {
                throw new IllegalArgumentException(
                        "--input " + dir + " holds none of " + fileNames());
            }
            long sent = 0;
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(producerProperties(producerProps))) {
                for (Source next = earliest(sources); next != null; next = earliest(sources)) {
                    send(producer, next);
                    next.advance();
                    sent++;
                    if (progressEvery > 0 && progress != null && sent % progressEvery == 0) {
                        long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
                        progress.printf(
                                "load: %d records read (%.0f/s)%n", sent, sent * 1000.0 / ms);
                    }
                }
                producer.flush();
            }
        } finally {
            for (Source s : sources) {
                s.close();
            }
        }
        Map<Topic, LoadReport.TopicLoad> topics = new LinkedHashMap<>();
        counts.forEach((topic, c) -> topics.put(topic, c.report()));
        return new LoadReport(
                Collections.unmodifiableMap(topics), Duration.ofNanos(System.nanoTime() - started));
    }

    /** The producer settings the loader uses on top of {@code given}. */
    static Properties producerProperties(Properties given) {
        Properties props = new Properties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.putAll(given);
        if (!props.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Source s) {
        Counts c = s.counts;
        String file = s.file.getFileName().toString();
        long lineNo = s.lineNo;
        if (s.tooLong) {
            c.skip(file + ":" + lineNo + ": line longer than " + MAX_LINE_BYTES + " bytes");
            return;
        }
        if (s.blank) {
            c.skip(file + ":" + lineNo + ": empty line");
            return;
        }
        long timestamp = s.timestamp != null ? s.timestamp : System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(c.topic, null, timestamp, s.key, s.value);
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error == null) {
                            c.sent.incrementAndGet();
                        } else {
                            c.skip(file + ":" + lineNo + ": " + describe(error));
                        }
                    });
        } catch (RuntimeException e) {
            // e.g. a record larger than max.request.size, on some client versions
            c.skip(file + ":" + lineNo + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean isBlank(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static Source earliest(List<Source> sources) {
        Source best = null;
        for (Source s : sources) {
            if (s.hasLine && (best == null || s.order < best.order)) {
                best = s;
            }
        }
        return best;
    }

    private static String fileNames() {
        List<String> names = new ArrayList<>();
        for (Topic t : Topic.values()) {
            names.add(t.fileName());
        }
        return String.join(", ", names);
    }

    /**
     * The {@code userId} and {@code timestamp} string fields of a top-level JSON object, or nulls;
     * never throws. The rest of the value is not validated: that is the pipeline's job.
     */
    static String[] keyFields(byte[] value) {
        String[] out = new String[2];
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && "userId".equals(name) && out[0] == null) {
                    out[0] = p.getText();
                } else if (v == JsonToken.VALUE_STRING
                        && "timestamp".equals(name)
                        && out[1] == null) {
                    out[1] = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON (or truncated): keep what was found before the error.
        }
        return out;
    }

    static Long parseTimestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            long ms = Instant.parse(text).toEpochMilli();
            return ms >= 0 ? ms : null;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** Per-topic counters, updated from producer callbacks too. */
    private static final class Counts {
        final String topic;
        final AtomicLong lines = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        Counts(String topic) {
            this.topic = topic;
        }

        void skip(String problem) {
            skipped.incrementAndGet();
            synchronized (problems) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(problem);
                }
            }
        }

        LoadReport.TopicLoad report() {
            List<String> copy;
            synchronized (problems) {
                copy = List.copyOf(problems);
            }
            return new LoadReport.TopicLoad(topic, lines.get(), sent.get(), skipped.get(), copy);
        }
    }

    /** One topic file, read a line ahead. */
    private static final class Source implements Closeable {
        final Topic topic;
        final Path file;
        final Counts counts;
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

        boolean hasLine;
        long lineNo;
        byte[] value;
        byte[] key;
        Long timestamp;
        boolean blank;
        boolean tooLong;

        /** Merge order: the line's event time, or the previous line's if it has none. */
        long order = Long.MIN_VALUE;

        Source(Topic topic, Path file, Counts counts) throws IOException {
            this.topic = topic;
            this.file = file;
            this.counts = counts;
            this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            advance();
        }

        /** Reads the next line; clears {@link #hasLine} at the end of the file. */
        void advance() throws IOException {
            line.reset();
            tooLong = false;
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') {
                    break;
                }
                if (line.size() < MAX_LINE_BYTES) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
            if (!any) {
                hasLine = false;
                return;
            }
            hasLine = true;
            lineNo++;
            counts.lines.incrementAndGet();
            byte[] bytes = line.toByteArray();
            int len = bytes.length;
            if (len > 0 && bytes[len - 1] == '\r') {
                len--; // the CR of a CRLF line ending
            }
            value = len == bytes.length ? bytes : Arrays.copyOf(bytes, len);
            blank = isBlank(value);
            key = null;
            timestamp = null;
            if (!blank && !tooLong) {
                String[] fields = keyFields(value);
                key = fields[0] == null ? null : fields[0].getBytes(StandardCharsets.UTF_8);
                timestamp = parseTimestamp(fields[1]);
                if (timestamp != null) {
                    order = timestamp;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
