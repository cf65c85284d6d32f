package io.hearth.installer.admin;

import io.hearth.core.auth.Role;
import io.hearth.web.auth.IdentityStore;
import java.sql.SQLException;
import java.util.Locale;

/** Carries out an {@link AdminRequest} on the identity store: the same code for a running hub and a stopped one. */
public final class AdminActions {

    /** A request that cannot be carried out; the message tells the user why. */
    public static final class AdminException extends Exception {
        AdminException(String message) {
            super(message, null, false, false);
        }
    }

    private AdminActions() {
    }

    /** Returns what was done, in a sentence for the terminal. */
    static String execute(AdminRequest request, IdentityStore identities) throws AdminException {
        try {
            switch (request.action()) {
                case USER_ADD -> {
                    identities.addUser(request.name(), Role.valueOf(request.role().toUpperCase(Locale.ROOT)), request.passwordHash());
                    return "added " + request.role() + " " + request.name();
                }
                case CREDENTIAL_ADD -> {
                    identities.addCredential(request.name(), request.passwordHash(), request.allow());
                    return "added MQTT credential " + request.name()
                            + (request.allow().isEmpty() ? "" : " with access to " + String.join(", ", request.allow()));
                }
                case CREDENTIAL_REVOKE -> {
                    if (!identities.revokeCredential(request.name())) {
                        throw new AdminException("there is no credential named " + request.name());
                    }
                    return "revoked " + request.name() + "; its connections are closed";
                }
                default -> throw new AdminException("unknown action " + request.action());
            }
        } catch (IdentityStore.IdentityException e) {
            throw new AdminException(e.getMessage());
        } catch (SQLException e) {
            throw new AdminException("the database could not be changed: " + e.getMessage());
        }
    }
}
