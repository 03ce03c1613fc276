package io.rustbucket.sensor.shell;

import io.rustbucket.sensor.shell.FakeFileSystem.Dir;
import io.rustbucket.sensor.shell.FakeFileSystem.File;
import io.rustbucket.sensor.shell.FakeFileSystem.Node;
import io.rustbucket.sensor.shell.Shell.Io;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The emulated commands. Each takes its words and streams and returns the exit status, as a process would. */
final class Commands {
    private Commands() {}

    /** Where {@code which} and the shell find programs. */
    static final List<String> PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** Probes bots send to router shells that a Linux server does not have: answered as bash does, no LLM. */
    static final Set<String> NOT_INSTALLED = Set.of(
            "system",
            "shell",
            "linuxshell",
            "sh2",
            "ftpget",
            "tftpd", // router-shell probes
            "docker",
            "kubectl",
            "podman",
            "gcc",
            "cc",
            "make",
            "go",
            "java",
            "node",
            "php",
            "ruby",
            "nvidia-smi"); // not on a plain server

    static final String BUSYBOX_BANNER = "BusyBox v1.30.1 (Ubuntu 1:1.30.1-7ubuntu3) multi-call binary.\n";

    static final List<String> BASH_BUILTINS = List.of(
            ".",
            ":",
            "[",
            "alias",
            "bg",
            "bind",
            "break",
            "builtin",
            "caller",
            "cd",
            "command",
            "compgen",
            "complete",
            "compopt",
            "continue",
            "declare",
            "dirs",
            "disown",
            "echo",
            "enable",
            "eval",
            "exec",
            "exit",
            "export",
            "false",
            "fc",
            "fg",
            "getopts",
            "hash",
            "help",
            "history",
            "jobs",
            "kill",
            "let",
            "local",
            "logout",
            "mapfile",
            "popd",
            "printf",
            "pushd",
            "pwd",
            "read",
            "readarray",
            "readonly",
            "return",
            "set",
            "shift",
            "shopt",
            "source",
            "suspend",
            "test",
            "times",
            "trap",
            "true",
            "type",
            "typeset",
            "ulimit",
            "umask",
            "unalias",
            "unset",
            "wait");

