package io.rustbucket.bucketchat.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 (RFC 8032) with the raw key forms the protocol uses: a 32-byte seed as the private key and the 32-byte
 * public key, both standard base64. The JDK's provider does the math; this class only wraps raw keys in the
 * PKCS#8 and X.509 structures it expects.
 */
public final class Ed25519 {
    /** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    /** DER prefix of an X.509 SubjectPublicKeyInfo Ed25519 key; the 32-byte key follows. */
    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");

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
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /** Derives the key pair of a seed (the JDK generator draws exactly the 32 seed bytes from its random source). */
    public static Keys fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            KeyPair kp = g.generateKeyPair();
            byte[] spki = kp.getPublic().getEncoded();
            return new Keys(seed.clone(), Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
        }
    }

    /** Signs bytes; returns the 64-byte signature as standard base64 with padding. */
    public static String sign(byte[] seed, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey(seed));
            s.update(message);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Verifies a base64 signature with a raw public key; false for any malformed input, never an exception. */
    public static boolean verify(byte[] publicKey, byte[] message, String signatureBase64) {
        try {
            byte[] sig = Base64.getDecoder().decode(signatureBase64);
            if (sig.length != 64 || publicKey.length != 32) {
                return false;
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey(publicKey));
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Decodes a base64 raw public key; empty when it is not 32 bytes of base64. */
    public static java.util.Optional<byte[]> decodePublicKey(String base64) {
        try {
            byte[] k = Base64.getDecoder().decode(base64);
            return k.length == 32 ? java.util.Optional.of(k) : java.util.Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    }

    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    /** A "random" source that returns the seed: how the JDK generator is made to derive a given key pair. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
