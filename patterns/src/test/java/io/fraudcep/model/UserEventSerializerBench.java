package io.fraudcep.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Prints the CPU time and the size of serializing then deserializing the events of a log, as the
 * shuffle does, with Flink's record serializer of {@link UserEvent} (what it used before {@link
 * UserEventSerializer}) and with {@link UserEventSerializer}, in alternating rounds in one JVM. Not
 * a test: run its main with a log directory (the layout {@code bin/fraud generate} writes); figures
 * vary by machine, load and JDK.
 */
public final class UserEventSerializerBench {

    private static final int ROUNDS = 9;
    private static final int EVENTS_PER_FILE = 100_000;
    private static final int BATCH = 1_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Keeps the JIT from dropping the reads. */
    static volatile long sink;

    private UserEventSerializerBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: UserEventSerializerBench LOG_DIRECTORY");
        }
        List<UserEvent> events = read(Path.of(args[0]));
        TypeSerializer<UserEvent> record = recordSerializer();
        TypeSerializer<UserEvent> handWritten = new UserEventSerializer();
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        long[] bytes = new long[2];
        for (int round = 0; round < ROUNDS; round++) {
            TypeSerializer<?>[] both = {record, handWritten};
            for (int i = 0; i < 2; i++) {
                long start = THREADS.getCurrentThreadCpuTime();
                @SuppressWarnings("unchecked")
                long b = roundTrip((TypeSerializer<UserEvent>) both[i], events);
                best[i] = Math.min(best[i], THREADS.getCurrentThreadCpuTime() - start);
                bytes[i] = b;
            }
        }
        System.out.printf("%,d events, best of %d rounds%n", events.size(), ROUNDS);
        String[] names = {"Flink's record serializer", "UserEventSerializer"};
        for (int i = 0; i < 2; i++) {
            System.out.printf(
                    "  %-26s %6.0f ns CPU per event (serialize + deserialize), %5.1f bytes%n",
                    names[i], (double) best[i] / events.size(), (double) bytes[i] / events.size());
        }
    }

    private static long roundTrip(TypeSerializer<UserEvent> serializer, List<UserEvent> events)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        DataInputDeserializer in = new DataInputDeserializer();
        long bytes = 0;
        long check = 0;
        for (int i = 0; i < events.size(); i += BATCH) {
            int end = Math.min(events.size(), i + BATCH);
            out.clear();
            for (int j = i; j < end; j++) {
                serializer.serialize(events.get(j), out);
            }
            bytes += out.length();
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            for (int j = i; j < end; j++) {
                check += serializer.deserialize(in).eventId().length();
            }
        }
        sink = check;
        return bytes;
    }

    /** The record serializer Flink derives for UserEvent without its {@code @TypeInfo}. */
    @SuppressWarnings("unchecked")
    private static TypeSerializer<UserEvent> recordSerializer() {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : UserEvent.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(new PojoField(f, TypeExtractor.createTypeInfo(f.getGenericType())));
            }
        }
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return new PojoTypeInfo<>(UserEvent.class, fields).createSerializer(config);
    }

    private static List<UserEvent> read(Path dir) throws IOException {
        List<UserEvent> events = new ArrayList<>();
        for (String topic : List.of("user-logins", "user-transactions", "user-account-changes")) {
            try (Stream<String> lines = Files.lines(dir.resolve(topic + ".jsonl"))) {
                lines.limit(EVENTS_PER_FILE)
                        .map(
                                l ->
                                        EventCodec.parse(
                                                l.getBytes(StandardCharsets.UTF_8), topic + "-0"))
                        .filter(ParseResult::isAccepted)
                        .forEach(r -> events.add(r.event()));
            }
        }
        return events;
    }
}
