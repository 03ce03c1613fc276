package io.rustbucket.sensor.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into simple commands joined by {@code ; && || | &}, keeping each word raw (quotes and
 * {@code $} intact) so variables are expanded when the command runs, after earlier commands of the same line
 * had their effect. Quotes, backslashes, {@code $(...)} and back-quotes are respected while splitting.
 */
final class CommandLine {
    /** How a simple command is joined to the next one. */
    enum Link {
        END,
        SEQ, // ;  &  newline
        AND, // &&
        OR, // ||
        PIPE // |
    }

    /** A redirection: {@code op} is one of {@code > >> < 2> 2>> &> 2>&1}. */
    record Redirect(String op, String target) {}

    /** @param words raw words; the first is the command name */
    record Simple(List<String> words, List<Redirect> redirects, Link link) {}

    private CommandLine() {}

    static List<Simple> parse(String line) {
        List<Simple> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        String pendingRedirect = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char ch = line.charAt(i);
            if (ch == '#' && w.length() == 0) { // a comment runs to the end of its line
                int nl = line.indexOf('\n', i);
                i = nl < 0 ? n : nl;
                continue;
            }
            if (ch == '\'' || ch == '"' || ch == '`') {
                int end = closing(line, i, ch);
                w.append(line, i, end);
                i = end;
                continue;
            }
            if (ch == '\\' && i + 1 < n) {
                w.append(line, i, i + 2);
                i += 2;
                continue;
            }
            if (ch == '$' && i + 1 < n && line.charAt(i + 1) == '(') {
                int end = closingParen(line, i + 1);
                w.append(line, i, end);
                i = end;
                continue;
            }
            boolean space = ch == ' ' || ch == '\t';
            String op = operatorAt(line, i, w.length() == 0);
            if (space || op != null) {
                if (w.length() > 0) {
                    if (pendingRedirect != null) {
                        redirects.add(new Redirect(pendingRedirect, w.toString()));
                        pendingRedirect = null;
                    } else {
                        words.add(w.toString());
                    }
                    w.setLength(0);
                }
                if (space) {
                    i++;
                    continue;
                }
                i += op.length();
                Link link = switch (op) {
                    case ";", "&", "\n" -> Link.SEQ;
                    case "&&" -> Link.AND;
                    case "||" -> Link.OR;
                    case "|" -> Link.PIPE;
                    default -> null;
                };
                if (link == null) {
                    if (op.equals("2>&1")) {
                        redirects.add(new Redirect(op, ""));
                    } else {
                        pendingRedirect = op;
                    }
                    continue;
                }
                if (!words.isEmpty() || !redirects.isEmpty()) {
                    out.add(new Simple(List.copyOf(words), List.copyOf(redirects), link));
                }
                words.clear();
                redirects.clear();
                pendingRedirect = null;
                continue;
            }
            w.append(ch);
            i++;
        }
        if (w.length() > 0) {
            if (pendingRedirect != null) {
                redirects.add(new Redirect(pendingRedirect, w.toString()));
            } else {
                words.add(w.toString());
            }
        }
        if (!words.isEmpty() || !redirects.isEmpty()) {
            out.add(new Simple(List.copyOf(words), List.copyOf(redirects), Link.END));
        }
        return out;
    }

    private static String operatorAt(String s, int i, boolean wordStart) {
        for (String op : new String[] {"2>&1", "2>>", "&&", "||", ">>", "&>", "2>", ";", "&", "|", ">", "<", "\n"}) {
            if (s.startsWith(op, i)) {
                // "2>" is a redirection only at the start of a word: "a2>b" is "a2" > "b"
                if (op.startsWith("2") && !wordStart) {
                    continue;
                }
                return op;
            }
        }
        return null;
    }

    /** Index just past the quote closing the one at {@code start}; the line's end when unterminated. */
    static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** Index just past the parenthesis closing the one at {@code open}. */
    static int closingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = closing(s, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }
}
