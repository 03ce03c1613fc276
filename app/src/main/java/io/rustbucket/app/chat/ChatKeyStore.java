package io.rustbucket.app.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

/**
 * Bucket Chat keys of local users, one file per sender under {@code DATA/bucketchat/keys/}, mode 0600:
 * {@code {"sender_id", "public_key", "private_key"}} (private key = the 32-byte seed, base64).
 */
final class ChatKeyStore {
    private final Path dir;

    ChatKeyStore(Path dataDir) {
        this.dir = dataDir.resolve("bucketchat").resolve("keys");
    }

    /** Generates and stores a key pair; refuses to replace an existing one (that would orphan the user's chain). */
    Ed25519.Keys generate(String senderId) {
        Ed25519.Keys keys = Ed25519.generate();
        Path file = file(senderId);
        try {
            Files.createDirectories(dir);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file,
                    Json.write(Map.of(
                            "sender_id",
                            senderId,
                            "public_key",
                            keys.publicKeyBase64(),
                            "private_key",
                            keys.seedBase64())));
            return keys;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("a key for " + senderId + " exists already in " + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    Ed25519.Keys load(String senderId) {
        Path file = file(senderId);
        try {
            JsonNode n = Json.mapper().readTree(Files.readString(file));
            if (!senderId.equals(n.path("sender_id").asText())) {
                throw new IllegalStateException(
                        file + " holds the key of " + n.path("sender_id").asText());
            }
            return Ed25519.fromSeed(
                    Base64.getDecoder().decode(n.path("private_key").asText()));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "no key for " + senderId + "; run: ./rustbucket bucketchat --user " + senderId + " keys generate");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One file per sender; the name keeps readable characters and adds a hash so distinct ids never collide. */
    private Path file(String senderId) {
        String readable = senderId.replaceAll("[^A-Za-z0-9._-]", "_");
        String hash = io.rustbucket.core.auth.SecretTokens.hash(senderId).substring(0, 8);
        return dir.resolve(readable + "-" + hash + ".json");
    }
}
