package io.fraudcep.jobs.files;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Hands the single split to the first reader that asks; every other reader gets none. */
final class JsonlLogEnumerator implements SplitEnumerator<JsonlLogSplit, List<JsonlLogSplit>> {

    private final SplitEnumeratorContext<JsonlLogSplit> context;
    private final List<JsonlLogSplit> unassigned;

    JsonlLogEnumerator(SplitEnumeratorContext<JsonlLogSplit> context, List<JsonlLogSplit> splits) {
        this.context = context;
        this.unassigned = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!unassigned.isEmpty()) {
            context.assignSplit(unassigned.remove(0), subtaskId);
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public void addSplitsBack(List<JsonlLogSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public List<JsonlLogSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
