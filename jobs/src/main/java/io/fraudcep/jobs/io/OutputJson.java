package io.fraudcep.jobs.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.model.EventTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** JSON of the side outputs: dead letters. */
public final class OutputJson {

    private static final JsonFactory JSON = new JsonFactory();

    private OutputJson() {}

    /** A dead letter as one JSON object, stamped with the wall-clock time it was written. */
    public static byte[] deadLetter(DeadLetter d, Instant writtenAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + d.payload().length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", d.reason().name());
            g.writeStringField("detail", d.detail());
            g.writeStringField("topic", d.topic());
            g.writeNumberField("partition", d.partition());
            g.writeNumberField("offset", d.offset());
            g.writeStringField("payload", d.payload());
            g.writeNumberField("payloadBytes", d.payloadBytes());
            g.writeBooleanField("payloadTruncated", d.truncated());
            g.writeStringField("writtenAt", EventTime.format(writtenAt));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
