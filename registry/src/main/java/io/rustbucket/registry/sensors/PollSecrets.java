package io.rustbucket.registry.sensors;

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
 * The keys the registry presents to sensors when it polls them. Registration keys are stored hashed, but polling
 * needs the key itself ({@code Authorization: Token <key>}), so it is kept encrypted (AES-256-GCM, the sensor id
 * as associated data) under a key file of the registry: a leaked database alone does not let anyone poll the
 * fleet. Several registry processes share the key file (or the configured one).
 */
public final class PollSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VERSION = "v1:";
    private final SecretKeySpec key;

    private PollSecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the key file, creating it (0600, 32 random bytes) on first use. */
    public static PollSecrets open(Path file) {
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
                throw new IllegalStateException(file + " does not hold a 256-bit key (base64); delete it only if no"
                        + " sensor is registered yet, else restore it");
            }
            return new PollSecrets(k);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot read or create the registry key file " + file + ": " + e.getMessage(), e);
        }
    }

    public String seal(String sensorId, String secret) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(sensorId.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b = Base64.getEncoder();
            return VERSION + b.encodeToString(iv) + ":" + b.encodeToString(ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalStateException when the value was sealed under another key file or altered */
    public String open(String sensorId, String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("polling key of " + sensorId + " is not in a known format");
        }
        String[] parts = sealed.substring(VERSION.length()).split(":", 2);
        try {
            Base64.Decoder b = Base64.getDecoder();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, b.decode(parts[0])));
            c.updateAAD(sensorId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(b.decode(parts[1])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(
                    "polling key of " + sensorId + " cannot be decrypted (another registry key file?)", e);
        }
    }
}
