package io.rustbucket.core.store.folder;

import io.rustbucket.core.store.InvalidKeyException;
import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectKeys;
import io.rustbucket.core.store.ObjectNotFoundException;
import io.rustbucket.core.store.ObjectPage;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An object store in a local folder: one file per object, keys as relative paths. A write goes to a temporary
 * file, is fsynced, then hard-linked to its final name; {@code link(2)} fails atomically when the name exists,
 * so two writers racing for one key cannot both win and a reader never sees a half-written object.
 */
public final class FolderObjectStore implements ObjectStore {
    /** Temporary files live here, inside the root so the hard link never crosses file systems. */
    static final String TEMP_DIR = ".rustbucket-tmp";

    private final Path root;
    private final Path temp;

    public FolderObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.temp = this.root.resolve(TEMP_DIR);
        try {
            Files.createDirectories(temp);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create object store folder " + this.root, e);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long lengthBytes) {
        Path target = resolve(key);
        if (Files.exists(target)) {
            throw new ObjectExistsException(key);
        }
        Path tmp = temp.resolve(UUID.randomUUID() + ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                long copied = data.transferTo(out);
                if (lengthBytes >= 0 && copied != lengthBytes) {
                    throw new IOException("expected " + lengthBytes + " bytes, got " + copied);
                }
                ch.force(true);
            }
            try {
                Files.createDirectories(target.getParent());
            } catch (FileAlreadyExistsException e) {
                throw new InvalidKeyException(key, "a parent segment is already an object in a folder store");
            }
            Files.createLink(target, tmp);
            return stat(key).orElseThrow();
        } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(key);
        } catch (IOException e) {
            throw new StoreUnavailableException("writing " + key + " to " + root + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover .part file is harmless: it is never listed and the next start may clean it
            }
        }
    }

    @Override
    public InputStream get(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StoreUnavailableException("reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ObjectPage list(String prefix, String startAfter, int limit) {
        ObjectKeys.validatePrefix(prefix);
        if (limit < 1 || limit > DEFAULT_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1.." + DEFAULT_PAGE_SIZE + ", was " + limit);
        }
        // Walk only the deepest folder the prefix names; sort by UTF-8 bytes as S3 does, which differs from
        // the walk order ("a/b" sorts after "a-b").
        int slash = prefix.lastIndexOf('/');
        Path base = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(base)) {
            return new ObjectPage(List.of(), Optional.empty());
        }
        List<String> keys;
        try (Stream<Path> walk = Files.walk(base)) {
            keys = walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .filter(k -> !k.startsWith(TEMP_DIR + "/") && k.startsWith(prefix))
                    .filter(k -> startAfter == null || ObjectKeys.ORDER.compare(k, startAfter) > 0)
                    .sorted(ObjectKeys.ORDER)
                    .limit(limit + 1L)
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StoreUnavailableException("listing " + prefix + " failed: " + e.getMessage(), e);
        }
        List<ObjectInfo> page = new ArrayList<>();
        for (String k : keys.subList(0, Math.min(limit, keys.size()))) {
            stat(k).ifPresent(page::add);
        }
        Optional<String> next = keys.size() > limit ? Optional.of(keys.get(limit - 1)) : Optional.empty();
        return new ObjectPage(page, next);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path p = resolve(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            // Objects are never rewritten, so size + inode + mtime identify the content.
            String etag = Long.toHexString(a.size()) + "-"
                    + Long.toHexString(a.lastModifiedTime().toMillis()) + "-"
                    + Integer.toHexString(String.valueOf(a.fileKey()).hashCode());
            return Optional.of(
                    new ObjectInfo(key, a.size(), etag, a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreUnavailableException("stat " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new StoreUnavailableException("deleting " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        ObjectKeys.validate(key);
        if (key.equals(TEMP_DIR) || key.startsWith(TEMP_DIR + "/")) {
            throw new InvalidKeyException(key, "reserved for the store's temporary files");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new InvalidKeyException(key, "outside the store");
        }
        return p;
    }
}
