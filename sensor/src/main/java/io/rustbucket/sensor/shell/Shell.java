package io.rustbucket.sensor.shell;

import io.rustbucket.sensor.respond.Answer;
import io.rustbucket.sensor.shell.CommandLine.Link;
import io.rustbucket.sensor.shell.CommandLine.Redirect;
import io.rustbucket.sensor.shell.CommandLine.Simple;
import io.rustbucket.sensor.shell.FakeFileSystem.Dir;
import io.rustbucket.sensor.shell.FakeFileSystem.File;
import io.rustbucket.sensor.shell.FakeFileSystem.Node;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bash-like shell over a {@link FakeMachine} for one session (Telnet or SSH): the commands bots run most,
 * with {@code ; && || |}, redirections, quotes, variables and {@code $(...)}. What it cannot emulate goes to the
 * {@link Unknown} hook (the responder: cache, LLM, fallback). It executes nothing: downloads are recorded, not
 * fetched, and "running" a file prints what a real one plausibly would.
 */
public final class Shell {
    /** Answers a command the emulator does not know; {@code fallback} is what bash itself would print. */
    @FunctionalInterface
    public interface Unknown {
        Answer answer(String command, String fallback);
    }

    /**
     * What one line produced.
     *
     * @param responder the least "emulated" source used on the line (llm > cache > fallback > emulator)
     * @param urls what wget/curl/tftp were asked to fetch
     * @param status the exit status of the line's last command ({@code $?})
     */
    public record Result(byte[] output, String responder, List<String> urls, boolean exit, int status) {
        public String text() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    static final int MAX_HISTORY = 500;
    static final int MAX_SUBSTITUTION_DEPTH = 3;
    static final int MAX_COMMANDS_PER_LINE = 200;
    static final int MAX_OUTPUT_BYTES = 256 * 1024;
    static final int MAX_RESPONDER_CALLS_PER_LINE = 3;

    final FakeMachine machine;
    final FakeFileSystem fs;
    final String user;
    final String home;
    final String sourceIp;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String> history = new ArrayList<>();
    String cwd;
    int status;
    private Unknown unknown;
    private String responder;
    private List<String> urls;
    private boolean exit;
    private int depth;
    private int askedThisLine;

    public Shell(FakeMachine machine, FakeFileSystem sessionFs, String user, String sourceIp) {
        this.machine = machine;
        this.fs = sessionFs;
        this.user = user;
        this.home = user.equals("root") ? "/root" : "/home/" + user;
        this.sourceIp = sourceIp;
        this.cwd = fs.dir(home).isPresent() ? home : "/";
        env.put("SHELL", "/bin/bash");
        env.put("PWD", cwd);
        env.put("LOGNAME", user);
        env.put("HOME", home);
        env.put("LANG", "C.UTF-8");
        env.put("USER", user);
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("SSH_CLIENT", sourceIp + " 50022 22");
    }

    /** The prompt bash would show now, e.g. {@code root@ip-172-31-20-5:~# }. */
    public String prompt() {
        String where = cwd.equals(home) ? "~" : cwd.startsWith(home + "/") ? "~" + cwd.substring(home.length()) : cwd;
        return user + "@" + machine.hostname() + ":" + where + (user.equals("root") ? "# " : "$ ");
    }

    /** Runs one input line; never throws for any input. */
    public Result run(String line, Unknown unknownHook) {
        this.unknown = unknownHook;
        this.responder = "emulator";
        this.urls = new ArrayList<>();
        this.exit = false;
        this.askedThisLine = 0;
        String trimmed = line.strip();
        if (!trimmed.isEmpty()) {
            if (history.size() >= MAX_HISTORY) {
                history.remove(0);
            }
            history.add(trimmed);
        }
        byte[] out = execute(trimmed, new byte[0]);
        return new Result(out, responder, List.copyOf(urls), exit, status);
    }

