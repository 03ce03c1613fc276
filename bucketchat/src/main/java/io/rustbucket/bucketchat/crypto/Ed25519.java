package io.rustbucket.bucketchat.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032) with the raw key forms the protocol uses: the 32-byte seed as the private key and the
 * 32-byte public key, both standard base64. BouncyCastle's implementation is used rather than the JDK's: on
 * the project's machines it signs about 17 times and verifies about 8 times faster (docs/decisions.md).
 */
public final class Ed25519 {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sender's key pair; {@code seed} is secret. */
    public record Keys(byte[] seed, byte[] publicKey) {
        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKey);
        }

        public String seedBase64() {
            return Base64.getEncoder().encodeToString(seed);
        }

        @Override
        public String toString() {
            return "Keys[public=" + publicKeyBase64() + "]"; // never the seed
        }
    }

    private Ed25519() {}

    public static Keys generate() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return fromSeed(seed);
    }

    /** Derives the key pair of a 32-byte seed. */
    public static Keys fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        }
        return new Keys(
                seed.clone(),
                new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
    }

    /** Signs bytes once; a sender signing many events keeps a {@link SigningKey} instead. */
    public static String sign(byte[] seed, byte[] message) {
        return new SigningKey(seed).sign(message);
    }

    /** Verifies once; a verifier checking many events keeps a {@link VerifyingKey} per sender instead. */
    public static boolean verify(byte[] publicKey, byte[] message, String signatureBase64) {
        try {
            return publicKey.length == 32 && new VerifyingKey(publicKey).verify(message, signatureBase64);
        } catch (IllegalArgumentException notAPoint) {
            return false;
        }
    }

    /**
     * A private key ready to sign: built once, because building it derives the public key (a scalar
     * multiplication), which would otherwise double the cost of every signature. Thread-safe.
     */
    public static final class SigningKey {
        private final Ed25519PrivateKeyParameters key;

        public SigningKey(byte[] seed) {
            this.key = new Ed25519PrivateKeyParameters(seed, 0);
            key.generatePublicKey(); // derive and cache now, not on the first signature
        }

        /** Returns the 64-byte signature as standard base64 with padding. */
        public String sign(byte[] message) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, key);
            s.update(message, 0, message.length);
            return Base64.getEncoder().encodeToString(s.generateSignature());
        }
    }

    /** A decoded public key (point decompression done once). Thread-safe. */
    public static final class VerifyingKey {
        private final Ed25519PublicKeyParameters key;

        public VerifyingKey(byte[] raw) {
            this.key = new Ed25519PublicKeyParameters(raw, 0);
        }

        /** False for a wrong or malformed signature, never an exception. */
        public boolean verify(byte[] message, String signatureBase64) {
            try {
                byte[] sig = Base64.getDecoder().decode(signatureBase64);
                if (sig.length != 64) {
                    return false;
                }
                Ed25519Signer s = new Ed25519Signer();
                s.init(false, key);
                s.update(message, 0, message.length);
                return s.verifySignature(sig);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Decodes a base64 raw public key; empty when it is not 32 bytes of base64. */
    public static Optional<byte[]> decodePublicKey(String base64) {
        try {
            byte[] k = Base64.getDecoder().decode(base64);
            return k.length == 32 ? Optional.of(k) : Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
