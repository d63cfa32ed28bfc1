package io.fraudcep.jobs.kafka;

import io.fraudcep.jobs.io.SourceRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitState;
import org.apache.flink.core.io.InputStatus;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka source reader that hands on the records of its partitions in event-time order, as the
 * files source merges its logs: the connector's reader parses each record into a per-partition
 * queue, and this reader emits the record with the smallest event time next, as soon as no
 * partition can still send an earlier one.
 *
 * <p>A partition whose queue is empty holds back the records later than the last event time it
 * emitted, for as long as the connector's reader still brings records; when the reader has nothing
 * for {@code patience} (the partition is quiet, or has nothing left), the queued records go out in
 * event-time order without it, as a plain Kafka source would send them. A queue that reaches {@code
 * lookahead} records pauses its partition (the Kafka consumer stops fetching it) until half of it
 * has gone out, so a sparse partition waits in Kafka, not in memory.
 *
 * <p>Records go out through the split outputs the connector's reader created, so watermarks (and
 * idleness) stay per partition. A partition's offset in checkpoints and in the offsets committed to
 * Kafka moves only when its record goes out: a queued record is read again after a restore. A
 * partition the connector finished (a bounded read) keeps its split output, and its place in
 * checkpoints, until its queue is empty.
 */
final class EventTimeMergeReader implements SourceReader<SourceRecord, KafkaPartitionSplit> {

    /** Longest time one poll takes records from the connector's reader without emitting one. */
    private static final int MAX_READS_PER_POLL = 1_000;

    private static final long NOT_STARVED = Long.MIN_VALUE;

    private final int lookahead;
    private final int resumeAt;
    private final long patienceNanos;
    private final Map<String, SplitQueue> queues = new LinkedHashMap<>();

    private SourceReader<SourceRecord, KafkaPartitionSplit> delegate;
    private ReaderOutput<SourceRecord> output;
    private DelegateOutput delegateOutput;
    private boolean delegateEnded;
    private long starvedSince = NOT_STARVED;

    /**
     * @param lookahead records queued per partition before it is paused
     * @param patienceNanos how long the connector's reader may bring nothing before queued records
     *     go out without the partitions that have none
     */
    EventTimeMergeReader(int lookahead, long patienceNanos) {
        this.lookahead = lookahead;
        this.resumeAt = lookahead / 2;
        this.patienceNanos = patienceNanos;
    }

    void setDelegate(SourceReader<SourceRecord, KafkaPartitionSplit> delegate) {
        this.delegate = delegate;
    }

