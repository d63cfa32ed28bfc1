package io.fraudcep.bench;

import io.fraudcep.detect.DetectionGraph;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * What a savepoint of the detection job weighs: its size on disk, and the state size per operator
 * from its metadata, named by the job's stable uids: the per-user state sits in {@code rule-engine}
 * (devices, last event, duplicate horizon, the events of the look-back horizon and the
 * suppressions), whatever the number of rules; the gate {@code rule-versions} holds the last
 * version of each rule id.
 *
 * @param path the savepoint directory
 * @param bytesOnDisk all files of the directory
 * @param perOperator state bytes per operator uid (or operator id where no uid is known), largest
 *     first; operators without state are left out
 */
record SavepointStats(Path path, long bytesOnDisk, Map<String, Long> perOperator) {

    static SavepointStats of(String savepointPointer) throws IOException {
        Path dir =
                savepointPointer.startsWith("file:")
                        ? Path.of(URI.create(savepointPointer))
                        : Path.of(savepointPointer);
        long bytes;
        try (Stream<Path> files = Files.walk(dir)) {
            bytes =
                    files.filter(Files::isRegularFile)
                            .mapToLong(
                                    p -> {
                                        try {
                                            return Files.size(p);
                                        } catch (IOException e) {
                                            return 0L;
                                        }
                                    })
                            .sum();
        }
        Map<OperatorID, String> names = new HashMap<>();
        for (String uid : knownUids()) {
            names.put(new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)), uid);
        }
        List<Map.Entry<String, Long>> sizes = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve("_metadata"));
                DataInputStream data = new DataInputStream(in)) {
            CheckpointMetadata metadata =
                    Checkpoints.loadCheckpointMetadata(
                            data, SavepointStats.class.getClassLoader(), dir.toString());
            for (OperatorState op : metadata.getOperatorStates()) {
                long size = op.getStateSize();
                if (size == 0) {
                    continue;
                }
                String name =
                        op.getOperatorUid()
                                .orElseGet(
                                        () ->
                                                names.getOrDefault(
                                                        op.getOperatorID(),
                                                        op.getOperatorName()
                                                                .orElse(
                                                                        op.getOperatorID()
                                                                                .toString())));
                sizes.add(Map.entry(name, size));
            }
        }
        sizes.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> perOperator = new LinkedHashMap<>();
        sizes.forEach(e -> perOperator.merge(e.getKey(), e.getValue(), Long::sum));
        return new SavepointStats(dir, bytes, perOperator);
    }

    /** The uids DetectionJob gives its stateful operators. */
    private static List<String> knownUids() {
        List<String> uids =
                List.of(
                        "kafka-source",
                        "split-dead-letters",
                        DetectionGraph.ENGINE_UID,
                        "alert-gate",
                        "shadow-alert-gate",
                        "alert-sink",
                        "shadow-alert-sink",
                        "dead-letter-sink",
                        "late-event-sink",
                        "rules-source",
                        "event-time-to-rule-gate",
                        "rule-versions",
                        "rule-record-dead-letters",
                        "rules-applied-sink");
        List<String> withSinkParts = new ArrayList<>(uids);
        for (String uid : uids) {
            if (uid.endsWith("-sink")) {
                // Sink V2 topologies derive their operators' uids from the sink's.
                withSinkParts.add(uid + ": Writer");
                withSinkParts.add(uid + ": Committer");
            }
        }
        return withSinkParts;
    }
}
