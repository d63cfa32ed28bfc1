package io.fraudcep.jobs.io;

import io.fraudcep.model.RejectReason;

/**
 * A record of the log that could not be accepted, with why and where it came from. Written as JSON
 * to the dead-letter topic (or file); the payload is kept up to {@link #MAX_PAYLOAD_CHARS}.
 *
 * @param reason the reject reason
 * @param detail a sentence naming the field at fault
 * @param topic the source topic (or, for files, the topic the file stands for)
 * @param partition the source partition (0 for files)
 * @param offset the source offset (for files, the 0-based line number)
 * @param payload the raw value as UTF-8 text, truncated to {@link #MAX_PAYLOAD_CHARS}
 * @param payloadBytes the raw value's size in bytes
 * @param truncated whether {@code payload} was cut
 */
public record DeadLetter(
        RejectReason reason,
        String detail,
        String topic,
        int partition,
        long offset,
        String payload,
        int payloadBytes,
        boolean truncated) {

    public static final int MAX_PAYLOAD_CHARS = 4096;

    /** A dead letter for a raw value, cutting the payload to the bound. */
    public static DeadLetter of(
            RejectReason reason,
            String detail,
            String topic,
            int partition,
            long offset,
            byte[] raw) {
        String text = raw == null ? "" : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
        boolean cut = text.length() > MAX_PAYLOAD_CHARS;
        return new DeadLetter(
                reason,
                detail,
                topic,
                partition,
                offset,
                cut ? text.substring(0, MAX_PAYLOAD_CHARS) : text,
                raw == null ? 0 : raw.length,
                cut);
    }
}
