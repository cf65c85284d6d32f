package io.hearth.broker.auth;

import io.hearth.core.auth.AuthenticationException;
import io.hearth.core.auth.Authenticator;
import io.hearth.core.auth.Identity;
import io.hearth.core.auth.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Who the broker's clients are: network clients as the {@link Authenticator} vouches for them, the
 * hub's own in-process modules, and anonymous clients where the configuration lets them in. Without
 * an authenticator nobody with a user name gets in; an identity that cannot be resolved has no rights.
 */
public final class BrokerIdentities {

    /** The identity name of clients that connected without a user name. */
    public static final String ANONYMOUS = "anonymous";

    private final Authenticator authenticator;
    private final boolean allowAnonymous;
    private final Set<String> modules = ConcurrentHashMap.newKeySet();
    private final Map<String, Identity> known = new ConcurrentHashMap<>();
    /** Password checks are slow on purpose: they run here, never on a network thread. */
    private final ExecutorService checks = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "mqtt-logins");
        thread.setDaemon(true);
        return thread;
    });

    /** @param authenticator the identity store, or null when there is none (every user name is refused) */
    public BrokerIdentities(Authenticator authenticator, boolean allowAnonymous) {
        this.authenticator = authenticator;
        this.allowAnonymous = allowAnonymous;
    }

    /** Everything allowed, nobody authenticated: for tools and tests that run the broker alone. */
    public static BrokerIdentities open() {
        return new BrokerIdentities(null, true);
    }

    /** {@link #login} on the broker's login threads. */
    public CompletableFuture<Identity> loginLater(String username, byte[] password, String address) {
        return later(username, () -> login(username, password, address));
    }

    /** {@link #certified} on the broker's login threads. */
    public CompletableFuture<Identity> certifiedLater(String name, String address) {
        return later(name, () -> certified(name, address));
    }

    private interface Check {
        Identity run() throws AuthenticationException;
    }

    /** Names that are refused without asking the identity store are answered at once. */
    private CompletableFuture<Identity> later(String name, Check check) {
        if (authenticator == null || reserved(name)) {
            try {
                return CompletableFuture.completedFuture(check.run());
            } catch (AuthenticationException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Identity> result = new CompletableFuture<>();
        checks.execute(() -> {
            try {
                result.complete(check.run());
            } catch (AuthenticationException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Checks a login; the name of a hub module can never be logged into from the network. */
    public Identity login(String username, byte[] password, String address) throws AuthenticationException {
        refuseUnusable(username);
        Identity identity = authenticator.authenticate(username, password == null ? new byte[0] : password, address);
        known.put(identity.name(), identity);
        return identity;
    }

    /**
     * The identity named by a client certificate that TLS has already verified: the credential of that
     * name, which must exist (a revoked credential makes its certificates useless at once).
     */
    public Identity certified(String name, String address) throws AuthenticationException {
        refuseUnusable(name);
        Identity identity = authenticator.byCertificate(name, address);
        known.put(identity.name(), identity);
        return identity;
    }

    private void refuseUnusable(String name) throws AuthenticationException {
        if (authenticator == null) {
            throw new AuthenticationException(AuthenticationException.Reason.BAD_CREDENTIALS,
                    "no MQTT credentials exist on this hub");
        }
        if (reserved(name)) {
            throw new AuthenticationException(AuthenticationException.Reason.BAD_CREDENTIALS, "reserved user name");
        }
    }

    private boolean reserved(String name) {
        return modules.contains(name) || name.equals(ANONYMOUS);
    }

    /** Registers an in-process module: it may use every topic. */
    public void module(String name) {
        modules.add(name);
    }

    /** The rights of a named identity, if it still exists; anonymous clients get all rights where allowed. */
    public Optional<Identity> resolve(String name) {
        if (modules.contains(name)) {
            return Optional.of(Identity.hub(name));
        }
        if (name.equals(ANONYMOUS)) {
            // Development mode only: anonymous clients are trusted like the owner.
            return allowAnonymous ? Optional.of(new Identity(ANONYMOUS, Role.OWNER, List.of())) : Optional.empty();
        }
        Identity cached = known.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Identity> found = authenticator == null ? Optional.empty() : authenticator.identity(name);
        found.ifPresent(identity -> known.put(name, identity));
        return found;
    }

    /** Calls {@code listener} with each revoked name, after its cached rights are forgotten. */
    public void onRevoked(Consumer<String> listener) {
        if (authenticator != null) {
            authenticator.onRevoked(name -> {
                known.remove(name);
                listener.accept(name);
            });
        }
    }

    public boolean allowAnonymous() {
        return allowAnonymous;
    }
}
