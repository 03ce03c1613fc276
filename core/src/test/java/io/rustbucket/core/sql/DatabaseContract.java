package io.rustbucket.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every supported database must do for the platform; each vendor's test supplies a migrated database. */
public interface DatabaseContract {
    /** A database with the {@code core} and {@code contract} migrations applied. */
    Database db();

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static void insert(Database db, String id, String name, String body, Instant at) {
        db.useHandle(h -> h.createUpdate("INSERT INTO contract_items (id, name, body, data, flag, created_at) "
                        + "VALUES (:id, :name, :body, :data, :flag, :at)")
                .bind("id", id)
                .bind("name", name)
                .bind("body", body)
                .bind("data", new byte[] {0, 1, (byte) 0xff})
                .bind("flag", true)
                .bind("at", at)
                .execute());
    }

    @Test
    default void migrationsAreIdempotent() {
        db().migrate("core");
        db().migrate("contract");
        int tables = db().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
        assertThat(tables).isGreaterThanOrEqualTo(0);
    }

    @Test
    default void largeTextRoundTrips() {
        String big = "line of attacker input ☃ 😀\n".repeat(200_000); // ~6 MB, as an archived log object
        String id = newId();
        insert(db(), id, "big-" + id.substring(0, 8), big, Instant.now());
        String read = db().withHandle(h -> h.createQuery("SELECT body FROM contract_items WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .one());
        assertThat(read).isEqualTo(big);
    }

    @Test
    default void instantsRoundTripInUtcToTheMillisecond() {
        Instant at = Instant.parse("2026-03-29T01:30:00.123Z"); // a DST change in Europe: must not shift
        String id = newId();
        insert(db(), id, "ts-" + id.substring(0, 8), "x", at);
        Instant read = db().withHandle(h -> h.createQuery("SELECT created_at FROM contract_items WHERE id = :id")
                .bind("id", id)
                .mapTo(Instant.class)
                .one());
        assertThat(read).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    default void uniqueViolationIsATypedError() {
        String name = "dup-" + newId().substring(0, 8);
        insert(db(), newId(), name, "a", Instant.now());
        assertThatThrownBy(() -> insert(db(), newId(), name, "b", Instant.now()))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    default void failedTransactionLeavesNothing() {
        String id = newId();
        assertThatThrownBy(() -> db().inTransaction(h -> {
                    h.createUpdate("INSERT INTO contract_items (id, name, flag, created_at) VALUES (:id, :n, :f, :at)")
                            .bind("id", id)
                            .bind("n", "tx-" + id.substring(0, 8))
                            .bind("f", false)
                            .bind("at", Instant.now())
                            .execute();
                    throw new IllegalStateException("abort");
                }))
                .hasMessage("abort");
        Optional<String> found = db().withHandle(h -> h.createQuery("SELECT id FROM contract_items WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
        assertThat(found).isEmpty();
    }

    @Test
    default void booleansAndBytesRoundTrip() {
        String id = newId();
        insert(db(), id, "b-" + id.substring(0, 8), null, Instant.now());
        boolean flag = db().withHandle(h -> h.createQuery("SELECT flag FROM contract_items WHERE id = :id")
                .bind("id", id)
                .mapTo(Boolean.class)
                .one());
        byte[] data = db().withHandle(h -> h.createQuery("SELECT data FROM contract_items WHERE id = :id")
                .bind("id", id)
                .mapTo(byte[].class)
                .one());
        assertThat(flag).isTrue();
        assertThat(data).containsExactly(0, 1, 0xff);
    }

    @Test
    default void probeReportsReady() {
        assertThat(db().probe().status()).isEqualTo(io.rustbucket.core.health.PartState.Status.READY);
    }
}
