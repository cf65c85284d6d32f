package io.hearth.core.auth;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks who a client is. The broker asks it at CONNECT; the identity store implements it. Absent an
 * implementation the broker lets nobody in with a username (it never fails open).
 */
public interface Authenticator {

    /**
     * Checks an MQTT login: a credential's thing name and password, or an owner's name and one of
     * their API tokens.
     *
     * @param address the client's address, for throttling failed attempts
     */
    Identity authenticate(String username, byte[] password, String address) throws AuthenticationException;

    /** The identity of a TLS client certificate's common name: an existing, unrevoked credential. */
    Identity byCertificate(String commonName, String address) throws AuthenticationException;

    /**
     * The identity of an existing name, without a secret: for sessions that outlived a restart, whose
     * rights are checked again. Empty when the name no longer exists (revoked, deleted).
     */
    Optional<Identity> identity(String name);

    /** Tells {@code listener} the name of every identity revoked or deleted from now on, at once. */
    void onRevoked(Consumer<String> listener);
}
