package io.rustbucket.assistant.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * The few JWT operations Sign in with Apple needs, with the JDK's own crypto: sign an ES256 client secret, and
 * verify an {@code id_token} (ES256 or RS256) against a key from a JWKS. JWS signatures are raw {@code R||S} for
 * ES256 (the JDK's P1363 format), PKCS#1 v1.5 for RS256. Tokens are bounded in size before any parsing.
 */
public final class Jwt {
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder D64 = Base64.getUrlDecoder();

    /** A token split and decoded; the signature is not yet checked. */
    public record Parsed(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {}

    private Jwt() {}

    public static String signEs256(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        String input = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the token is not three base64url parts of JSON */
    public static Parsed parse(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("token missing or too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWS compact token");
        }
        try {
            JsonNode header = Json.mapper().readTree(D64.decode(parts[0]));
            JsonNode claims = Json.mapper().readTree(D64.decode(parts[1]));
            return new Parsed(
                    header,
                    claims,
                    (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                    D64.decode(parts[2]));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("token parts are not base64url JSON");
        }
    }

    /** Verifies the signature with a JWK (EC P-256 with ES256, or RSA with RS256); the algorithm must match. */
    public static boolean verify(Parsed t, JsonNode jwk) {
        String alg = t.header().path("alg").asText();
        try {
            Signature s;
            PublicKey key;
            if ("ES256".equals(alg) && "EC".equals(jwk.path("kty").asText())) {
                s = Signature.getInstance("SHA256withECDSAinP1363Format");
                key = ecKey(jwk);
            } else if ("RS256".equals(alg) && "RSA".equals(jwk.path("kty").asText())) {
                s = Signature.getInstance("SHA256withRSA");
                key = KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(
                                new BigInteger(1, D64.decode(jwk.path("n").asText())),
                                new BigInteger(1, D64.decode(jwk.path("e").asText()))));
            } else {
                return false; // "none", HS256 and friends are never accepted
            }
            s.initVerify(key);
            s.update(t.signingInput());
            return s.verify(t.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static PrivateKey ecPrivateKey(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PKCS#8 EC private key in PEM");
        }
    }

    static PublicKey ecKey(JsonNode jwk) throws GeneralSecurityException {
        if (!"P-256".equals(jwk.path("crv").asText())) {
            throw new GeneralSecurityException("only P-256");
        }
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        ECPoint w = new ECPoint(
                new BigInteger(1, D64.decode(jwk.path("x").asText())),
                new BigInteger(1, D64.decode(jwk.path("y").asText())));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    }
}