    /** Runs a line with the given stdin, returns what reached the terminal. */
    byte[] execute(String line, byte[] stdin) {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        List<Simple> commands = CommandLine.parse(line);
        byte[] pipe = stdin;
        boolean skip = false;
        int count = 0;
        for (Simple c : commands) {
            if (exit || ++count > MAX_COMMANDS_PER_LINE || terminal.size() > MAX_OUTPUT_BYTES) {
                break;
            }
            if (!skip) {
                Io io = new Io(pipe);
                runSimple(c, io);
                byte[] stdout = applyRedirects(c.redirects(), io.out.toByteArray(), io);
                terminal.writeBytes(io.err.toByteArray());
                if (c.link() == Link.PIPE) {
                    pipe = stdout;
                } else {
                    terminal.writeBytes(stdout);
                    pipe = new byte[0];
                }
            } else if (c.link() != Link.PIPE) {
                pipe = new byte[0];
            }
            skip = switch (c.link()) {
                case AND -> status != 0;
                case OR -> status == 0;
                case PIPE -> skip;
                default -> false;
            };
        }
        byte[] all = terminal.toByteArray();
        return all.length > MAX_OUTPUT_BYTES ? java.util.Arrays.copyOf(all, MAX_OUTPUT_BYTES) : all;
    }

    /** Standard streams of one command. */
    static final class Io {
        final byte[] in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean errToOut;

        Io(byte[] in) {
            this.in = in;
        }