    /** Called by the emitter for each record the connector's reader takes from Kafka. */
    void enqueue(
            KafkaPartitionSplitState state,
            SourceOutput<SourceRecord> splitOutput,
            SourceRecord record,
            long kafkaTimestamp,
            long offset) {
        SplitQueue q =
                queues.computeIfAbsent(
                        state.splitId(), id -> new SplitQueue(id, state.getTopicPartition()));
        q.output = splitOutput;
        q.records.add(new Queued(record, kafkaTimestamp, offset, state));
        if (!q.pausedForLookahead && q.records.size() >= lookahead) {
            q.pausedForLookahead = true;
            applyPause(q);
        }
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceRecord> readerOutput) throws Exception {
        if (readerOutput != output) {
            output = readerOutput;
            delegateOutput = new DelegateOutput(readerOutput);
        }
        for (int reads = 0; reads < MAX_READS_PER_POLL; reads++) {
            SplitQueue next = next(true);
            if (next != null) {
                emit(next);
                if (next.lastEventTime != Long.MIN_VALUE) {
                    starvedSince = NOT_STARVED;
                }
                return InputStatus.MORE_AVAILABLE;
            }
            if (delegateEnded) {
                next = next(false);
                if (next == null) {
                    return InputStatus.END_OF_INPUT;
                }
                emit(next);
                return InputStatus.MORE_AVAILABLE;
            }
            InputStatus status = delegate.pollNext(delegateOutput);
            if (status == InputStatus.END_OF_INPUT) {
                delegateEnded = true;
            } else if (status == InputStatus.NOTHING_AVAILABLE) {
                return starved();
            }
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** The connector's reader has nothing now, and no queued record may go out in order. */
    private InputStatus starved() {
        SplitQueue next = next(true);
        if (next == null) {
            next = next(false);
            if (next == null) {
                starvedSince = NOT_STARVED;
                return InputStatus.NOTHING_AVAILABLE;
            }
            long now = System.nanoTime();
            if (starvedSince == NOT_STARVED) {
                starvedSince = now;
            }
            if (now - starvedSince < patienceNanos) {
                return InputStatus.NOTHING_AVAILABLE;
            }
        }
        emit(next);
        return InputStatus.MORE_AVAILABLE;
    }

    /**
     * The queue whose head goes out next: the smallest head event time; in order only if every
     * partition still read with an empty queue has emitted that event time already.
     */
    private SplitQueue next(boolean inOrder) {
        SplitQueue min = null;
        long minTime = Long.MAX_VALUE;
        for (SplitQueue q : queues.values()) {
            Queued head = q.records.peek();
            if (head != null) {
                long t = head.record.eventTimeMillis();
                if (min == null || t < minTime) {
                    min = q;
                    minTime = t;
                }
            }
        }
        if (min == null || !inOrder || minTime == Long.MIN_VALUE) {
            return min;
        }
        for (SplitQueue q : queues.values()) {
            if (q.records.isEmpty() && !q.finished && q.lastEventTime < minTime) {
                return null;
            }
        }
        return min;
    }

    private void emit(SplitQueue q) {
        Queued head = q.records.poll();
        head.state.setCurrentOffset(head.offset + 1);
        q.output.collect(head.record, head.kafkaTimestamp);
        q.lastEventTime = Math.max(q.lastEventTime, head.record.eventTimeMillis());
        if (q.pausedForLookahead && q.records.size() <= resumeAt) {
            q.pausedForLookahead = false;
            applyPause(q);
        }
        if (q.finished && q.records.isEmpty()) {
            queues.remove(q.splitId);
            output.releaseOutputForSplit(q.splitId);
        }
    }

    private void applyPause(SplitQueue q) {
        boolean paused = !q.finished && (q.pausedForLookahead || q.pausedForAlignment);
        if (paused != q.paused) {
            q.paused = paused;
            List<String> id = List.of(q.splitId);
            delegate.pauseOrResumeSplits(paused ? id : List.of(), paused ? List.of() : id);
        }
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
        List<KafkaPartitionSplit> splits = new ArrayList<>(delegate.snapshotState(checkpointId));
        for (SplitQueue q : queues.values()) {
            if (q.finished && !q.records.isEmpty()) {
                // Finished by the connector, not yet emitted: what is left is exactly the queue.
                splits.add(
                        new KafkaPartitionSplit(
                                q.partition,
                                q.records.peekFirst().offset,
                                q.records.peekLast().offset + 1));
            }
        }
        return splits;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (next(true) != null || (delegateEnded && next(false) != null)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> reader = delegate.isAvailable();
        if (starvedSince == NOT_STARVED || next(false) == null || reader.isDone()) {
            return reader;
        }
        long wait = patienceNanos - (System.nanoTime() - starvedSince);
        if (wait <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> patience =
                new CompletableFuture<Void>().completeOnTimeout(null, wait, TimeUnit.NANOSECONDS);
        return CompletableFuture.anyOf(reader, patience).thenApply(x -> null);
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
        // Known from the start, so that a partition not yet fetched holds back the others.
        for (KafkaPartitionSplit s : splits) {
            queues.computeIfAbsent(s.splitId(), id -> new SplitQueue(id, s.getTopicPartition()));
        }
        delegate.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
        delegate.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
        delegate.handleSourceEvents(sourceEvent);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        delegate.notifyCheckpointAborted(checkpointId);
    }

    /** Watermark alignment's pauses, combined with the lookahead's. */
    @Override
    public void pauseOrResumeSplits(
            Collection<String> splitsToPause, Collection<String> splitsToResume) {
        Set<String> pause = new HashSet<>();
        Set<String> resume = new HashSet<>();
        for (String id : splitsToPause) {
            SplitQueue q = queues.get(id);
            if (q == null) {
                pause.add(id);
            } else {
                q.pausedForAlignment = true;
                applyPause(q);
            }
        }
        for (String id : splitsToResume) {
            SplitQueue q = queues.get(id);
            if (q == null) {
                resume.add(id);
            } else {
                q.pausedForAlignment = false;
                applyPause(q);
            }
        }
        if (!pause.isEmpty() || !resume.isEmpty()) {
            delegate.pauseOrResumeSplits(pause, resume);
        }
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    /** One partition's parsed records not yet emitted. */
    private static final class SplitQueue {
        final String splitId;
        final TopicPartition partition;
        final ArrayDeque<Queued> records = new ArrayDeque<>();
        SourceOutput<SourceRecord> output;
        long lastEventTime = Long.MIN_VALUE;
        boolean pausedForLookahead;
        boolean pausedForAlignment;
        boolean paused;
        boolean finished;

        SplitQueue(String splitId, TopicPartition partition) {
            this.splitId = splitId;
            this.partition = partition;
        }
    }

    private record Queued(
            SourceRecord record,
            long kafkaTimestamp,
            long offset,
            KafkaPartitionSplitState state) {}

    /**
     * The output the connector's reader writes to: a finished split keeps its split output until
     * its queue has gone out.
     */
    private final class DelegateOutput implements ReaderOutput<SourceRecord> {
        private final ReaderOutput<SourceRecord> out;

        DelegateOutput(ReaderOutput<SourceRecord> out) {
            this.out = out;
        }

        @Override
        public void collect(SourceRecord record) {
            out.collect(record);
        }

        @Override
        public void collect(SourceRecord record, long timestamp) {
            out.collect(record, timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            out.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            out.markIdle();
        }

        @Override
        public void markActive() {
            out.markActive();
        }

        @Override
        public SourceOutput<SourceRecord> createOutputForSplit(String splitId) {
            return out.createOutputForSplit(splitId);
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            SplitQueue q = queues.get(splitId);
            if (q == null || q.records.isEmpty()) {
                queues.remove(splitId);
                out.releaseOutputForSplit(splitId);
            } else {
                q.finished = true;
            }
        }
    }
}
