package io.rustbucket.bucketchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.bucketchat.crypto.Ed25519;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc8032TestVector1() {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        Ed25519.Keys keys = Ed25519.fromSeed(seed);
        assertThat(HEX.formatHex(keys.publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        String sig = Ed25519.sign(seed, new byte[0]);
        assertThat(HEX.formatHex(Base64.getDecoder().decode(sig)))
                .isEqualTo(
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(Ed25519.verify(keys.publicKey(), new byte[0], sig)).isTrue();
    }

    @Test
    void verificationFailsForOtherMessagesKeysAndGarbage() {
        Ed25519.Keys a = Ed25519.generate();
        Ed25519.Keys b = Ed25519.generate();
        String sig = Ed25519.sign(a.seed(), "hello".getBytes());
        assertThat(Ed25519.verify(a.publicKey(), "hello".getBytes(), sig)).isTrue();
        assertThat(Ed25519.verify(a.publicKey(), "hellO".getBytes(), sig)).isFalse();
        assertThat(Ed25519.verify(b.publicKey(), "hello".getBytes(), sig)).isFalse();
        assertThat(Ed25519.verify(a.publicKey(), "hello".getBytes(), "not base64!"))
                .isFalse();
        assertThat(Ed25519.verify(a.publicKey(), "hello".getBytes(), "AAAA")).isFalse();
        assertThat(Ed25519.verify(new byte[5], "hello".getBytes(), sig)).isFalse();
    }

    @Test
    void signaturesAreStandardBase64WithPadding() {
        String sig = Ed25519.sign(Ed25519.generate().seed(), "x".getBytes());
        assertThat(sig).hasSize(88).endsWith("==");
        assertThat(Ed25519.generate().publicKeyBase64()).hasSize(44).endsWith("=");
    }
}
