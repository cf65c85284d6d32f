package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.installer.admin.AdminRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity commands on the command line, and their effect on a stopped hub's data dir. */
class IdentityCommandsTest {

    @TempDir
    Path dir;

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialAddTakesThePasswordFromStandardInputAndSeveralAllowFilters() throws Exception {
        AdminRequest request = IdentityCommands.parse("credential",
                List.of("add", "kitchen-sensor", "--password-stdin", "--allow", "home/kitchen/#", "home/alarm/+"),
                stdin("sensor-password\n"));
        assertThat(request.action()).isEqualTo(AdminRequest.Action.CREDENTIAL_ADD);
        assertThat(request.name()).isEqualTo("kitchen-sensor");
        assertThat(request.allow()).containsExactly("home/kitchen/#", "home/alarm/+");
        assertThat(request.passwordHash()).startsWith("pbkdf2-sha256$").doesNotContain("sensor-password");
    }

    @Test
    void aCertificateOnlyCredentialReadsNoPassword() throws Exception {
        AdminRequest request = IdentityCommands.parse("credential",
                List.of("add", "gate-opener", "--certificate-only", "--allow", "home/gate/#"), stdin("not read"));
        assertThat(request.action()).isEqualTo(AdminRequest.Action.CREDENTIAL_ADD);
        assertThat(request.name()).isEqualTo("gate-opener");
        assertThat(request.passwordHash()).isNull();
        assertThat(request.allow()).containsExactly("home/gate/#");
        assertThatThrownBy(() -> IdentityCommands.parse("credential",
                List.of("add", "gate-opener", "--certificate-only", "--password-stdin"), stdin("long enough")))
                .hasMessageContaining("--certificate-only is for a credential without a password");
        assertThatThrownBy(() -> IdentityCommands.parse("user",
                List.of("add", "alice", "--role", "owner", "--certificate-only"), stdin("")))
                .hasMessageContaining("--certificate-only is for a credential");
        assertThatThrownBy(() -> IdentityCommands.parse("credential", List.of("revoke", "gate-opener", "--certificate-only"),
                stdin(""))).hasMessage("usage: hearth credential revoke THING");
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatToType() {
        assertThatThrownBy(() -> IdentityCommands.parse("user", List.of("add", "alice", "--role", "owner"), stdin("")))
                .hasMessageContaining("--password-stdin");
        assertThatThrownBy(() -> IdentityCommands.parse("user", List.of("add", "alice", "--role", "admin", "--password-stdin"),
                stdin("long enough"))).hasMessage("--role must be owner or member");
        assertThatThrownBy(() -> IdentityCommands.parse("credential", List.of("revoke"), stdin("")))
                .hasMessage("usage: hearth credential revoke THING");
        assertThatThrownBy(() -> IdentityCommands.parse("credential", List.of("rotate", "x"), stdin("")))
                .hasMessageContaining("unknown command 'credential rotate'");
        assertThatThrownBy(() -> IdentityCommands.parse("credential", List.of("add", "x", "--password-stdin"), stdin("short\n")))
                .hasMessage("a password needs at least 8 characters");
    }

    @Test
    void onAStoppedHubTheCommandsChangeTheDataDirAndExitWithTheRightStatus() {
        String dataDir = dir.resolve("data").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int added = Main.execute(new String[] {"credential", "add", "door", "--password-stdin", "--data-dir", dataDir},
                stdin("door-password"), new PrintStream(out), new PrintStream(err));
        assertThat(added).isEqualTo(Main.OK);
        assertThat(out.toString()).contains("added MQTT credential door");
        int duplicate = Main.execute(new String[] {"credential", "add", "door", "--password-stdin", "--data-dir", dataDir},
                stdin("door-password"), new PrintStream(out), new PrintStream(err));
        assertThat(duplicate).isEqualTo(Main.FAILED);
        assertThat(err.toString()).contains("there is already a credential for door");
        assertThat(Main.execute(new String[] {"credential", "revoke", "door", "--data-dir", dataDir}, stdin(""),
                new PrintStream(out), new PrintStream(err))).isEqualTo(Main.OK);
        assertThat(Main.execute(new String[] {"credential", "revoke", "door", "--data-dir", dataDir}, stdin(""),
                new PrintStream(out), new PrintStream(err))).isEqualTo(Main.FAILED);
    }
}
