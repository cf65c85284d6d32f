package io.hearth.web.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.auth.AuthenticationException;
import io.hearth.core.auth.Authenticator;
import io.hearth.core.auth.Identity;
import io.hearth.core.auth.Role;
import io.hearth.core.bus.Topics;
import io.hearth.core.device.DeviceId;
import io.hearth.core.store.Store;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every identity of the hub ({@code auth_*} tables): web users (owners and members) with slow-hashed
 * passwords, MQTT credentials of devices and apps, API tokens and browser sessions (kept as SHA-256
 * of random values, never in the clear). It is the broker's {@link Authenticator}, and tells it
 * about revocations the moment they are stored.
 */
@Singleton
public final class IdentityStore implements Authenticator {

    /** Longest time a browser session lasts without logging in again. */
    public static final Duration SESSION_LIFETIME = Duration.ofDays(30);
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 256;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    public record User(String name, Role role, long createdAt) {
    }

    /** @param certificateOnly true when the credential has no password and logs in only with a client certificate */
    public record Credential(String thing, List<String> grants, long createdAt, boolean certificateOnly) {
    }

    public record Token(String id, String user, String label, long createdAt) {
    }

    /** A browser session: who, their role, the CSRF value their requests must echo, and when it ends. */
    public record WebSession(String user, Role role, String csrf, long expiresAt) {
    }

    /** A new random secret, shown to its owner once, with the id under which it is stored. */
    public record Issued(String id, String secret) {
    }

    /** A refusal the caller must fix: a bad name, a weak password, a duplicate. */
    public static final class IdentityException extends Exception {
        public IdentityException(String message) {
            super(message, null, false, false);
        }
    }

    private final Store store;
    private final Clock clock;
    private final PasswordHasher hasher = new PasswordHasher();
    private final LoginThrottle throttle;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    /** SHA-256 of the last password that logged each credential in, so reconnects skip the slow hash. */
    private final Map<String, String> recentLogins = new ConcurrentHashMap<>();

    public IdentityStore(Store store) {
        this(store, Clock.systemUTC());
    }

    IdentityStore(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
    }

    // ---- users ---------------------------------------------------------------------------------

    public boolean hasOwner() throws SQLException {
        return query("SELECT COUNT(*) FROM auth_user WHERE role = 'OWNER'", List.of(), rows -> rows.next() && rows.getInt(1) > 0);
    }

    public void addUser(String name, Role role, char[] password) throws IdentityException, SQLException {
        addUser(name, role, hashPassword(password));
    }

