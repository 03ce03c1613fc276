package io.rustbucket.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rustbucket.core.testing.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class IncidentTest {
    @Test
    void logsOncePerIncidentAndOnceOnRecovery() {
        Logger logger = (Logger) LoggerFactory.getLogger(Incident.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
            Incident incident = new Incident("object store s3://b/", clock);
            for (int i = 0; i < 100; i++) {
                incident.failed(new IOException("connection refused"));
            }
            assertThat(incident.isFailing()).isTrue();
            assertThat(incident.cause()).isEqualTo("IOException: connection refused");
            clock.advance(Duration.ofSeconds(42));
            incident.succeeded();
            incident.succeeded();
            incident.failed(new IOException("again"));
            assertThat(events.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly(
                            "object store s3://b/ is failing: IOException: connection refused",
                            "object store s3://b/ recovered after 42 s",
                            "object store s3://b/ is failing: IOException: again");
        } finally {
            logger.detachAppender(events);
        }
    }
}
