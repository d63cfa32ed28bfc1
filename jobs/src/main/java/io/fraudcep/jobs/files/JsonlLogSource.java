package io.fraudcep.jobs.files;

import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source over a user-action log stored as JSONL files (one per input topic, as the
 * sample-data generator writes them). It emits the files merged by event time, parsed into {@link
 * SourceRecord}s exactly like the Kafka source, so a backtest from files runs the very same
 * pipeline and watermarks as the live job. One reader does the merge (the parse is cheap next to
 * the detection); the rest of the job runs at any parallelism.
 */
public final class JsonlLogSource
        implements Source<SourceRecord, JsonlLogSplit, List<JsonlLogSplit>>,
                ResultTypeQueryable<SourceRecord> {

    private static final long serialVersionUID = 1L;

    private final List<LogFile> files;
    private final FutureTimestampGuard guard;

    /**
     * A source over {@code files}; events further ahead than {@code guard} allows become dead
     * letters (null: no guard).
     */
    public JsonlLogSource(List<LogFile> files, FutureTimestampGuard guard) {
        this.guard = guard;
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a log needs at least one file");
        }
        this.files = List.copyOf(files);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<SourceRecord, JsonlLogSplit> createReader(SourceReaderContext context) {
        return new JsonlLogReader(context, guard);
    }

    @Override
    public SplitEnumerator<JsonlLogSplit, List<JsonlLogSplit>> createEnumerator(
            SplitEnumeratorContext<JsonlLogSplit> context) {
        return new JsonlLogEnumerator(
                context, List.of(new JsonlLogSplit(files, new long[files.size()])));
    }

    @Override
    public SplitEnumerator<JsonlLogSplit, List<JsonlLogSplit>> restoreEnumerator(
            SplitEnumeratorContext<JsonlLogSplit> context, List<JsonlLogSplit> checkpoint) {
        return new JsonlLogEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<JsonlLogSplit> getSplitSerializer() {
        return new JsonlLogSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<JsonlLogSplit>> getEnumeratorCheckpointSerializer() {
        JsonlLogSplitSerializer splits = new JsonlLogSplitSerializer();
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(List<JsonlLogSplit> state) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeInt(state.size());
                    for (JsonlLogSplit s : state) {
                        byte[] b = splits.serialize(s);
                        out.writeInt(b.length);
                        out.write(b);
                    }
                }
                return bytes.toByteArray();
            }

            @Override
            public List<JsonlLogSplit> deserialize(int version, byte[] serialized)
                    throws IOException {
                try (DataInputStream in =
                        new DataInputStream(new ByteArrayInputStream(serialized))) {
                    int n = in.readInt();
                    List<JsonlLogSplit> state = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        byte[] b = new byte[in.readInt()];
                        in.readFully(b);
                        state.add(splits.deserialize(splits.getVersion(), b));
                    }
                    return state;
                }
            }
        };
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
