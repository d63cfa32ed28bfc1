package io.fraudcep.jobs.files;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The whole log on disk as one split: its files and how many lines of each were emitted, so a
 * restored reader resumes where the checkpoint was taken.
 */
public final class JsonlLogSplit implements SourceSplit {

    private final List<LogFile> files;
    private final long[] linesEmitted;

    public JsonlLogSplit(List<LogFile> files, long[] linesEmitted) {
        this.files = List.copyOf(files);
        this.linesEmitted = linesEmitted.clone();
    }

    @Override
    public String splitId() {
        return "jsonl-log";
    }

    public List<LogFile> files() {
        return files;
    }

    public long[] linesEmitted() {
        return linesEmitted.clone();
    }

    @Override
    public String toString() {
        return "JsonlLogSplit" + files + Arrays.toString(linesEmitted);
    }
}
