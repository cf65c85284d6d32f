package io.hearth.installer.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One identity change, or a copy of the database, asked for on the command line. Passwords travel
 * only as their hash, so a request waiting in the data dir holds no secret.
 *
 * @param name the user or thing; for {@code DATABASE_COPY}, the file in the inbox to copy into
 * @param role {@code owner} or {@code member}, for {@code user add}
 * @param passwordHash the new password's hash, for the {@code add} actions; none for a
 *     certificate-only credential
 * @param allow extra topic filters, for {@code credential add}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminRequest(Action action, String name, String role, String passwordHash, List<String> allow) {

    public enum Action { USER_ADD, CREDENTIAL_ADD, CREDENTIAL_REVOKE, DATABASE_COPY }

    public AdminRequest {
        allow = allow == null ? List.of() : List.copyOf(allow);
    }
}
