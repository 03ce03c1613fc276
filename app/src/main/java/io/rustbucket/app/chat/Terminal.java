package io.rustbucket.app.chat;

/**
 * Makes other people's text safe to print on a terminal: control characters (ANSI escape sequences, carriage
 * returns that overwrite lines) and bidirectional overrides become visible escapes instead of acting.
 */
final class Terminal {
    private Terminal() {}

    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
            boolean bidi =
                    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f;
            if (control || bidi) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
