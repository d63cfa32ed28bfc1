package io.fraudcep.sampledata.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.model.Money;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes one event as a JSON line of events.md, with the timestamp's fraction written with a chosen
 * number of digits (0 to 9, never fewer than the instant needs), so a dense log mixes {@code
 * ...:05Z}, {@code ...:05.5Z}, {@code ...:05.000Z} and nanosecond forms. Amounts are decimal
 * strings with two fraction digits.
 */
final class WireFormat {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private WireFormat() {}

    /** The fewest fraction digits that write this instant exactly. */
    static int neededDigits(Instant t) {
        int nanos = t.getNano();
        if (nanos == 0) {
            return 0;
        }
        int digits = 9;
        while (nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        return digits;
    }

    /** A random digit count for the instant: mostly the usual 0, 3, 6 or 9, never too few. */
    static int chooseDigits(Instant t, SplittableRandom rnd) {
        int needed = neededDigits(t);
        int r = rnd.nextInt(100);
        if (r < 10) {
            return needed;
        }
        if (r < 20) {
            return 9;
        }
        int usual = needed == 0 ? (rnd.nextBoolean() ? 0 : 3) : ((needed + 2) / 3) * 3;
        return usual;
    }

    /** The instant as ISO-8601 UTC with exactly {@code digits} fraction digits. */
    static String timestamp(Instant t, int digits) {
        if (digits < neededDigits(t) || digits > 9) {
            throw new IllegalArgumentException(digits + " fraction digits cannot write " + t);
        }
        String base = SECONDS.format(t);
        if (digits == 0) {
            return base + "Z";
        }
        String nanos = Integer.toString(1_000_000_000 + t.getNano()).substring(1);
        return base + "." + nanos.substring(0, digits) + "Z";
    }

    /** One JSON line (without the newline): fields of the event's family in contract order. */
    static String line(UserEvent e, int fractionDigits) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("userId", e.userId());
            g.writeStringField("type", e.type().name());
            g.writeStringField("timestamp", timestamp(e.timestamp(), fractionDigits));
            optional(g, "deviceId", e.deviceId());
            optional(g, "ip", e.ip());
            optional(g, "country", e.country());
            if (e.lat() != null && e.lon() != null) {
                g.writeNumberField("lat", e.lat());
                g.writeNumberField("lon", e.lon());
            }
            optional(g, "channel", e.channel());
            if (e.amountCents() != null) {
                g.writeStringField("amount", Money.format(e.amountCents()));
            }
            optional(g, "currency", e.currency());
            optional(g, "counterpartyId", e.counterpartyId());
            optional(g, "cardId", e.cardId());
            optional(g, "merchantId", e.merchantId());
            optional(g, "mcc", e.mcc());
            optional(g, "payeeId", e.payeeId());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
