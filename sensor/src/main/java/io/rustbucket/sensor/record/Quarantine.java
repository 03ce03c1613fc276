package io.rustbucket.sensor.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where uploaded files (FTP STOR, SFTP, SCP) are kept for analysis: {@code {dir}/{sha256}}, mode 0600, never
 * executable, never executed, the same content stored once. A file larger than the cap is cut at the cap and
 * marked truncated (its hash is of the kept bytes).
 */
public final class Quarantine {
    /** What was kept of one upload. */
    public record Stored(String sha256, long size, boolean truncated, Path path) {}

    private final Path dir;
    private final long maxBytes;

    public Quarantine(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Reads the upload to its end or to the cap, whichever is first. */
    public Stored store(InputStream upload) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".upload-", ".part");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        boolean truncated = false;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = upload.read(buf)) > 0) {
                long room = maxBytes - size;
                if (n > room) {
                    out.write(buf, 0, (int) room);
                    size += room;
                    truncated = true;
                    break;
                }
                out.write(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        Path target = dir.resolve(hash);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        if (Files.exists(target)) {
            Files.delete(tmp);
        } else {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new Stored(hash, size, truncated, target);
    }
}
