package io.rustbucket.bucketchat.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The canonical bytes that Bucket Chat signs and hashes, identical to what the Python client produces with
 * {@code json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)}: keys sorted by code point
 * at every level, no whitespace, short escapes for {@code " \ \n \r \t \b \f}, a six-character escape (backslash,
 * u, four hex digits) for other control characters and for every character above U+007E, hex in lower case and
 * characters above U+FFFF as their surrogate pair, and
 * integers as plain digits. Floats have no canonical form here and are refused.
 */
public final class CanonicalJson {
    /** Key order of Python's {@code sort_keys}: by Unicode code point, not by UTF-16 unit as String.compareTo. */
    public static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /**
     * Writes a JSON value canonically.
     *
     * @throws NonCanonicalException when the value holds a float (or another type JSON events cannot carry)
     */
    public static byte[] bytes(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out, "");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Same as {@link #bytes} as a string (pure ASCII). */
    public static String string(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out, "");
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, String path) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
                node.properties().forEach(fields::add);
                fields.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
                out.append('{');
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(fields.get(i).getKey(), out);
                    out.append(':');
                    write(
                            fields.get(i).getValue(),
                            out,
                            path + "." + fields.get(i).getKey());
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out, path + "[" + i + "]");
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw new NonCanonicalException("float at " + (path.isEmpty() ? "top level" : path.substring(1))
                            + ": events carry integers only");
                }
                out.append(node.bigIntegerValue().toString());
            }
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new NonCanonicalException("unsupported JSON value " + node.getNodeType() + " at " + path);
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        // UTF-16 units: characters above U+FFFF come out as their surrogate pair, as in Python.
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
