package io.fraudcep.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.model.EventTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes alerts in the JSON format of alerts.md. */
public final class AlertJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {}

    /** The alert as one JSON object, {@code emittedAt} set to the given wall-clock instant. */
    public static byte[] toJsonBytes(Alert a, Instant emittedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", Alert.SCHEMA_VERSION);
            g.writeStringField("alertId", a.alertId());
            g.writeStringField("patternId", a.patternId());
            g.writeStringField("patternVersion", a.patternVersion());
            g.writeStringField("severity", a.severity().name());
            g.writeStringField("userId", a.userId());
            g.writeStringField("windowStart", EventTime.format(a.windowStart()));
            g.writeStringField("detectedAt", EventTime.format(a.detectedAt()));
            g.writeArrayFieldStart("eventIds");
            for (String id : a.eventIds()) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeStringField("summary", a.summary());
            g.writeObjectFieldStart("evidence");
            for (Fact f : a.evidence()) {
                writeFact(g, f);
            }
            g.writeEndObject();
            g.writeStringField("emittedAt", EventTime.format(emittedAt));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJson(Alert a, Instant emittedAt) {
        return new String(toJsonBytes(a, emittedAt), StandardCharsets.UTF_8);
    }

    private static void writeFact(JsonGenerator g, Fact f) throws IOException {
        g.writeFieldName(f.name());
        switch (f.type()) {
            case DECIMAL:
            case INTEGER:
                // The exact decimal text: money never passes through binary floating point.
                g.writeNumber(f.value());
                break;
            case BOOLEAN:
                g.writeBoolean(Boolean.parseBoolean(f.value()));
                break;
            case STRING_LIST:
                g.writeStartArray();
                if (!f.value().isEmpty()) {
                    for (String item : f.value().split(String.valueOf(Fact.LIST_SEPARATOR), -1)) {
                        g.writeString(item);
                    }
                }
                g.writeEndArray();
                break;
            default:
                g.writeString(f.value());
        }
    }
}
