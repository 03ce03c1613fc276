package io.rustbucket.sensor.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rustbucket.core.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SensorEventTest {
    @Test
    void itsJsonIsWhatAJsonLibraryReadsBackForAnyInput() throws Exception {
        Random r = new Random(7);
        String[] hostile = {
            "plain", "quote \" and backslash \\", "line\nbreak\r\ttab\b\f", "\u0000\u0001\u001f\u007f",
            "ünïcödé 日本 😀", "</script><script>alert(1)</script>", "\\u0041 is not an escape here", ""
        };
        for (int round = 0; round < 200; round++) {
            StringBuilder random = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                random.append((char) r.nextInt(0x3000));
            }
            SensorEvent e = SensorEvent.builder(
                            EventAction.COMMAND, Instant.parse("2026-11-22T10:00:00Z"), EventIds.next())
                    .sensor("s1")
                    .session("sess", "telnet")
                    .source("203.0.113.9", 40000 + round)
                    .input(hostile[round % hostile.length])
                    .response(random.toString().replace('\uD800', 'x').replace('\uDFFF', 'x'), "emulator", round)
                    .build();
            StringBuilder json = new StringBuilder();
            e.appendJson(json);
            Map<String, Object> back =
                    Json.mapper().readValue(json.toString(), new TypeReference<Map<String, Object>>() {});
            assertThat(back.keySet()).containsExactlyElementsOf(e.fields().keySet());
            e.fields()
                    .forEach((k, v) ->
                            assertThat(String.valueOf(back.get(k))).as(k).isEqualTo(String.valueOf(v)));
            assertThat(json.toString()).doesNotContain("\n");
        }
    }

    @Test
    void idsAreVersion7AndDistinct() {
        String a = EventIds.next();
        String b = EventIds.next();
        assertThat(a).isNotEqualTo(b);
        assertThat(java.util.UUID.fromString(a).version()).isEqualTo(7);
        assertThat(java.util.UUID.fromString(a).variant()).isEqualTo(2);
    }
}
