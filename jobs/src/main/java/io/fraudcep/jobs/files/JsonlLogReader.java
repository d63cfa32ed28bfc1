package io.fraudcep.jobs.files;

import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads the files of a log and merges them by event time: each file is in event-time order up to
 * the out-of-orderness bound (like a Kafka partition), and the merge emits the head record with the
 * smallest event time next, so the stream as a whole is too. Records that break the contract carry
 * no event time and go out as soon as they are read.
 */
final class JsonlLogReader implements SourceReader<SourceRecord, JsonlLogSplit> {

    private final SourceReaderContext context;
    private final FutureTimestampGuard guard;
    private final CompletableFuture<Void> available = new CompletableFuture<>();

    private JsonlLogSplit split;
    private List<FileCursor> cursors;
    private boolean noMoreSplits;

    JsonlLogReader(SourceReaderContext context, FutureTimestampGuard guard) {
        this.context = context;
        this.guard = guard;
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceRecord> output) throws Exception {
        if (cursors == null) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        FileCursor next = null;
        for (FileCursor c : cursors) {
            if (c.head != null
                    && (next == null || c.head.eventTimeMillis() < next.head.eventTimeMillis())) {
                next = c;
            }
        }
        if (next == null) {
            return InputStatus.END_OF_INPUT;
        }
        output.collect(next.head);
        next.advance();
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<JsonlLogSplit> snapshotState(long checkpointId) {
        if (split == null) {
            return List.of();
        }
        long[] lines = new long[cursors.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = cursors.get(i).emitted();
        }
        return List.of(new JsonlLogSplit(split.files(), lines));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<JsonlLogSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        split = splits.get(0);
        cursors = new ArrayList<>();
        long[] skip = split.linesEmitted();
        for (int i = 0; i < split.files().size(); i++) {
            cursors.add(new FileCursor(split.files().get(i), skip[i], guard));
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        if (cursors != null) {
            for (FileCursor c : cursors) {
                c.close();
            }
        }
    }

    /** One file, with its next record parsed ahead. */
    private static final class FileCursor {
        private final LogFile file;
        private final String source;
        private final FutureTimestampGuard guard;
        private final BufferedReader reader;
        private long lineNumber;
        private SourceRecord head;

        FileCursor(LogFile file, long skipLines, FutureTimestampGuard guard) {
            this.source = SourceRecord.sourceName(file.topic(), 0);
            this.guard = guard;
            this.file = file;
            try {
                this.reader = Files.newBufferedReader(Path.of(file.path()), StandardCharsets.UTF_8);
                for (long i = 0; i < skipLines; i++) {
                    if (reader.readLine() == null) {
                        break;
                    }
                    lineNumber++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.path(), e);
            }
            advance();
        }

        /** Lines emitted so far: the read position minus the parsed-ahead head. */
        long emitted() {
            return head == null ? lineNumber : lineNumber - 1;
        }

        void advance() {
            try {
                String line;
                do {
                    line = reader.readLine();
                    if (line == null) {
                        head = null;
                        return;
                    }
                    lineNumber++;
                } while (line.isBlank());
                head =
                        SourceRecord.parse(
                                file.topic(),
                                0,
                                lineNumber - 1,
                                line.getBytes(StandardCharsets.UTF_8),
                                source,
                                guard);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.path(), e);
            }
        }

        void close() throws IOException {
            reader.close();
        }
    }
}
