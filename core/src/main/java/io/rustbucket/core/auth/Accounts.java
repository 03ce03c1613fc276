package io.rustbucket.core.auth;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The platform's user accounts, shared by every system: creation, password sign-in, password changes. */
public final class Accounts {
    /** Name of the file, in the data directory, that holds the first admin's generated password. */
    public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String COLUMNS =
            "id, username, email, display_name, roles, must_change_password, disabled, created_at";

    private final Database db;
    private final PasswordHasher hasher;
    private final Clock clock;
    /** Hash checked when the account does not exist, so a missing user costs as much time as a wrong password. */
    private final String dummyHash;

    public Accounts(Database db, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.hasher = hasher;
        this.clock = clock;
        this.dummyHash = hasher.hash(SecretTokens.generate("", 16));
    }

    /**
     * Creates an account.
     *
     * @throws IllegalArgumentException for an invalid name, e-mail or password (message fit for the user)
     * @throws AccountExistsException when the username or e-mail is taken
     */
    public User create(
            String username, String email, String displayName, String password, Set<Role> roles, boolean mustChange) {
        String name = normaliseUsername(username);
        String mail = email == null || email.isBlank() ? null : email.trim().toLowerCase(Locale.ROOT);
        if (mail != null && (mail.length() > 254 || !mail.matches("[^@\\s]+@[^@\\s]+"))) {
            throw new IllegalArgumentException("invalid e-mail address");
        }
        String hash = password == null ? null : hasher.hash(password);
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        String display = displayName == null || displayName.isBlank() ? name : displayName.strip();
        if (display.length() > 128) {
            throw new IllegalArgumentException("display name must have at most 128 characters");
        }
        try {
            db.useHandle(
                    h -> h.createUpdate("INSERT INTO users (id, username, email, display_name, password_hash, roles, "
                                    + "must_change_password, disabled, created_at, updated_at) VALUES "
                                    + "(:id, :username, :email, :display, :hash, :roles, :must, :disabled, :now, :now)")
                            .bind("id", id)
                            .bind("username", name)
                            .bind("email", mail)
                            .bind("display", display)
                            .bind("hash", hash)
                            .bind("roles", roles.stream().map(Role::id).sorted().collect(Collectors.joining(",")))
                            .bind("must", mustChange)
                            .bind("disabled", false)
                            .bind("now", now)
                            .execute());
        } catch (DuplicateKeyException e) {
            throw new AccountExistsException(name);
        }
        return new User(id, name, mail, display, roles, mustChange, false, now);
    }

    public Optional<User> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> user(rs))
                .findOne());
    }

    public Optional<User> findByLogin(String login) {
        String l = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        return db.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM users WHERE username = :l OR email = :l ORDER BY username")
                .bind("l", l)
                .map((rs, ctx) -> user(rs))
                .findFirst());
    }

    public List<User> list() {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY username")
                .map((rs, ctx) -> user(rs))
                .list());
    }

    public long count() {
        return db.withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    /**
     * Signs in with a username or e-mail and a password. Disabled accounts and accounts without a password
     * (OAuth-only) never match.
     */
    public Optional<User> authenticate(String login, String password) {
        String l = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<String[]> row = db.withHandle(h -> h.createQuery(
                        "SELECT id, password_hash FROM users WHERE (username = :l OR email = :l) AND disabled = :f")
                .bind("l", l)
                .bind("f", false)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findFirst());
        String hash = row.map(r -> r[1]).orElse(null);
        boolean ok = hasher.verify(password, hash == null ? dummyHash : hash) && hash != null;
        return ok ? find(row.get()[0]) : Optional.empty();
    }

    /**
     * Changes a password after checking the current one.
     *
     * @throws IllegalArgumentException when the current password is wrong or the new one unusable
     */
    public void changePassword(String userId, String currentPassword, String newPassword) {
        String stored = db.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
        if (stored == null || !hasher.verify(currentPassword, stored)) {
            throw new IllegalArgumentException("current password is wrong");
        }
        if (newPassword != null && newPassword.equals(currentPassword)) {
            throw new IllegalArgumentException("new password must differ from the current one");
        }
        setPassword(userId, newPassword, false);
    }

    public void setPassword(String userId, String newPassword, boolean mustChange) {
        String hash = hasher.hash(newPassword);
        db.useHandle(h -> h.createUpdate(
                        "UPDATE users SET password_hash = :h, must_change_password = :m, updated_at = :now WHERE id = :id")
                .bind("h", hash)
                .bind("m", mustChange)
                .bind("now", clock.instant())
                .bind("id", userId)
                .execute());
    }

    /**
     * On first start (no accounts at all) creates {@code admin} with a random password that must be changed at
     * first sign-in, and writes the password to {@code dataDir/initial-admin-password} with mode 0600.
     *
     * @return the generated password, or empty when accounts already exist
     */
    public Optional<String> ensureInitialAdmin(Path dataDir) {
        if (count() > 0) {
            return Optional.empty();
        }
        String password = SecretTokens.generate("", 15); // 120 bits, 20 characters
        try {
            create("admin", null, "Administrator", password, EnumSet.of(Role.ADMIN), true);
        } catch (AccountExistsException e) {
            return Optional.empty(); // another process created it first
        }
        Path file = dataDir.resolve(INITIAL_PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(password);
    }

    static String normaliseUsername(String username) {
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "username must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    static User user(ResultSet rs) throws SQLException {
        String roles = rs.getString("roles");
        Set<Role> set = roles == null || roles.isBlank()
                ? Set.of()
                : Arrays.stream(roles.split(",")).map(Role::parse).collect(Collectors.toSet());
        return new User(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("email"),
                rs.getString("display_name"),
                set,
                rs.getBoolean("must_change_password"),
                rs.getBoolean("disabled"),
                rs.getTimestamp("created_at").toInstant());
    }
}
