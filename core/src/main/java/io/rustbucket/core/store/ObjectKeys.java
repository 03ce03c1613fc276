package io.rustbucket.core.store;

import java.nio.charset.StandardCharsets;

/** The one definition of a valid object key, shared by every backend so a key valid on one is valid on all. */
public final class ObjectKeys {
    /** S3's own limit on key length. */
    public static final int MAX_KEY_BYTES = 1024;

    /** Key order of every listing: unsigned UTF-8 bytes, as S3 sorts. */
    public static final java.util.Comparator<String> ORDER = (a, b) ->
            java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private ObjectKeys() {}

    /**
     * Checks a key: 1..1024 UTF-8 bytes, relative, '/'-separated segments that are neither empty, "." nor "..",
     * and no backslash, NUL or other control characters.
     *
     * @throws InvalidKeyException naming the first rule broken
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException(String.valueOf(key), "empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidKeyException(key, "longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.startsWith("/")) {
            throw new InvalidKeyException(key, "absolute");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidKeyException(key, "control character");
            }
            if (c == '\\') {
                throw new InvalidKeyException(key, "backslash");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidKeyException(key, "empty, '.' or '..' path segment");
            }
        }
        return key;
    }

    /** Validates a listing prefix: empty is allowed, otherwise the same characters as a key; may end in '/'. */
    public static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        validate(prefix.endsWith("/") ? prefix + "x" : prefix);
        return prefix;
    }

    /** Renders a key for an error message with control characters made visible. */
    static String printable(String key) {
        StringBuilder b = new StringBuilder("\"");
        key.codePoints().limit(200).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('"').toString();
    }
}
