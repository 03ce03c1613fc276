package io.rustbucket.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.testing.TestClock;
import io.rustbucket.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir
    Path data;

    TestDatabase server;
    Database db;
    TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
    Accounts accounts;
    Sessions sessions;
    ApiTokens tokens;
    Revocations revocations;

    @BeforeEach
    void open() {
        server = TestDatabase.h2();
        db = Database.open(server.config(), data, clock);
        db.migrate("core");
        accounts = new Accounts(db, new PasswordHasher(1024, 1), clock);
        revocations = new Revocations();
        sessions = new Sessions(db, accounts, new AuthConfig(30, 24, 2, false, 10), clock, revocations);
        tokens = new ApiTokens(db, accounts, clock, revocations);
    }

    @AfterEach
    void close() {
        db.close();
        server.close();
    }

    @Test
    void initialAdminIsCreatedOnceWithAPrivatePasswordFile() throws Exception {
        String pw = accounts.ensureInitialAdmin(data).orElseThrow();
        Path file = data.resolve(Accounts.INITIAL_PASSWORD_FILE);
        assertThat(Files.readString(file).strip()).isEqualTo(pw);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        User admin = accounts.authenticate("ADMIN", pw).orElseThrow();
        assertThat(admin.has(Role.ADMIN)).isTrue();
        assertThat(admin.mustChangePassword()).isTrue();
        assertThat(accounts.ensureInitialAdmin(data)).isEmpty();
    }

    @Test
    void signInByUsernameOrEmailAndNeverWithAWrongPassword() {
        accounts.create("alice", "Alice@Example.com", null, "alice-password", Set.of(Role.ANALYST), false);
        assertThat(accounts.authenticate("alice", "alice-password")).isPresent();
        assertThat(accounts.authenticate("alice@example.com", "alice-password")).isPresent();
        assertThat(accounts.authenticate("alice", "wrong-password")).isEmpty();
        assertThat(accounts.authenticate("nobody", "alice-password")).isEmpty();
    }

    @Test
    void duplicateNamesAndBadNamesAreRefused() {
        accounts.create("bob", null, null, "bob-password", Set.of(Role.VIEWER), false);
        assertThatThrownBy(() -> accounts.create("BOB", null, null, "bob-password", Set.of(Role.VIEWER), false))
                .isInstanceOf(AccountExistsException.class);
        assertThatThrownBy(() -> accounts.create("<script>", null, null, "bob-password", Set.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionsExpireWhenIdleAndAtTheirAbsoluteLimit() {
        User u = accounts.create("carol", null, null, "carol-password", Set.of(Role.VIEWER), false);
        Sessions.Issued s = sessions.create(u, "127.0.0.1", "test");
        assertThat(sessions.resolve(s.token())).isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.resolve(s.token())).as("idle expiry").isEmpty();

        Sessions.Issued t = sessions.create(u, "127.0.0.1", "test");
        // Active every 20 minutes, so never idle: still ends at the absolute limit (24 h here).
        while (clock.instant().plus(Duration.ofMinutes(20)).isBefore(t.info().absoluteExpiresAt())) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.resolve(t.token())).isPresent();
        }
        clock.advance(Duration.ofMinutes(20));
        assertThat(sessions.resolve(t.token())).as("absolute expiry after 24 h").isEmpty();
    }

    @Test
    void rotationInvalidatesTheOldTokenAndTheCapEndsTheOldestSession() {
        User u = accounts.create("dave", null, null, "dave-password", Set.of(Role.VIEWER), false);
        Sessions.Issued a = sessions.create(u, "ip", "ua");
        Sessions.Issued rotated = sessions.rotate(a.info().id()).orElseThrow();
        assertThat(sessions.resolve(a.token())).isEmpty();
        assertThat(sessions.resolve(rotated.token())).isPresent();
        Revocations.Watch stream =
                revocations.watch(Principal.session(u, rotated.info().id()));
        clock.advance(Duration.ofSeconds(1));
        sessions.create(u, "ip", "ua");
        assertThat(stream.ended()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        sessions.create(u, "ip", "ua"); // cap is 2: the rotated (oldest) one ends
        assertThat(sessions.resolve(rotated.token())).isEmpty();
        assertThat(stream.ended()).as("what the evicted session opened is told").isTrue();
    }

    @Test
    void endingTheOtherSessionsKeepsOneAndTellsTheStreamsOfTheRest() {
        User u = accounts.create("frank", null, null, "frank-password", Set.of(Role.VIEWER), false);
        Sessions.Issued other = sessions.create(u, "ip", "ua");
        Sessions.Issued kept = sessions.create(u, "ip", "ua");
        Revocations.Watch otherStream =
                revocations.watch(Principal.session(u, other.info().id()));
        Revocations.Watch keptStream =
                revocations.watch(Principal.session(u, kept.info().id()));
        sessions.endOthers(u.id(), kept.info().id()); // what a password change does
        assertThat(sessions.resolve(other.token())).isEmpty();
        assertThat(sessions.resolve(kept.token())).isPresent();
        assertThat(otherStream.ended()).isTrue();
        assertThat(keptStream.ended()).isFalse();
    }

    @Test
    void tokensAreScopedRevocableAndExpire() {
        User viewer = accounts.create("erin", null, null, "erin-password", Set.of(Role.VIEWER), false);
        assertThatThrownBy(() -> tokens.create(viewer, "x", Scope.ADMIN, null)).hasMessageContaining("cannot create");
        ApiTokens.Issued read = tokens.create(viewer, "reader", Scope.READ, Duration.ofDays(1));
        assertThat(read.token()).startsWith("rbt_");
        Principal p = tokens.resolve(read.token()).orElseThrow();
        assertThat(p.has(Role.VIEWER)).isTrue();
        assertThat(p.has(Role.ANALYST)).isFalse();
        assertThat(p.mayIngest()).isFalse();
        clock.advance(Duration.ofDays(2));
        assertThat(tokens.resolve(read.token())).isEmpty();

        User admin = accounts.create("frank", null, null, "frank-password", EnumSet.of(Role.ADMIN), false);
        ApiTokens.Issued ingest = tokens.create(admin, "shipper", Scope.INGEST, null);
        Principal ip = tokens.resolve(ingest.token()).orElseThrow();
        assertThat(ip.mayIngest()).isTrue();
        assertThat(ip.has(Role.VIEWER)).as("an ingest token cannot read").isFalse();
        assertThat(tokens.revoke(null, ingest.info().id())).isTrue();
        assertThat(tokens.resolve(ingest.token())).isEmpty();
        assertThat(tokens.list(admin.id()))
                .singleElement()
                .satisfies(t -> assertThat(t.revokedAt()).isNotNull());
    }

    @Test
    void aRecheckEndsTheStreamsOfCredentialsThatExpiredOrEndedElsewhere() {
        User grace = accounts.create("grace", null, null, "grace-password", Set.of(Role.ANALYST), false);
        User henry = accounts.create("henry", null, null, "henry-password", Set.of(Role.ANALYST), false);
        User ida = accounts.create("ida", null, null, "ida-password", Set.of(Role.VIEWER), false);
        Sessions.Issued active = sessions.create(grace, "ip", "ua");
        Sessions.Issued signedOutElsewhere = sessions.create(grace, "ip", "ua");
        Sessions.Issued disabledUser = sessions.create(henry, "ip", "ua");
        Sessions.Issued idle = sessions.create(ida, "ip", "ua");
        ApiTokens.Issued token = tokens.create(grace, "reader", Scope.READ, null);
        ApiTokens.Issued revokedElsewhere = tokens.create(grace, "old", Scope.READ, null);
        ApiTokens.Issued shortLived = tokens.create(grace, "short", Scope.READ, Duration.ofMinutes(20));
        Revocations.Watch activeStream =
                revocations.watch(Principal.session(grace, active.info().id()));
        Revocations.Watch elsewhereStream = revocations.watch(
                Principal.session(grace, signedOutElsewhere.info().id()));
        Revocations.Watch disabledStream =
                revocations.watch(Principal.session(henry, disabledUser.info().id()));
        Revocations.Watch idleStream =
                revocations.watch(Principal.session(ida, idle.info().id()));
        Revocations.Watch tokenStream = revocations.watch(
                Principal.token(grace, Scope.READ, token.info().id()));
        Revocations.Watch revokedStream = revocations.watch(
                Principal.token(grace, Scope.READ, revokedElsewhere.info().id()));
        Revocations.Watch shortStream = revocations.watch(
                Principal.token(grace, Scope.READ, shortLived.info().id()));

        // Another process sharing the database signs a session out, revokes a token and disables a user: this
        // process is not told, only the rows change.
        db.useHandle(h -> {
            h.execute(
                    "DELETE FROM user_sessions WHERE id = ?",
                    signedOutElsewhere.info().id());
            h.execute(
                    "UPDATE api_tokens SET revoked_at = created_at WHERE id = ?",
                    revokedElsewhere.info().id());
            h.execute("UPDATE users SET disabled = ? WHERE id = ?", true, henry.id());
        });
        // Grace keeps using her session; Ida's idles past its 30 minutes, and the short token expires.
        clock.advance(Duration.ofMinutes(25));
        assertThat(sessions.resolve(active.token())).isPresent();
        clock.advance(Duration.ofMinutes(10));
        assertThat(elsewhereStream.ended())
                .as("nothing seen before the recheck")
                .isFalse();

        revocations.recheck(sessions::live, tokens::live);
        assertThat(activeStream.ended()).isFalse();
        assertThat(tokenStream.ended()).isFalse();
        assertThat(elsewhereStream.ended()).isTrue();
        assertThat(disabledStream.ended()).isTrue();
        assertThat(idleStream.ended()).isTrue();
        assertThat(revokedStream.ended()).isTrue();
        assertThat(shortStream.ended()).isTrue();
    }

    @Test
    void liveCredentialsAreAskedInBatches() {
        User u = accounts.create("jack", null, null, "jack-password", Set.of(Role.VIEWER), false);
        String first = sessions.create(u, "ip", "ua").info().id();
        String second = sessions.create(u, "ip", "ua").info().id();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * Sessions.LIVE_BATCH; i++) { // sessions that never were, and two that are
            ids.add(
                    i == 1
                            ? first
                            : i == 2 * Sessions.LIVE_BATCH + 7
                                    ? second
                                    : java.util.UUID.randomUUID().toString());
        }
        assertThat(sessions.live(ids)).containsExactlyInAnyOrder(first, second);
        assertThat(sessions.live(java.util.List.of())).isEmpty();
    }
}
