package io.rustbucket.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets the platform must be able to read back (a sensor's polling key, a chat user's signing key), kept
 * encrypted with AES-256-GCM under a key file of the data directory, with what the secret belongs to as associated
 * data so a sealed value cannot be moved to another owner. A leaked database alone reveals none of them. Processes
 * that share a database share the key file (or the configured one).
 */
public final class SecretBox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VERSION = "v1:";
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the key file, creating it (0600, 32 random bytes) on first use. */
    public static SecretBox open(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] k = new byte[32];
                RANDOM.nextBytes(k);
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(
                        tmp,
                        Base64.getEncoder().encode(k),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                try {
                    Files.move(tmp, file); // not REPLACE_EXISTING: a concurrent creator's key wins, ours is dropped
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp);
                }
            }
            byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
            if (k.length != 32) {
                throw new IllegalStateException(
                        file + " does not hold a 256-bit key (base64); delete it only if nothing"
                                + " was sealed with it yet, else restore it");
            }
            return new SecretBox(k);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encrypts a secret for its owner ({@code owner} is bound as associated data). */
    public String seal(String owner, String secret) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b = Base64.getEncoder();
            return VERSION + b.encodeToString(iv) + ":" + b.encodeToString(ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalStateException when the value was sealed under another key file or altered */
    public String open(String owner, String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("the secret of " + owner + " is not in a known format");
        }
        String[] parts = sealed.substring(VERSION.length()).split(":", 2);
        try {
            Base64.Decoder b = Base64.getDecoder();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, b.decode(parts[0])));
            c.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(b.decode(parts[1])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(
                    "the secret of " + owner + " cannot be decrypted (sealed under another key file, or altered)", e);
        }
    }
}
