package io.rustbucket.sensor.shell;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The file tree of one shell session: a copy of the machine's tree, so what a session writes is visible to its
 * later commands and to no other session. Writes are bounded ({@link #MAX_WRITTEN_BYTES},
 * {@link #MAX_CREATED_NODES}); past them a write fails with "No space left on device", as a full disk would.
 */
public final class FakeFileSystem {
    public static final long MAX_WRITTEN_BYTES = 1 << 20;
    public static final int MAX_CREATED_NODES = 2000;

    /** A file or directory; files are immutable (a write replaces the node), directories belong to one session. */
    public sealed interface Node permits Dir, File {
        String owner();

        String mode();

        Instant modified();
    }

    public static final class Dir implements Node {
        final TreeMap<String, Node> children = new TreeMap<>();
        private final String owner;
        private final String mode;
        private final Instant modified;

        Dir(String owner, String mode, Instant modified) {
            this.owner = owner;
            this.mode = mode;
            this.modified = modified;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public String mode() {
            return mode;
        }

        @Override
        public Instant modified() {
            return modified;
        }

        public Map<String, Node> children() {
            return children;
        }

        Dir copy() {
            Dir d = new Dir(owner, mode, modified);
            children.forEach((k, v) -> d.children.put(k, v instanceof Dir sub ? sub.copy() : v));
            return d;
        }
    }

    /** @param size what {@code ls -l} shows (binaries are larger than the header bytes {@code cat} prints) */
    public record File(Supplier<byte[]> content, long size, String owner, String mode, Instant modified)
            implements Node {
        public static File text(String text, String owner, String mode, Instant modified) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            return new File(() -> b, b.length, owner, mode, modified);
        }

        public byte[] bytes() {
            return content.get();
        }
    }

    private final Dir root;
    private long written;
    private int created;

    FakeFileSystem(Dir root) {
        this.root = root;
    }

    /** A private copy for one session. */
    public FakeFileSystem session() {
        return new FakeFileSystem(root.copy());
    }

    /** An absolute, normalised path: {@code ..} and {@code .} resolved, {@code ~} expanded. */
    public static String resolve(String cwd, String home, String path) {
        String p = path;
        if (p.equals("~") || p.startsWith("~/")) {
            p = home + p.substring(1);
        }
        if (!p.startsWith("/")) {
            p = cwd + "/" + p;
        }
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(s);
            }
        }
        return "/" + String.join("/", parts);
    }

    public Optional<Node> get(String absolute) {
        Node n = root;
        for (String s : absolute.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!(n instanceof Dir d) || (n = d.children.get(s)) == null) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    public Optional<Dir> dir(String absolute) {
        return get(absolute).filter(Dir.class::isInstance).map(Dir.class::cast);
    }

    /** Writes (or appends to) a file; an error message when the parent is missing or the budget is spent. */
    public Optional<String> write(String absolute, byte[] data, boolean append, String owner, Instant now) {
        String parent = parentOf(absolute);
        String name = nameOf(absolute);
        Optional<Dir> d = dir(parent);
        if (d.isEmpty() || name.isEmpty()) {
            return Optional.of("No such file or directory");
        }
        Node existing = d.get().children.get(name);
        if (existing instanceof Dir) {
            return Optional.of("Is a directory");
        }
        byte[] old = append && existing instanceof File f ? f.bytes() : new byte[0];
        if (written + data.length > MAX_WRITTEN_BYTES || (existing == null && created >= MAX_CREATED_NODES)) {
            return Optional.of("No space left on device");
        }
        written += data.length;
        created += existing == null ? 1 : 0;
        byte[] all = new byte[old.length + data.length];
        System.arraycopy(old, 0, all, 0, old.length);
        System.arraycopy(data, 0, all, old.length, data.length);
        String mode = existing instanceof File f ? f.mode() : "-rw-r--r--";
        d.get().children.put(name, new File(() -> all, all.length, owner, mode, now));
        return Optional.empty();
    }

    /** Places a file made elsewhere (a "download"); counts against the node budget only, its bytes are generated. */
    public Optional<String> put(String absolute, File file) {
        Optional<Dir> d = dir(parentOf(absolute));
        if (d.isEmpty()) {
            return Optional.of("No such file or directory");
        }
        boolean fresh = !d.get().children.containsKey(nameOf(absolute));
        if (fresh && created >= MAX_CREATED_NODES) {
            return Optional.of("No space left on device");
        }
        created += fresh ? 1 : 0;
        d.get().children.put(nameOf(absolute), file);
        return Optional.empty();
    }

    public Optional<String> mkdir(String absolute, String owner, Instant now) {
        Optional<Dir> d = dir(parentOf(absolute));
        if (d.isEmpty()) {
            return Optional.of("No such file or directory");
        }
        if (d.get().children.containsKey(nameOf(absolute))) {
            return Optional.of("File exists");
        }
        if (created >= MAX_CREATED_NODES) {
            return Optional.of("No space left on device");
        }
        created++;
        d.get().children.put(nameOf(absolute), new Dir(owner, "drwxr-xr-x", now));
        return Optional.empty();
    }

    public boolean remove(String absolute) {
        Optional<Dir> d = dir(parentOf(absolute));
        return d.isPresent() && d.get().children.remove(nameOf(absolute)) != null;
    }

    /** Replaces a file's mode (chmod); false when there is no such file. */
    public boolean chmod(String absolute, String mode) {
        Optional<Dir> d = dir(parentOf(absolute));
        Node n = d.map(x -> x.children.get(nameOf(absolute))).orElse(null);
        if (n instanceof File f) {
            d.get().children.put(nameOf(absolute), new File(f.content(), f.size(), f.owner(), mode, f.modified()));
            return true;
        }
        return n != null;
    }

    static String parentOf(String absolute) {
        int i = absolute.lastIndexOf('/');
        return i <= 0 ? "/" : absolute.substring(0, i);
    }

    static String nameOf(String absolute) {
        return absolute.substring(absolute.lastIndexOf('/') + 1);
    }

    Dir root() {
        return root;
    }
}