    /** Adds a user whose password was hashed elsewhere ({@link #hashPassword}), so it never travels in the clear. */
    public void addUser(String name, Role role, String hash) throws IdentityException, SQLException {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new IdentityException("a user name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (role != Role.OWNER && role != Role.MEMBER) {
            throw new IdentityException("a user is an owner or a member");
        }
        checkHash(hash);
        try {
            update("INSERT INTO auth_user (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    List.of(name, role.name(), hash, clock.millis()));
        } catch (SQLException e) {
            if (exists("SELECT 1 FROM auth_user WHERE name = ?", name)) {
                throw new IdentityException("there is already a user named " + name);
            }
            throw e;
        }
    }

    /**
     * Deletes a user with their tokens and sessions, and ends their connections at once. Returns false
     * when there is no such user.
     *
     * @throws LastOwnerException when {@code name} is the home's only owner
     */
    public synchronized boolean deleteUser(String name) throws SQLException, LastOwnerException {
        // Removing and demoting are serialized here, the only places that take an owner away, and the
        // statement itself checks that another owner remains: two owners removing each other cannot
        // leave the home without one.
        boolean deleted = update("DELETE FROM auth_user WHERE name = ? AND (role <> 'OWNER' OR " + OTHER_OWNERS + " > 0)",
                List.of(name, name)) > 0;
        if (deleted) {
            revoked(name);
            return true;
        }
        refuseIfLastOwner(name);
        return false;
    }

    /**
     * Makes a user an owner or a member. Their browser sessions and tokens carry the new role from their
     * next request; their MQTT connections (an owner's token as password) end at once. Returns false when
     * there is no such user.
     *
     * @throws LastOwnerException when the home's only owner would become a member
     */
    public synchronized boolean changeRole(String name, Role role)
            throws SQLException, IdentityException, LastOwnerException {
        if (role != Role.OWNER && role != Role.MEMBER) {
            throw new IdentityException("a user is an owner or a member");
        }
        boolean changed = role == Role.OWNER
                ? update("UPDATE auth_user SET role = 'OWNER' WHERE name = ?", List.of(name)) > 0
                : update("UPDATE auth_user SET role = 'MEMBER' WHERE name = ? AND (role <> 'OWNER' OR " + OTHER_OWNERS + " > 0)",
                        List.of(name, name)) > 0;
        if (changed) {
            revoked(name);
            return true;
        }
        refuseIfLastOwner(name);
        return false;
    }

    /** A home always keeps at least one owner, or nobody could manage it from the web any more. */
    public static final class LastOwnerException extends Exception {
        public LastOwnerException(String name) {
            super("the only owner of this home is " + name + "; make someone else an owner first");
        }
    }

    private static final String OTHER_OWNERS = "(SELECT COUNT(*) FROM auth_user WHERE role = 'OWNER' AND name <> ?)";

    private void refuseIfLastOwner(String name) throws SQLException, LastOwnerException {
        if (exists("SELECT 1 FROM auth_user WHERE name = ? AND role = 'OWNER'", name)) {
            throw new LastOwnerException(name);
        }
    }

    public List<User> users() throws SQLException {
        return query("SELECT name, role, created_at FROM auth_user ORDER BY name", List.of(), rows -> {
            List<User> users = new ArrayList<>();
            while (rows.next()) {
                users.add(new User(rows.getString(1), Role.valueOf(rows.getString(2)), rows.getLong(3)));
            }
            return users;
        });
    }

    /** A web login with name and password; refused the same way for an unknown name and a wrong password. */
    public User login(String name, char[] password, String address) throws AuthenticationException, SQLException {
        throttled(name, address);
        Optional<String[]> row = query("SELECT role, password_hash, created_at FROM auth_user WHERE name = ?", List.of(name),
                rows -> rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)})
                        : Optional.empty());
        // Hash even for an unknown name, so timing does not tell which names exist.
        boolean matches = hasher.matches(password, row.map(r -> r[1]).orElse(DUMMY_HASH)) && row.isPresent();
        if (!matches) {
            throttle.failed(name, address);
            throw new AuthenticationException(AuthenticationException.Reason.BAD_CREDENTIALS, "wrong user name or password");
        }
        throttle.succeeded(name);
        return new User(name, Role.valueOf(row.get()[0]), Long.parseLong(row.get()[2]));
    }

    // ---- MQTT credentials ----------------------------------------------------------------------

    public void addCredential(String thing, char[] password, List<String> grants) throws IdentityException, SQLException {
        addCredential(thing, hashPassword(password), grants);
    }

    /**
     * Adds a credential that has no password: only a TLS client certificate whose CN is {@code thing},
     * from the authority in {@code tls/client-ca.pem}, logs in with it.
     */
    public void addCertificateCredential(String thing, List<String> grants) throws IdentityException, SQLException {
        addCredential(thing, (String) null, grants);
    }

    /**
     * Adds a credential whose password was hashed elsewhere ({@link #hashPassword}); a null
     * {@code hash} makes it certificate-only.
     */
    public void addCredential(String thing, String hash, List<String> grants) throws IdentityException, SQLException {
        String problem = DeviceId.problem(thing);
        if (problem != null) {
            throw new IdentityException(problem);
        }
        if (hash != null) {
            checkHash(hash);
        }
        for (String grant : grants) {
            String filterProblem = Topics.filterProblem(grant);
            if (filterProblem != null) {
                throw new IdentityException("--allow " + grant + ": " + filterProblem);
            }
        }
        try {
            update("INSERT INTO auth_credential (thing, password_hash, grants, created_at) VALUES (?, ?, ?, ?)",
                    Arrays.asList(thing, hash, JSON.writeValueAsString(grants), clock.millis()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (SQLException e) {
            if (exists("SELECT 1 FROM auth_credential WHERE thing = ?", thing)) {
                throw new IdentityException("there is already a credential for " + thing
                        + "; revoke it first to give it a new password or make it certificate-only");
            }
            throw e;
        }
    }

    /** Revokes a credential; its live connections end and its sessions cannot be resumed. */
    public boolean revokeCredential(String thing) throws SQLException {
        boolean deleted = update("DELETE FROM auth_credential WHERE thing = ?", List.of(thing)) > 0;
        if (deleted) {
            revoked(thing);
        }
        return deleted;
    }

    public List<Credential> credentials() throws SQLException {
        return query("SELECT thing, grants, created_at, password_hash IS NULL FROM auth_credential ORDER BY thing", List.of(),
                rows -> {
            List<Credential> credentials = new ArrayList<>();
            while (rows.next()) {
                credentials.add(new Credential(rows.getString(1), grants(rows.getString(2)), rows.getLong(3),
                        rows.getBoolean(4)));
            }
            return credentials;
        });
    }

    // ---- API tokens ----------------------------------------------------------------------------

    public Issued issueToken(String user, String label) throws SQLException {
        String id = randomText(9);
        String secret = "hth_" + randomText(32);
        update("INSERT INTO auth_token (id, user_name, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)",
                List.of(id, user, sha256(secret), label == null ? "" : label, clock.millis()));
        return new Issued(id, secret);
    }

    /** The owner of a token, when it is valid. */
    public Optional<User> byToken(String secret) throws SQLException {
        if (secret == null || !secret.startsWith("hth_")) {
            return Optional.empty();
        }
        return query("SELECT u.name, u.role, u.created_at FROM auth_token t JOIN auth_user u ON u.name = t.user_name "
                + "WHERE t.token_hash = ?", List.of(sha256(secret)), rows -> rows.next()
                ? Optional.of(new User(rows.getString(1), Role.valueOf(rows.getString(2)), rows.getLong(3))) : Optional.empty());
    }

    public List<Token> tokens(String user) throws SQLException {
        return query("SELECT id, user_name, label, created_at FROM auth_token WHERE user_name = ? ORDER BY created_at",
                List.of(user), rows -> {
                    List<Token> tokens = new ArrayList<>();
                    while (rows.next()) {
                        tokens.add(new Token(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4)));
                    }
                    return tokens;
                });
    }

    public boolean revokeToken(String user, String id) throws SQLException {
        boolean deleted = update("DELETE FROM auth_token WHERE id = ? AND user_name = ?", List.of(id, user)) > 0;
        if (deleted) {
            // The token may be in use as an MQTT password: end the owner's MQTT connections.
            revoked(user);
        }
        return deleted;
    }

    // ---- browser sessions ----------------------------------------------------------------------

    /** Starts a session; the returned secret goes into the HttpOnly cookie. */
    public Issued startSession(User user) throws SQLException {
        String secret = randomText(32);
        String csrf = randomText(24);
        update("INSERT INTO auth_session (token_hash, user_name, csrf, expires_at) VALUES (?, ?, ?, ?)",
                List.of(sha256(secret), user.name(), csrf, clock.millis() + SESSION_LIFETIME.toMillis()));
        return new Issued(csrf, secret);
    }

    public Optional<WebSession> session(String secret) throws SQLException {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return query("SELECT s.user_name, u.role, s.csrf, s.expires_at FROM auth_session s JOIN auth_user u "
                + "ON u.name = s.user_name WHERE s.token_hash = ? AND s.expires_at > ?", List.of(sha256(secret), clock.millis()),
                rows -> rows.next() ? Optional.of(new WebSession(rows.getString(1), Role.valueOf(rows.getString(2)),
                        rows.getString(3), rows.getLong(4))) : Optional.empty());
    }

    public void endSession(String secret) throws SQLException {
        update("DELETE FROM auth_session WHERE token_hash = ? OR expires_at <= ?", List.of(sha256(secret), clock.millis()));
    }

    // ---- the broker's view ---------------------------------------------------------------------

    @Override
    public Identity authenticate(String username, byte[] password, String address) throws AuthenticationException {
        throttled(username, address);
        try {
            Optional<String[]> credential = query("SELECT password_hash, grants FROM auth_credential WHERE thing = ?",
                    List.of(username), rows -> rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2)})
                            : Optional.empty());
            if (credential.isPresent() && credential.get()[0] == null) {
                // Certificate-only: no password opens it. Hash anyway, so timing does not tell it apart.
                matches(password, DUMMY_HASH);
            } else if (credential.isPresent()) {
                String fingerprint = sha256(new String(password, StandardCharsets.UTF_8) + "\u0000" + credential.get()[0]);
                if (fingerprint.equals(recentLogins.get(username)) || matches(password, credential.get()[0])) {
                    recentLogins.put(username, fingerprint);
                    throttle.succeeded(username);
                    return new Identity(username, Role.DEVICE, grants(credential.get()[1]));
                }
            } else {
                Optional<User> owner = byToken(new String(password, StandardCharsets.UTF_8));
                if (owner.isPresent() && owner.get().name().equals(username)) {
                    if (owner.get().role() != Role.OWNER) {
                        throw new AuthenticationException(AuthenticationException.Reason.NOT_AUTHORIZED,
                                "members have no MQTT access; an owner's API token is needed");
                    }
                    throttle.succeeded(username);
                    return new Identity(username, Role.OWNER, List.of());
                }
                // Hash anyway, so timing does not tell credentials from unknown names.
                matches(password, DUMMY_HASH);
            }
        } catch (SQLException e) {
            throw new AuthenticationException(AuthenticationException.Reason.NOT_AUTHORIZED,
                    "the identity store cannot be read: " + e.getMessage());
        }
        throttle.failed(username, address);
        throw new AuthenticationException(AuthenticationException.Reason.BAD_CREDENTIALS, "wrong user name or password");
    }

    @Override
    public Identity byCertificate(String commonName, String address) throws AuthenticationException {
        try {
            Optional<List<String>> grants = query("SELECT grants FROM auth_credential WHERE thing = ?", List.of(commonName),
                    rows -> rows.next() ? Optional.of(grants(rows.getString(1))) : Optional.empty());
            return new Identity(commonName, Role.DEVICE, grants.orElseThrow(() -> new AuthenticationException(
                    AuthenticationException.Reason.BAD_CREDENTIALS, "no credential named " + commonName)));
        } catch (SQLException e) {
            throw new AuthenticationException(AuthenticationException.Reason.NOT_AUTHORIZED,
                    "the identity store cannot be read: " + e.getMessage());
        }
    }

    @Override
    public Optional<Identity> identity(String name) {
        try {
            Optional<List<String>> grants = query("SELECT grants FROM auth_credential WHERE thing = ?", List.of(name),
                    rows -> rows.next() ? Optional.of(grants(rows.getString(1))) : Optional.empty());
            if (grants.isPresent()) {
                return Optional.of(new Identity(name, Role.DEVICE, grants.get()));
            }
            return query("SELECT role FROM auth_user WHERE name = ?", List.of(name), rows -> rows.next()
                    && Role.valueOf(rows.getString(1)) == Role.OWNER ? Optional.of(new Identity(name, Role.OWNER, List.of()))
                    : Optional.empty());
        } catch (SQLException e) {
            // Failing closed: a session whose rights cannot be read gets none.
            return Optional.empty();
        }
    }

    @Override
    public void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Tells the listeners that {@code name} is revoked; also used when a revocation came from elsewhere. */
    public void revoked(String name) {
        recentLogins.remove(name);
        revocationListeners.forEach(listener -> listener.accept(name));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A hash to compare against when there is nothing to compare, so failures take as long as successes. */
    private static final String DUMMY_HASH = new PasswordHasher().hash("not a password".toCharArray());

    private void throttled(String name, String address) throws AuthenticationException {
        long wait = throttle.waitMillis(name, address);
        if (wait > 0) {
            throw new AuthenticationException(AuthenticationException.Reason.THROTTLED,
                    "too many failed logins; try again in " + Math.max(1, wait / 1000) + " s");
        }
    }

    private boolean matches(byte[] password, String hash) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(password));
            char[] text = new char[chars.remaining()];
            chars.get(text);
            try {
                return hasher.matches(text, hash);
            } finally {
                Arrays.fill(text, '\0');
            }
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Checks a new password's length and hashes it. */
    public static String hashPassword(char[] password) throws IdentityException {
        if (password == null || password.length < MIN_PASSWORD) {
            throw new IdentityException("a password needs at least " + MIN_PASSWORD + " characters");
        }
        if (password.length > MAX_PASSWORD) {
            throw new IdentityException("a password may have at most " + MAX_PASSWORD + " characters");
        }
        return new PasswordHasher().hash(password);
    }

    private static void checkHash(String hash) throws IdentityException {
        if (hash == null || !hash.startsWith("pbkdf2-sha256$") || hash.split("\\$").length != 4) {
            throw new IdentityException("the password hash is not one this hub made");
        }
    }

    private static List<String> grants(String json) throws SQLException {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored grants are not valid JSON", e);
        }
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, List<Object> parameters, Rows<T> reader) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            return reader.read(rows);
        }
    }

    private int update(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private boolean exists(String sql, String key) throws SQLException {
        return query(sql, List.of(key), ResultSet::next);
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }
}