        void print(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void error(String s) {
            err.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        String input() {
            return new String(in, StandardCharsets.UTF_8);
        }
    }

    private byte[] applyRedirects(List<Redirect> redirects, byte[] stdout, Io io) {
        byte[] out = stdout;
        for (Redirect r : redirects) {
            String target = expandWord(r.target());
            switch (r.op()) {
                case ">", ">>", "&>" -> {
                    if (!target.equals("/dev/null")) {
                        String path = FakeFileSystem.resolve(cwd, home, target);
                        fs.write(path, out, r.op().equals(">>"), user, now()).ifPresent(e -> {
                            io.err.reset();
                            io.error("-bash: " + target + ": " + e + "\n");
                            status = 1;
                        });
                    }
                    if (r.op().equals("&>")) {
                        io.err.reset();
                    }
                    out = new byte[0];
                }
                case "2>", "2>>" -> io.err.reset();
                case "2>&1" -> {
                    byte[] merged = new byte[out.length + io.err.size()];
                    System.arraycopy(out, 0, merged, 0, out.length);
                    System.arraycopy(io.err.toByteArray(), 0, merged, out.length, io.err.size());
                    out = merged;
                    io.err.reset();
                }
                default -> {} // "<" was applied when the command read its input
            }
        }
        return out;
    }

    private void runSimple(Simple c, Io io) {
        List<String> args = new ArrayList<>();
        for (String w : c.words()) {
            args.addAll(glob(expandWord(w), w));
        }
        Io effective = io;
        for (Redirect r : c.redirects()) {
            if (r.op().equals("<")) {
                String path = FakeFileSystem.resolve(cwd, home, expandWord(r.target()));
                Optional<Node> n = fs.get(path);
                if (n.isEmpty() || !(n.get() instanceof File f)) {
                    io.error("-bash: " + r.target() + ": No such file or directory\n");
                    status = 1;
                    return;
                }
                effective = new Io(f.bytes());
            }
        }
        // variable assignments before a command (A=1 cmd) or alone (A=1)
        while (!args.isEmpty() && args.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            String a = args.remove(0);
            env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        if (args.isEmpty()) {
            status = 0;
            return;
        }
        Io target = effective;
        status = Commands.run(this, args, target);
        if (target != io) {
            io.out.writeBytes(target.out.toByteArray());
            io.err.writeBytes(target.err.toByteArray());
        }
    }

    /** Hands an unknown command to the responder and notes the answer's source. */
    int unknownCommand(String command, String fallback, Io io) {
        // at most MAX_RESPONDER_CALLS_PER_LINE per input line reach the responder: a script of garbage cannot
        // turn one line into a hundred model calls
        boolean ask = unknown != null && askedThisLine++ < MAX_RESPONDER_CALLS_PER_LINE;
        Answer a = ask ? unknown.answer(command, fallback) : new Answer(fallback, "fallback");
        String text = a.text().isEmpty() || a.text().endsWith("\n") ? a.text() : a.text() + "\n";
        if (a.source().equals("fallback")) {
            io.error(text);
        } else {
            io.print(text);
        }
        noteSource(a.source());
        return a.source().equals("fallback") ? 127 : 0;
    }

    private void noteSource(String source) {
        List<String> rank = List.of("emulator", "fallback", "cache", "llm");
        if (rank.indexOf(source) > rank.indexOf(responder)) {
            responder = source;
        }
    }

    void recordUrl(String url) {
        if (urls.size() < 50) {
            urls.add(url);
        }
    }

    void exit() {
        exit = true;
    }

    /** Runs a nested line ({@code sh -c}, {@code $(...)}, a piped script); depth-limited. */
    byte[] nested(String line, byte[] stdin) {
        if (depth >= MAX_SUBSTITUTION_DEPTH) {
            return new byte[0];
        }
        depth++;
        try {
            return execute(line, stdin);
        } finally {
            depth--;
        }
    }

    Instant now() {
        return machine.clock().instant();
    }

    String path(String arg) {
        return FakeFileSystem.resolve(cwd, home, arg);
    }

    /** Quote removal, backslash escapes, {@code $VAR ${VAR} $? $$} and command substitution. */
    String expandWord(String raw) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        boolean inDouble = false;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\'' && !inDouble) {
                int end = CommandLine.closing(raw, i, '\'');
                out.append(raw, i + 1, contentEnd(raw, i, end, '\''));
                i = end;
            } else if (c == '"') {
                inDouble = !inDouble;
                i++;
            } else if (c == '\\' && i + 1 < raw.length()) {
                out.append(raw.charAt(i + 1));
                i += 2;
            } else if (c == '`') {
                int end = CommandLine.closing(raw, i, '`');
                String inner = raw.substring(i + 1, contentEnd(raw, i, end, '`'));
                out.append(substitution(inner));
                i = end;
            } else if (c == '$' && i + 1 < raw.length()) {
                char next = raw.charAt(i + 1);
                if (next == '(') {
                    int end = CommandLine.closingParen(raw, i + 1);
                    out.append(substitution(raw.substring(i + 2, Math.max(i + 2, end - 1))));
                    i = end;
                } else if (next == '?') {
                    out.append(status);
                    i += 2;
                } else if (next == '$') {
                    out.append(1000 + Math.abs(sourceIp.hashCode() % 30000));
                    i += 2;
                } else if (next == '{') {
                    int end = raw.indexOf('}', i);
                    end = end < 0 ? raw.length() : end;
                    out.append(env.getOrDefault(raw.substring(i + 2, end), ""));
                    i = Math.min(raw.length(), end + 1);
                } else if (Character.isLetter(next) || next == '_') {
                    int j = i + 1;
                    while (j < raw.length() && (Character.isLetterOrDigit(raw.charAt(j)) || raw.charAt(j) == '_')) {
                        j++;
                    }
                    out.append(env.getOrDefault(raw.substring(i + 1, j), ""));
                    i = j;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the quoted text opened at {@code start} ends: before its closing quote, or at the line's end. */
    private static int contentEnd(String raw, int start, int end, char quote) {
        return end - 1 > start && raw.charAt(end - 1) == quote ? end - 1 : end;
    }

    private String substitution(String inner) {
        String s = new String(nested(inner, new byte[0]), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+$", "").replace('\n', ' ');
    }

    /** Expands an unquoted {@code *} in the last path segment against the session's files. */
    private List<String> glob(String expanded, String raw) {
        if (!raw.contains("*") || raw.contains("'") || raw.contains("\"")) {
            return List.of(expanded);
        }
        String dirPart = expanded.contains("/") ? expanded.substring(0, expanded.lastIndexOf('/') + 1) : "";
        String pattern = expanded.substring(dirPart.length());
        Optional<Dir> d = fs.dir(path(dirPart.isEmpty() ? "." : dirPart));
        if (d.isEmpty()) {
            return List.of(expanded);
        }
        String regex = java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        List<String> hits = d.get().children().keySet().stream()
                .filter(name -> !name.startsWith(".") && name.matches(regex))
                .map(name -> dirPart + name)
                .toList();
        return hits.isEmpty() ? List.of(expanded) : hits;
    }
}
