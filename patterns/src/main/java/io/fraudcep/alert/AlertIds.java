package io.fraudcep.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Deterministic alert ids: a SHA-256 over the pattern id, the user id and the matched ids. */
public final class AlertIds {

    private AlertIds() {}

    /**
     * The id of the alert of {@code patternId} for {@code userId} on the matched {@code eventIds}:
     * 32 hex digits (128 bits of SHA-256), the same for the same inputs in any run.
     */
    public static String of(String patternId, String userId, List<String> eventIds) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
        update(sha, patternId);
        update(sha, userId);
        for (String id : eventIds) {
            update(sha, id);
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so ("ab","c") and ("a","bc") differ.
        sha.update((byte) (bytes.length >>> 24));
        sha.update((byte) (bytes.length >>> 16));
        sha.update((byte) (bytes.length >>> 8));
        sha.update((byte) bytes.length);
        sha.update(bytes);
    }
}
