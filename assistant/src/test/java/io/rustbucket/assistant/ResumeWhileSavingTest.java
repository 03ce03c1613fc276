package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reply's chunk is published before its insert commits. A client that resumes in between must still get it: the
 * catch-up reads the chunks being saved as well as the saved ones. PostgreSQL makes the window as long as the test
 * needs: while another connection holds the chunk table locked, the insert waits and the chunk stays unsaved.
 */
class ResumeWhileSavingTest {
    @Test
    void aClientResumingWhileAChunkIsBeingSavedStillGetsIt() throws Exception {
        try (AssistantFixture f = new AssistantFixture(TestDatabase.postgres());
                Connection lock = DriverManager.getConnection(f.db.config().url())) {
            String cid = f.conversation("alice", "saving");
            long before = System.currentTimeMillis() - 1;
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE asst_chunks IN EXCLUSIVE MODE");
            f.answer(List.of("first ", "second ", "third"));
            f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"hi\"}", 201);
            // The first token is out; its insert waits for the lock.
            await().until(() -> insertsWaiting(lock) == 1);

            try (var s = f.stream("alice", cid, "-:-:-:" + before)) {
                assertThat(s.next("message.delta").deltaContent()).isEqualTo("first ");
                lock.commit(); // the inserts go through, the reply goes on
                List<String> rest = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    rest.add(s.next("message.delta").deltaContent());
                }
                assertThat(rest).containsExactly("second ", "third");
                assertThat(s.next("message.done")
                                .payload()
                                .path("finish_reason")
                                .asText())
                        .isEqualTo("stop");
            }
        }
    }

    private static int insertsWaiting(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO asst_chunks%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