    private static final DateTimeFormatter LS_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT);
    private static final DateTimeFormatter LS_OLD = DateTimeFormatter.ofPattern("MMM d  yyyy", Locale.ROOT);

    static int run(Shell sh, List<String> args, Io io) {
        String name = args.get(0);
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        List<String> a = args.subList(1, args.size());
        if (name.contains("/") && !base.equals("busybox")) {
            return runFile(sh, name, io);
        }
        return switch (base) {
            case "cd" -> cd(sh, a, io);
            case "pwd" -> out(io, sh.cwd + "\n");
            case "whoami" -> out(io, sh.user + "\n");
            case "id" -> out(io, id(sh.user) + "\n");
            case "hostname" -> out(io, sh.machine.hostname() + "\n");
            case "uname" -> uname(sh, a, io);
            case "echo" -> echo(a, io);
            case "printf" ->
                out(io, a.isEmpty() ? "" : unescape(a.get(0)).replace("%s", String.join(" ", a.subList(1, a.size()))));
            case "cat" -> cat(sh, a, io);
            case "ls", "dir" -> Listing.ls(sh, a, io);
            case "ll" -> Listing.ls(sh, concat(List.of("-alF"), a), io);
            case "ps" -> out(io, Processes.ps(sh, a));
            case "w" -> out(io, Processes.w(sh));
            case "uptime" -> out(io, Processes.uptimeLine(sh) + "\n");
            case "free" -> out(io, Processes.free(sh, a));
            case "df" -> out(io, Processes.df(a));
            case "ifconfig" -> out(io, Processes.ifconfig(sh.machine));
            case "ip" -> out(io, Processes.ip(sh.machine, a));
            case "nproc" -> out(io, sh.machine.cpus() + "\n");
            case "lscpu" -> out(io, Processes.lscpu(sh.machine));
            case "history" -> history(sh, io);
            case "export", "declare" -> export(sh, a, io);
            case "env", "printenv" -> env(sh, io);
            case "unset" -> {
                a.forEach(sh.env::remove);
                yield 0;
            }
            case "which" -> which(sh, a, io);
            case "type" -> type(sh, a, io);
            case "busybox" -> busybox(sh, a, io);
            case "chmod" -> chmod(sh, a, io);
            case "rm" -> rm(sh, a, io);
            case "mkdir" -> mkdir(sh, a, io);
            case "touch" -> touch(sh, a, io);
            case "cp", "mv" -> copy(sh, base, a, io);
            case "wget" -> Downloads.wget(sh, a, io);
            case "curl" -> Downloads.curl(sh, a, io);
            case "tftp" -> Downloads.tftp(sh, a, io);
            case "sh", "bash", "dash" -> shell(sh, a, io);
            case "exit", "logout" -> {
                sh.exit();
                yield 0;
            }
            case "enable" ->
                out(io, BASH_BUILTINS.stream().map(b -> "enable " + b + "\n").collect(Collectors.joining()));
            case "true",
                    ":",
                    "clear",
                    "sleep",
                    "kill",
                    "pkill",
                    "killall",
                    "ulimit",
                    "chpasswd",
                    "sync",
                    "history-c",
                    "cd-",
                    "setenforce",
                    "service",
                    "systemctl",
                    "iptables",
                    "ufw",
                    "chattr",
                    "umask",
                    "disown" -> 0;
            case "false" -> 1;
            case "sudo" -> sudo(sh, a, io);
            case "awk" -> Text.awk(sh, a, io);
            case "top" -> out(io, Processes.top(sh));
            case "ss", "netstat" -> out(io, Processes.sockets(sh.machine, base));
            case "last" -> out(io, Processes.last(sh));
            case "nohup", "exec", "command", "time", "nice" -> a.isEmpty() ? 0 : run(sh, new ArrayList<>(a), io);
            case "grep", "egrep" -> Text.grep(sh, a, io);
            case "wc" -> Text.wc(sh, a, io);
            case "head" -> Text.headTail(sh, a, io, true);
            case "tail" -> Text.headTail(sh, a, io, false);
            case "date" ->
                out(
                        io,
                        DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT)
                                        .format(sh.now().atZone(ZoneOffset.UTC))
                                + "\n");
            case "crontab" -> {
                io.error("no crontab for " + sh.user + "\n");
                yield 1;
            }
            default ->
                NOT_INSTALLED.contains(base)
                        ? err(io, "-bash: " + base + ": command not found\n", 127)
                        : sh.unknownCommand(String.join(" ", args), "-bash: " + base + ": command not found\n", io);
        };
    }

    private static int sudo(Shell sh, List<String> a, Io io) {
        int i = 0;
        while (i < a.size() && a.get(i).startsWith("-")) {
            if (a.get(i).equals("-l")) {
                return out(
                        io,
                        "Matching Defaults entries for " + sh.user + " on " + sh.machine.hostname() + ":\n"
                                + "    env_reset, mail_badpass,\n    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin\\:/snap/bin,"
                                + " use_pty\n\nUser " + sh.user + " may run the following commands on "
                                + sh.machine.hostname()
                                + ":\n    (ALL : ALL) ALL\n");
            }
            i += a.get(i).equals("-u") ? 2 : 1;
        }
        return i >= a.size()
                ? err(io, "usage: sudo -h | -K | -k | -V\n", 1)
                : run(sh, new ArrayList<>(a.subList(i, a.size())), io);
    }

    static int out(Io io, String s) {
        io.print(s);
        return 0;
    }

    static int err(Io io, String s, int status) {
        io.error(s);
        return status;
    }

    static String id(String user) {
        return user.equals("root")
                ? "uid=0(root) gid=0(root) groups=0(root)"
                : "uid=1000(" + user + ") gid=1000(" + user + ") groups=1000(" + user + "),4(adm),27(sudo)";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int cd(Shell sh, List<String> a, Io io) {
        String target = a.isEmpty() ? sh.home : a.get(0).equals("-") ? sh.env.getOrDefault("OLDPWD", sh.cwd) : a.get(0);
        String p = sh.path(target);
        Optional<Node> n = sh.fs.get(p);
        if (n.isEmpty()) {
            return err(io, "-bash: cd: " + target + ": No such file or directory\n", 1);
        }
        if (!(n.get() instanceof Dir)) {
            return err(io, "-bash: cd: " + target + ": Not a directory\n", 1);
        }
        sh.env.put("OLDPWD", sh.cwd);
        sh.cwd = p;
        sh.env.put("PWD", p);
        return 0;
    }

    private static int uname(Shell sh, List<String> a, Io io) {
        FakeMachine m = sh.machine;
        String version = "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023";
        if (a.isEmpty()) {
            return out(io, "Linux\n");
        }
        List<String> parts = new ArrayList<>();
        String flags = String.join("", a).replace("-", "");
        if (a.contains("--all") || flags.contains("a")) {
            return out(
                    io,
                    "Linux " + m.hostname() + " " + m.kernel() + " " + version + " x86_64 x86_64 x86_64 GNU/Linux\n");
        }
        for (char f : flags.toCharArray()) {
            switch (f) {
                case 's' -> parts.add("Linux");
                case 'n' -> parts.add(m.hostname());
                case 'r' -> parts.add(m.kernel());
                case 'v' -> parts.add(version);
                case 'm', 'p', 'i' -> parts.add("x86_64");
                case 'o' -> parts.add("GNU/Linux");
                default -> {
                    return err(
                            io, "uname: invalid option -- '" + f + "'\nTry 'uname --help' for more information.\n", 1);
                }
            }
        }
        return out(io, String.join(" ", parts) + "\n");
    }

    private static int echo(List<String> a, Io io) {
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < a.size() && a.get(i).matches("-[neE]+")) {
            newline &= !a.get(i).contains("n");
            escapes |= a.get(i).contains("e");
            i++;
        }
        String text = String.join(" ", a.subList(i, a.size()));
        io.out.writeBytes(escapes ? unescapeBytes(text) : text.getBytes(StandardCharsets.UTF_8));
        if (newline) {
            io.print("\n");
        }
        return 0;
    }

    /** {@code echo -e} / printf escapes, including {@code \xHH} bytes (droppers write binaries this way). */
    static byte[] unescapeBytes(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case 'r' -> out.write('\r');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        int end = Math.min(s.length(), i + 3);
                        int j = i + 1;
                        while (j < end && Character.digit(s.charAt(j), 16) >= 0) {
                            j++;
                        }
                        if (j > i + 1) {
                            out.write(Integer.parseInt(s.substring(i + 1, j), 16));
                            i = j - 1;
                        } else {
                            out.writeBytes("\\x".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    default -> {
                        out.write('\\');
                        out.writeBytes(String.valueOf(n).getBytes(StandardCharsets.UTF_8));
                    }
                }
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static String unescape(String s) {
        return new String(unescapeBytes(s), StandardCharsets.UTF_8);
    }

    private static int cat(Shell sh, List<String> a, Io io) {
        List<String> files =
                a.stream().filter(x -> !x.startsWith("-") || x.equals("-")).toList();
        if (files.isEmpty()) {
            io.out.writeBytes(io.in);
            return 0;
        }
        int status = 0;
        for (String f : files) {
            if (f.equals("-")) {
                io.out.writeBytes(io.in);
                continue;
            }
            Optional<Node> n = sh.fs.get(sh.path(f));
            if (n.isEmpty()) {
                status = err(io, "cat: " + f + ": No such file or directory\n", 1);
            } else if (n.get() instanceof Dir) {
                status = err(io, "cat: " + f + ": Is a directory\n", 1);
            } else {
                io.out.writeBytes(((File) n.get()).bytes());
            }
        }
        return status;
    }

    private static int history(Shell sh, Io io) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sh.history.size(); i++) {
            s.append(String.format(Locale.ROOT, "%5d  %s%n", i + 1, sh.history.get(i)));
        }
        return out(io, s.toString());
    }

    private static int export(Shell sh, List<String> a, Io io) {
        List<String> names = a.stream().filter(x -> !x.startsWith("-")).toList();
        if (names.isEmpty()) {
            StringBuilder s = new StringBuilder();
            sh.env.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> s.append("declare -x ")
                            .append(e.getKey())
                            .append("=\"")
                            .append(e.getValue())
                            .append("\"\n"));
            return out(io, s.toString());
        }
        for (String n : names) {
            int eq = n.indexOf('=');
            if (eq > 0) {
                sh.env.put(n.substring(0, eq), n.substring(eq + 1));
            } else {
                sh.env.putIfAbsent(n, "");
            }
        }
        return 0;
    }

    private static int env(Shell sh, Io io) {
        StringBuilder s = new StringBuilder();
        sh.env.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return out(io, s.toString());
    }

    static Optional<String> locate(Shell sh, String name) {
        for (String dir : PATH) {
            if (sh.fs.get(dir + "/" + name).filter(File.class::isInstance).isPresent()) {
                return Optional.of(dir + "/" + name);
            }
        }
        return Optional.empty();
    }

    private static int which(Shell sh, List<String> a, Io io) {
        int status = 0;
        for (String n : a) {
            Optional<String> p = locate(sh, n);
            if (p.isPresent()) {
                io.print(p.get() + "\n");
            } else {
                status = 1;
            }
        }
        return status;
    }

    private static int type(Shell sh, List<String> a, Io io) {
        int status = 0;
        for (String n : a) {
            if (BASH_BUILTINS.contains(n)) {
                io.print(n + " is a shell builtin\n");
            } else {
                Optional<String> p = locate(sh, n);
                if (p.isPresent()) {
                    io.print(n + " is " + p.get() + "\n");
                } else {
                    status = err(io, "-bash: type: " + n + ": not found\n", 1);
                }
            }
        }
        return status;
    }

    /** BusyBox applets the Ubuntu package has; bots probe with random names to fingerprint the shell. */
    static final Set<String> APPLETS = Set.of(
            "cat",
            "chmod",
            "cp",
            "echo",
            "ls",
            "mkdir",
            "mv",
            "ps",
            "rm",
            "sh",
            "touch",
            "uname",
            "wget",
            "tftp",
            "cd",
            "pwd",
            "id",
            "whoami",
            "hostname",
            "df",
            "free",
            "uptime",
            "ifconfig",
            "ip",
            "grep",
            "wc",
            "head",
            "tail",
            "nproc",
            "kill",
            "sleep",
            "true",
            "false",
            "date",
            "env",
            "which");

    private static int busybox(Shell sh, List<String> a, Io io) {
        if (a.isEmpty() || a.get(0).equals("--help")) {
            return out(
                    io,
                    BUSYBOX_BANNER + "BusyBox is copyrighted by many authors between 1998-2015.\n"
                            + "Licensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\n"
                            + "Usage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n"
                            + "   or: busybox --install [-s] [DIR]\n   or: function [arguments]...\n");
        }
        if (a.get(0).equals("--list")) {
            return out(io, APPLETS.stream().sorted().collect(Collectors.joining("\n")) + "\n");
        }
        if (!APPLETS.contains(a.get(0))) {
            return err(io, a.get(0) + ": applet not found\n", 127);
        }
        return run(sh, new ArrayList<>(a), io);
    }

    private static int chmod(Shell sh, List<String> a, Io io) {
        List<String> rest = a.stream().filter(x -> !x.startsWith("-")).toList();
        if (rest.size() < 2) {
            return err(io, "chmod: missing operand\nTry 'chmod --help' for more information.\n", 1);
        }
        String mode = rest.get(0);
        boolean exec = mode.contains("x") || mode.matches("[0-7]*[1357][0-7]{0,2}") && mode.matches("[0-7]+");
        int status = 0;
        for (String f : rest.subList(1, rest.size())) {
            String p = sh.path(f);
            Optional<Node> n = sh.fs.get(p);
            if (n.isEmpty()) {
                status = err(io, "chmod: cannot access '" + f + "': No such file or directory\n", 1);
            } else if (n.get() instanceof File && exec) {
                sh.fs.chmod(p, "-rwxr-xr-x");
            }
        }
        return status;
    }

    private static int rm(Shell sh, List<String> a, Io io) {
        boolean force = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("f"));
        boolean recursive = a.stream().anyMatch(x -> x.startsWith("-") && (x.contains("r") || x.contains("R")));
        int status = 0;
        for (String f : a.stream().filter(x -> !x.startsWith("-")).toList()) {
            String p = sh.path(f);
            Optional<Node> n = sh.fs.get(p);
            if (n.isEmpty()) {
                if (!force) {
                    status = err(io, "rm: cannot remove '" + f + "': No such file or directory\n", 1);
                }
            } else if (n.get() instanceof Dir && !recursive) {
                status = err(io, "rm: cannot remove '" + f + "': Is a directory\n", 1);
            } else if (p.equals("/")) {
                status = err(
                        io,
                        "rm: it is dangerous to operate recursively on '/'\n"
                                + "rm: use --no-preserve-root to override this failsafe\n",
                        1);
            } else {
                sh.fs.remove(p);
            }
        }
        return status;
    }

    private static int mkdir(Shell sh, List<String> a, Io io) {
        boolean parents = a.contains("-p");
        int status = 0;
        for (String d : a.stream().filter(x -> !x.startsWith("-")).toList()) {
            String p = sh.path(d);
            if (parents) {
                StringBuilder prefix = new StringBuilder();
                for (String part : p.substring(1).split("/")) {
                    prefix.append('/').append(part);
                    if (sh.fs.get(prefix.toString()).isEmpty()) {
                        sh.fs.mkdir(prefix.toString(), sh.user, sh.now());
                    }
                }
                continue;
            }
            Optional<String> e = sh.fs.mkdir(p, sh.user, sh.now());
            if (e.isPresent()) {
                status = err(io, "mkdir: cannot create directory '" + d + "': " + e.get() + "\n", 1);
            }
        }
        return status;
    }

    private static int touch(Shell sh, List<String> a, Io io) {
        int status = 0;
        for (String f : a.stream().filter(x -> !x.startsWith("-")).toList()) {
            String p = sh.path(f);
            if (sh.fs.get(p).isEmpty()) {
                Optional<String> e = sh.fs.write(p, new byte[0], false, sh.user, sh.now());
                if (e.isPresent()) {
                    status = err(io, "touch: cannot touch '" + f + "': " + e.get() + "\n", 1);
                }
            }
        }
        return status;
    }

    private static int copy(Shell sh, String cmd, List<String> a, Io io) {
        List<String> rest = a.stream().filter(x -> !x.startsWith("-")).toList();
        if (rest.size() < 2) {
            return err(io, cmd + ": missing file operand\nTry '" + cmd + " --help' for more information.\n", 1);
        }
        String from = sh.path(rest.get(0));
        String to = sh.path(rest.get(rest.size() - 1));
        Optional<Node> n = sh.fs.get(from);
        if (n.isEmpty()) {
            return err(io, cmd + ": cannot stat '" + rest.get(0) + "': No such file or directory\n", 1);
        }
        if (!(n.get() instanceof File f)) {
            return err(io, cmd + ": -r not specified; omitting directory '" + rest.get(0) + "'\n", 1);
        }
        if (sh.fs.dir(to).isPresent()) {
            to = to + "/" + FakeFileSystem.nameOf(from);
        }
        Optional<String> e = sh.fs.write(to, f.bytes(), false, sh.user, sh.now());
        if (e.isPresent()) {
            return err(
                    io, cmd + ": cannot create regular file '" + rest.get(rest.size() - 1) + "': " + e.get() + "\n", 1);
        }
        if (cmd.equals("mv")) {
            sh.fs.remove(from);
        }
        return 0;
    }

    /** {@code sh -c "..."}, {@code sh script}, or {@code ... | sh} (the script arrives on stdin). */
    private static int shell(Shell sh, List<String> a, Io io) {
        byte[] script;
        if (!a.isEmpty() && a.get(0).equals("-c")) {
            script = (a.size() > 1 ? a.get(1) : "").getBytes(StandardCharsets.UTF_8);
        } else if (!a.isEmpty() && !a.get(0).startsWith("-")) {
            Optional<Node> n = sh.fs.get(sh.path(a.get(0)));
            if (n.isEmpty() || !(n.get() instanceof File f)) {
                return err(io, a.get(0) + ": 0: cannot open " + a.get(0) + ": No such file\n", 2);
            }
            script = f.bytes();
        } else {
            script = io.in;
        }
        if (binary(script)) {
            String name = a.isEmpty() ? "sh" : a.get(0);
            return err(io, name + ": 1: Syntax error: word unexpected (expecting \")\")\n", 2);
        }
        String text = new String(script, StandardCharsets.UTF_8);
        io.out.writeBytes(sh.nested(text.replace("\r", ""), new byte[0]));
        return sh.status;
    }

    /** A NUL byte or the ELF magic: a binary, which a shell refuses to read as a script. */
    static boolean binary(byte[] b) {
        if (b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
            return true;
        }
        for (int i = 0; i < Math.min(b.length, 1024); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Running a file by path: scripts run, binaries we were sent "run" silently, missing ones fail as bash does. */
    private static int runFile(Shell sh, String name, Io io) {
        String p = sh.path(name);
        Optional<Node> n = sh.fs.get(p);
        if (n.isEmpty()) {
            return err(io, "-bash: " + name + ": No such file or directory\n", 127);
        }
        if (n.get() instanceof Dir) {
            return err(io, "-bash: " + name + ": Is a directory\n", 126);
        }
        File f = (File) n.get();
        if (!f.mode().contains("x")) {
            return err(io, "-bash: " + name + ": Permission denied\n", 126);
        }
        byte[] b = f.bytes();
        if (b.length > 2 && b[0] == '#' && b[1] == '!') {
            io.out.writeBytes(sh.nested(new String(b, StandardCharsets.UTF_8).replace("\r", ""), new byte[0]));
            return sh.status;
        }
        String base = FakeFileSystem.nameOf(p);
        if (PATH.contains(FakeFileSystem.parentOf(p))) {
            return run(sh, new ArrayList<>(List.of(base)), io);
        }
        return 0;
    }

    /** {@code ls} and its long format. */
    static final class Listing {
        private Listing() {}

        static int ls(Shell sh, List<String> a, Io io) {
            String flags = a.stream()
                    .filter(x -> x.startsWith("-"))
                    .collect(Collectors.joining())
                    .replace("-", "");
            boolean all = flags.contains("a");
            boolean lng = flags.contains("l");
            List<String> targets = a.stream().filter(x -> !x.startsWith("-")).toList();
            if (targets.isEmpty()) {
                targets = List.of(".");
            }
            int status = 0;
            StringBuilder s = new StringBuilder();
            for (String t : targets) {
                Optional<Node> n = sh.fs.get(sh.path(t));
                if (n.isEmpty()) {
                    status = err(io, "ls: cannot access '" + t + "': No such file or directory\n", 2);
                    continue;
                }
                if (targets.size() > 1 && n.get() instanceof Dir) {
                    s.append(t).append(":\n");
                }
                if (n.get() instanceof Dir d) {
                    List<String> names = new ArrayList<>();
                    if (all) {
                        names.add(".");
                        names.add("..");
                    }
                    d.children().keySet().stream()
                            .filter(x -> all || !x.startsWith("."))
                            .forEach(names::add);
                    if (lng) {
                        long blocks = d.children().values().stream()
                                        .mapToLong(Listing::blocks)
                                        .sum()
                                + (all ? 8 : 0);
                        s.append("total ").append(blocks).append('\n');
                        for (String name : names) {
                            Node child = name.equals(".") || name.equals("..")
                                    ? d
                                    : d.children().get(name);
                            s.append(longLine(sh, name, child)).append('\n');
                        }
                    } else if (!names.isEmpty()) {
                        s.append(String.join("  ", names)).append('\n');
                    }
                } else {
                    s.append(lng ? longLine(sh, t, n.get()) : t).append('\n');
                }
            }
            io.print(s.toString());
            return status;
        }

        static long blocks(Node n) {
            return n instanceof File f ? (f.size() + 4095) / 4096 * 4 : 4;
        }

        static String longLine(Shell sh, String name, Node n) {
            long size = n instanceof File f ? f.size() : 4096;
            int links = n instanceof Dir d
                    ? 2
                            + (int) d.children().values().stream()
                                    .filter(Dir.class::isInstance)
                                    .count()
                    : 1;
            Instant t = n.modified();
            boolean recent = Duration.between(t, sh.now()).toDays() < 180;
            String when = (recent ? LS_TIME : LS_OLD).format(t.atZone(ZoneOffset.UTC));
            return String.format(
                    Locale.ROOT, "%s %2d %-4s %-4s %8d %s %s", n.mode(), links, n.owner(), n.owner(), size, when, name);
        }
    }

    /** {@code grep}, {@code wc}, {@code head}, {@code tail}: fixed-string filters only (no regex: no ReDoS). */
    static final class Text {
        private Text() {}

        private static Optional<String> input(Shell sh, List<String> files, Io io, String cmd) {
            if (files.isEmpty()) {
                return Optional.of(io.input());
            }
            StringBuilder s = new StringBuilder();
            for (String f : files) {
                Optional<Node> n = sh.fs.get(sh.path(f));
                if (n.isEmpty() || !(n.get() instanceof File file)) {
                    io.error(cmd + ": " + f + ": No such file or directory\n");
                    return Optional.empty();
                }
                s.append(new String(file.bytes(), StandardCharsets.UTF_8));
            }
            return Optional.of(s.toString());
        }

        static int grep(Shell sh, List<String> a, Io io) {
            List<String> opts = a.stream().filter(x -> x.startsWith("-")).toList();
            List<String> rest = a.stream().filter(x -> !x.startsWith("-")).toList();
            if (rest.isEmpty()) {
                return err(
                        io, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2);
            }
            String flags = String.join("", opts);
            boolean ignoreCase = flags.contains("i");
            boolean invert = flags.contains("v");
            boolean count = flags.contains("c");
            String pattern = ignoreCase ? rest.get(0).toLowerCase(Locale.ROOT) : rest.get(0);
            Optional<String> text = input(sh, rest.subList(1, rest.size()), io, "grep");
            if (text.isEmpty()) {
                return 2;
            }
            List<String> hits = text.get()
                    .lines()
                    .filter(l -> (ignoreCase ? l.toLowerCase(Locale.ROOT) : l).contains(pattern) != invert)
                    .toList();
            io.print(
                    count
                            ? hits.size() + "\n"
                            : hits.stream().map(l -> l + "\n").collect(Collectors.joining()));
            return hits.isEmpty() ? 1 : 0;
        }

        /**
         * The awk programs bots pipe recon through: {@code [NR|FNR == N] {print $i, ...}} with {@code -F}. Anything
         * else is a syntax error, as a real awk would give for a program it cannot parse.
         */
        static int awk(Shell sh, List<String> a, Io io) {
            String sep = null;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String x = a.get(i);
                if (x.equals("-F") && i + 1 < a.size()) {
                    sep = a.get(++i);
                } else if (x.startsWith("-F")) {
                    sep = x.substring(2);
                } else {
                    rest.add(x);
                }
            }
            if (rest.isEmpty()) {
                return err(io, "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n", 2);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "\\s*(?:F?NR\\s*==\\s*(\\d+)\\s*)?\\{\\s*print\\s*([^;}]*);?\\s*}\\s*")
                    .matcher(rest.get(0));
            if (!m.matches()) {
                return err(
                        io,
                        "awk: line 1: syntax error at or near "
                                + rest.get(0).strip().split("\\s+")[0] + "\n",
                        2);
            }
            Optional<String> text = input(sh, rest.subList(1, rest.size()), io, "awk");
            if (text.isEmpty()) {
                return 2;
            }
            int only = m.group(1) == null ? -1 : Integer.parseInt(m.group(1));
            List<String> fields = Arrays.stream(m.group(2).split(","))
                    .map(String::strip)
                    .filter(f -> !f.isEmpty())
                    .toList();
            StringBuilder out = new StringBuilder();
            List<String> lines = text.get().lines().toList();
            for (int n = 0; n < lines.size(); n++) {
                if (only >= 0 && n + 1 != only) {
                    continue;
                }
                String line = lines.get(n);
                String[] cols =
                        sep == null ? line.strip().split("\\s+") : line.split(java.util.regex.Pattern.quote(sep), -1);
                List<String> picked = new ArrayList<>();
                for (String f : fields.isEmpty() ? List.of("$0") : fields) {
                    if (f.matches("\\$\\d+")) {
                        int k = Integer.parseInt(f.substring(1));
                        picked.add(k == 0 ? line : k <= cols.length ? cols[k - 1] : "");
                    } else if (f.matches("\".*\"")) {
                        picked.add(f.substring(1, f.length() - 1));
                    } else {
                        picked.add("");
                    }
                }
                out.append(String.join(" ", picked)).append('\n');
            }
            return out(io, out.toString());
        }

        static int wc(Shell sh, List<String> a, Io io) {
            List<String> files = a.stream().filter(x -> !x.startsWith("-")).toList();
            Optional<String> text = input(sh, files, io, "wc");
            if (text.isEmpty()) {
                return 1;
            }
            String t = text.get();
            long lines = t.chars().filter(c -> c == '\n').count();
            long words =
                    Arrays.stream(t.split("\\s+")).filter(w -> !w.isEmpty()).count();
            long bytes = t.getBytes(StandardCharsets.UTF_8).length;
            String flags = a.stream().filter(x -> x.startsWith("-")).collect(Collectors.joining());
            String suffix = files.isEmpty() ? "" : " " + String.join(" ", files);
            if (flags.contains("l")) {
                return out(io, lines + suffix + "\n");
            }
            if (flags.contains("c")) {
                return out(io, bytes + suffix + "\n");
            }
            if (flags.contains("w")) {
                return out(io, words + suffix + "\n");
            }
            return out(io, String.format(Locale.ROOT, "%7d %7d %7d%s%n", lines, words, bytes, suffix));
        }

        static int headTail(Shell sh, List<String> a, Io io, boolean head) {
            int n = 10;
            List<String> files = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String x = a.get(i);
                if (x.equals("-n") && i + 1 < a.size()) {
                    n = parseCount(a.get(++i), n);
                } else if (x.matches("-n?\\d+")) {
                    n = parseCount(x.replaceAll("\\D", ""), n);
                } else if (!x.startsWith("-")) {
                    files.add(x);
                }
            }
            Optional<String> text = input(sh, files, io, head ? "head" : "tail");
            if (text.isEmpty()) {
                return 1;
            }
            List<String> lines = text.get().lines().toList();
            List<String> pick = head
                    ? lines.subList(0, Math.min(n, lines.size()))
                    : lines.subList(Math.max(0, lines.size() - n), lines.size());
            return out(io, pick.stream().map(l -> l + "\n").collect(Collectors.joining()));
        }

        private static int parseCount(String s, int otherwise) {
            try {
                return Math.min(100_000, Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
    }
}
