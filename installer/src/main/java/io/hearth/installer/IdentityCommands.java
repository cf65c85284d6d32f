package io.hearth.installer;

import io.hearth.installer.admin.AdminRequest;
import io.hearth.web.auth.IdentityStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code user add}, {@code credential add} and {@code credential revoke} from the command line
 * into an {@link AdminRequest}. The password comes from standard input only, never from an
 * argument (arguments show up in process lists and shell history), and is hashed right here. A
 * credential added with {@code --certificate-only} has no password at all.
 */
final class IdentityCommands {

    private IdentityCommands() {
    }

    static AdminRequest parse(String command, List<String> arguments, InputStream stdin)
            throws CommandLine.UsageException, IOException, IdentityStore.IdentityException {
        String sub = arguments.isEmpty() ? "" : arguments.get(0);
        List<String> rest = arguments.subList(Math.min(1, arguments.size()), arguments.size());
        String name = null;
        String role = null;
        boolean passwordFromStdin = false;
        boolean certificateOnly = false;
        List<String> allow = new ArrayList<>();
        boolean inAllow = false;
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "--password-stdin" -> {
                    passwordFromStdin = true;
                    inAllow = false;
                }
                case "--certificate-only" -> {
                    certificateOnly = true;
                    inAllow = false;
                }
                case "--role" -> {
                    role = i + 1 < rest.size() ? rest.get(++i) : null;
                    inAllow = false;
                }
                case "--allow" -> inAllow = true;
                default -> {
                    if (arg.startsWith("--")) {
                        throw new CommandLine.UsageException(command + " " + sub + " does not know " + arg);
                    } else if (inAllow) {
                        allow.add(arg);
                    } else if (name == null) {
                        name = arg;
                    } else {
                        throw new CommandLine.UsageException(command + " " + sub + " takes one name, not also '" + arg + "'");
                    }
                }
            }
        }
        String usage = switch (command + " " + sub) {
            case "user add" -> "user add NAME --role owner|member --password-stdin";
            case "credential add" -> "credential add THING --password-stdin|--certificate-only [--allow FILTER...]";
            case "credential revoke" -> "credential revoke THING";
            default -> throw new CommandLine.UsageException("unknown command '" + (command + " " + sub).trim()
                    + "'; use user add, credential add or credential revoke");
        };
        if (name == null) {
            throw new CommandLine.UsageException("usage: hearth " + usage);
        }
        if (sub.equals("revoke")) {
            if (passwordFromStdin || certificateOnly || role != null || !allow.isEmpty()) {
                throw new CommandLine.UsageException("usage: hearth " + usage);
            }
            return new AdminRequest(AdminRequest.Action.CREDENTIAL_REVOKE, name, null, null, null);
        }
        if (certificateOnly) {
            if (!command.equals("credential") || passwordFromStdin || role != null) {
                throw new CommandLine.UsageException("--certificate-only is for a credential without a password; usage: hearth "
                        + usage);
            }
            return new AdminRequest(AdminRequest.Action.CREDENTIAL_ADD, name, null, null, allow);
        }
        if (!passwordFromStdin) {
            throw new CommandLine.UsageException("give the password on standard input with --password-stdin, e.g. "
                    + "'printf %s \"$PASSWORD\" | hearth " + command + " add " + name + " --password-stdin ...'");
        }
        if (command.equals("user") && !"owner".equals(role) && !"member".equals(role)) {
            throw new CommandLine.UsageException("--role must be owner or member");
        }
        if (command.equals("credential") && role != null) {
            throw new CommandLine.UsageException("credentials have no role; usage: hearth " + usage);
        }
        if (command.equals("user") && !allow.isEmpty()) {
            throw new CommandLine.UsageException("--allow is for credentials; usage: hearth " + usage);
        }
        char[] password = readPassword(stdin);
        try {
            String hash = IdentityStore.hashPassword(password);
            return command.equals("user")
                    ? new AdminRequest(AdminRequest.Action.USER_ADD, name, role, hash, null)
                    : new AdminRequest(AdminRequest.Action.CREDENTIAL_ADD, name, null, hash, allow);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** All of standard input, without one trailing line break (as {@code echo} adds). */
    private static char[] readPassword(InputStream stdin) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stdin.transferTo(bytes);
        byte[] raw = bytes.toByteArray();
        int end = raw.length;
        if (end > 0 && raw[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && raw[end - 1] == '\r') {
            end--;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw, 0, end));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        Arrays.fill(raw, (byte) 0);
        return password;
    }
}
