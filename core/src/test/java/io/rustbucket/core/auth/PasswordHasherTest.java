package io.rustbucket.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1024, 1);

    @Test
    void hashIsArgon2idPhcStringAndVerifies() {
        String h = hasher.hash("correct horse battery");
        assertThat(h).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(hasher.verify("correct horse battery", h)).isTrue();
        assertThat(hasher.verify("correct horse batterY", h)).isFalse();
    }

    @Test
    void sameePasswordGetsDifferentSalts() {
        assertThat(hasher.hash("password-1")).isNotEqualTo(hasher.hash("password-1"));
    }

    @Test
    void defaultCostHashesVerifyWithTheParametersStoredInThem() {
        String strong = new PasswordHasher().hash("long enough");
        assertThat(strong).contains("m=19456,t=2,p=1");
        assertThat(hasher.verify("long enough", strong)).isTrue();
    }

    @Test
    void malformedOrAbsurdHashesNeverMatchNorThrow() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "garbage")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"))
                .isFalse();
        assertThat(hasher.verify("x", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA")).isFalse();
    }

    @Test
    void unusablePasswordsAreRefused() {
        assertThatThrownBy(() -> hasher.hash("short")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> hasher.hash("x".repeat(2000))).hasMessageContaining("at most");
        assertThat(hasher.verify("x".repeat(2000), hasher.hash("12345678"))).isFalse();
    }
}
