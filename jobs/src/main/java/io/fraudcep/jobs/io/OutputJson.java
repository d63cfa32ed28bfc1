package io.fraudcep.jobs.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertJson;
import io.fraudcep.model.EventTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** JSON of the outputs beside alerts.md's alerts: shadow alerts and dead letters. */
public final class OutputJson {

    private static final JsonFactory JSON = new JsonFactory();

    private static final byte[] SHADOW_MODE =
            ",\"mode\":\"shadow\"}".getBytes(StandardCharsets.UTF_8);

    private OutputJson() {}

    /**
     * A shadow rule's alert (rules.md): the JSON object of alerts.md, {@code emittedAt} set to the
     * given wall-clock instant, plus {@code "mode": "shadow"} as its last field.
     */
    public static byte[] shadowAlert(Alert a, Instant emittedAt) {
        byte[] alert = AlertJson.toJsonBytes(a, emittedAt);
        // alerts.md's object ends with its closing brace: the field goes just before it.
        byte[] out = Arrays.copyOf(alert, alert.length - 1 + SHADOW_MODE.length);
        System.arraycopy(SHADOW_MODE, 0, out, alert.length - 1, SHADOW_MODE.length);
        return out;
    }

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
