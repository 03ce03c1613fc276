package io.rustbucket.sensor.shell;

import io.rustbucket.sensor.shell.FakeFileSystem.File;
import io.rustbucket.sensor.shell.Shell.Io;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * wget, curl and tftp as a dropper sees them: the URL is recorded, a plausible transfer is printed and a file of
 * the announced size appears (its bytes are generated on read, nothing is fetched, nothing stored in memory).
 */
final class Downloads {
    private Downloads() {}

    static int wget(Shell sh, List<String> a, Io io) {
        String url = null;
        String output = null;
        boolean quiet = false;
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if ((x.equals("-O") || x.equals("--output-document")) && i + 1 < a.size()) {
                output = a.get(++i);
            } else if (x.startsWith("-O") && x.length() > 2) {
                output = x.substring(2);
            } else if (x.equals("-q") || x.equals("--quiet")) {
                quiet = true;
            } else if (!x.startsWith("-")) {
                url = x;
            }
        }
        if (url == null) {
            return Commands.err(
                    io,
                    "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n",
                    1);
        }
        sh.recordUrl(url);
        String full = url.contains("://") ? url : "http://" + url;
        Host h = host(full);
        if (h == null) {
            return Commands.err(io, "http://" + url + ": Invalid host name.\n", 1);
        }
        String file = output != null ? output : fileName(full);
        long size = sizeFor(full);
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                .format(sh.now().atZone(ZoneOffset.UTC));
        if (!quiet) {
            io.error("--" + when + "--  " + full + "\nResolving " + h.name + " (" + h.name + ")... " + h.address + "\n"
                    + "Connecting to " + h.name + " (" + h.name + ")|" + h.address + "|:" + h.port + "... connected.\n"
                    + "HTTP request sent, awaiting response... 200 OK\nLength: " + size + " (" + size / 1024
                    + "K) [application/octet-stream]\n"
                    + "Saving to: '" + file + "'\n\n" + file + "          100%[===================>]  " + size / 1024
                    + "K  --.-KB/s    in 0.1s    \n\n" + when + " (" + (size / 1024 * 8) + " KB/s) - '" + file
                    + "' saved [" + size
                    + "/" + size + "]\n\n");
        }
        return save(sh, file, full, size, io, "wget");
    }

    static int curl(Shell sh, List<String> a, Io io) {
        String url = null;
        String output = null;
        boolean remoteName = false;
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if ((x.equals("-o") || x.equals("--output")) && i + 1 < a.size()) {
                output = a.get(++i);
            } else if (x.equals("-O") || x.equals("--remote-name")) {
                remoteName = true;
            } else if ((x.equals("-H") || x.equals("-A") || x.equals("-d") || x.equals("-X") || x.equals("-u"))
                    && i + 1 < a.size()) {
                i++;
            } else if (!x.startsWith("-")) {
                url = x;
            }
        }
        if (url == null) {
            return Commands.err(io, "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
        }
        sh.recordUrl(url);
        String full = url.contains("://") ? url : "http://" + url;
        if (host(full) == null) {
            return Commands.err(io, "curl: (6) Could not resolve host: " + url + "\n", 6);
        }
        if (output == null && !remoteName) {
            return 0; // body to stdout: a script piped to sh runs as empty
        }
        return save(sh, output != null ? output : fileName(full), full, sizeFor(full), io, "curl");
    }

    /** busybox tftp syntax: {@code tftp -g -r FILE [-l LOCAL] HOST [PORT]}. */
    static int tftp(Shell sh, List<String> a, Io io) {
        String remote = null;
        String local = null;
        String host = null;
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if (x.equals("-r") && i + 1 < a.size()) {
                remote = a.get(++i);
            } else if (x.equals("-l") && i + 1 < a.size()) {
                local = a.get(++i);
            } else if (!x.startsWith("-") && host == null) {
                host = x;
            }
        }
        if (remote == null || host == null) {
            return Commands.err(io, "usage: tftp [-h] [-c command] [-l] [-m mode] [-v] [-V] [host [port]]\n", 1);
        }
        String url = "tftp://" + host + "/" + remote;
        sh.recordUrl(url);
        return save(sh, local != null ? local : fileName(url), url, sizeFor(url), io, "tftp");
    }

    private static int save(Shell sh, String file, String url, long size, Io io, String cmd) {
        long seed = url.hashCode();
        File f = script(url)
                ? File.text("#!/bin/sh\n", sh.user, "-rw-r--r--", sh.now())
                : new File(
                        () -> {
                            byte[] b = new byte[(int) Math.min(size, 64 * 1024)];
                            new Random(seed).nextBytes(b);
                            System.arraycopy(MachineImage.elfHeader(), 0, b, 0, Math.min(64, b.length));
                            return b;
                        },
                        size,
                        sh.user,
                        "-rw-r--r--",
                        sh.now());
        String path = sh.path(file);
        if (sh.fs.dir(path).isPresent()) {
            path = path + "/" + fileName(url);
        }
        return sh.fs.put(path, f)
                .map(e -> Commands.err(io, cmd + ": " + file + ": " + e + "\n", 1))
                .orElse(0);
    }

    static String fileName(String url) {
        String path = url.replaceFirst("^[a-z]+://[^/]*", "");
        int q = path.indexOf('?');
        path = q >= 0 ? path.substring(0, q) : path;
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "index.html" : name;
    }

    /** A stable size per URL, in the range of the bot binaries seen in the wild (scripts: their 10 bytes). */
    static long sizeFor(String url) {
        return script(url) ? 10 : 40_000 + Math.floorMod(url.hashCode(), 120_000);
    }

    /**
     * A script by its name: it "downloads" as an empty {@code #!/bin/sh}, so running it does nothing (we never
     * have its real content) instead of feeding generated bytes to the shell line by line.
     */
    static boolean script(String url) {
        String name = fileName(url).toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".sh")
                || name.endsWith(".bash")
                || name.endsWith(".py")
                || name.endsWith(".pl")
                || name.endsWith(".txt");
    }

    private record Host(String name, String address, int port) {}

    private static Host host(String url) {
        try {
            URI u = URI.create(url.replace(" ", "%20"));
            String name = u.getHost();
            if (name == null || name.isBlank()) {
                return null;
            }
            boolean literal = name.matches("[0-9.]+") || name.contains(":");
            int h = Math.floorMod(name.hashCode(), 200);
            String address =
                    literal ? name : "104.21." + (h + 20) + "." + (Math.floorMod(name.hashCode() >> 8, 250) + 2);
            int port = u.getPort() > 0 ? u.getPort() : url.startsWith("https") ? 443 : 80;
            return new Host(name, address, port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
