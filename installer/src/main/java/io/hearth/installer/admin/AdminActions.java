package io.hearth.installer.admin;

import io.hearth.core.auth.Role;
import io.hearth.installer.backup.DatabaseCopy;
import io.hearth.web.auth.IdentityStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** Carries out an {@link AdminRequest} on the hub's database: the same code for a running hub and a stopped one. */
public final class AdminActions {

    /** A request that cannot be carried out; the message tells the user why. */
    public static final class AdminException extends Exception {
        AdminException(String message) {
            super(message, null, false, false);
        }
    }

    private AdminActions() {
    }

    /**
     * Returns what was done, in a sentence for the terminal.
     *
     * @param database the open database, for a copy
     * @param inbox where a copy may be written: nowhere else, whatever the request says
     */
    static String execute(AdminRequest request, IdentityStore identities, DataSource database, Path inbox)
            throws AdminException {
        try {
            switch (request.action()) {
                case DATABASE_COPY -> {
                    Path target = inbox.resolve(request.name()).normalize();
                    if (!target.getParent().equals(inbox.normalize()) || !request.name().endsWith(DatabaseCopy.SUFFIX)) {
                        throw new AdminException("a database copy goes into the admin inbox as *" + DatabaseCopy.SUFFIX
                                + ", not " + request.name());
                    }
                    DatabaseCopy.write(database, target);
                    return "copied the database to " + request.name();
                }
                case USER_ADD -> {
                    identities.addUser(request.name(), Role.valueOf(request.role().toUpperCase(Locale.ROOT)), request.passwordHash());
                    return "added " + request.role() + " " + request.name();
                }
                case CREDENTIAL_ADD -> {
                    identities.addCredential(request.name(), request.passwordHash(), request.allow());
                    return "added MQTT credential " + request.name()
                            + (request.allow().isEmpty() ? "" : " with access to " + String.join(", ", request.allow()))
                            + (request.passwordHash() == null ? "; it has no password: only a TLS client certificate "
                                    + "with CN=" + request.name() + " from the authority in tls/client-ca.pem logs in" : "");
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
