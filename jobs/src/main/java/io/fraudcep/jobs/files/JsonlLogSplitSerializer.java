package io.fraudcep.jobs.files;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of {@link JsonlLogSplit}: files and line counts. */
public final class JsonlLogSplitSerializer implements SimpleVersionedSerializer<JsonlLogSplit> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(JsonlLogSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            long[] lines = split.linesEmitted();
            out.writeInt(split.files().size());
            for (int i = 0; i < lines.length; i++) {
                out.writeUTF(split.files().get(i).topic());
                out.writeUTF(split.files().get(i).path());
                out.writeLong(lines[i]);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public JsonlLogSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown JsonlLogSplit version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            List<LogFile> files = new ArrayList<>(n);
            long[] lines = new long[n];
            for (int i = 0; i < n; i++) {
                files.add(new LogFile(in.readUTF(), in.readUTF()));
                lines[i] = in.readLong();
            }
            return new JsonlLogSplit(files, lines);
        }
    }
}
