package io.rustbucket.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SensorLimitsTest {
    @Test
    void defaultsAreTheIssueFigures() {
        SensorLimits l = SensorLimits.defaults();
        assertThat(l.maxConnections()).isEqualTo(10_000);
        assertThat(l.perIpConnections()).isEqualTo(64);
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(l.sessionCap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(l.lineMaxBytes()).isEqualTo(8 * 1024);
        assertThat(l.headerMaxBytes()).isEqualTo(16 * 1024);
        assertThat(l.bodyMaxBytes()).isEqualTo(1024 * 1024);
        assertThat(l.uploadMaxBytes()).isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> new SensorLimits(10, 20, null, null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("limits.per_ip_connections");
        assertThatThrownBy(() -> new SensorLimits(null, null, null, null, null, 10, null, null, null))
                .hasMessageContaining("limits.line_max_bytes = 10");
    }
}
