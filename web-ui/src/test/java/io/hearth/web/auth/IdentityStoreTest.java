package io.hearth.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.auth.AuthenticationException;
import io.hearth.core.auth.Identity;
import io.hearth.core.auth.Role;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.Migrations;
import io.hearth.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, credentials, tokens and sessions in the real H2 store, and the broker's view of them. */
class IdentityStoreTest {

    @TempDir
    Path dir;

    private Store store;
    private IdentityStore identities;

    @BeforeEach
    void open() throws Exception {
        store = new Store(DataDir.prepare(dir), List.of(new Migrations("auth")));
        store.start();
        identities = new IdentityStore(store);
    }

    @AfterEach
    void close() {
        store.stop();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCredentialLogsInAsItsDeviceWithItsGrantsAndNothingIsStoredInTheClear() throws Exception {
        identities.addCredential("kitchen-sensor", "correct horse".toCharArray(), List.of("home/kitchen/#"));
        Identity identity = identities.authenticate("kitchen-sensor", utf8("correct horse"), "127.0.0.1");
        assertThat(identity).isEqualTo(new Identity("kitchen-sensor", Role.DEVICE, List.of("home/kitchen/#")));
        assertThat(identity.mayPublish("$aws/things/kitchen-sensor/shadow/update")).isTrue();
        assertThat(identity.mayPublish("$aws/things/other/shadow/update")).isFalse();
        assertThat(identity.maySubscribe("home/kitchen/+")).isTrue();
        assertThat(identity.maySubscribe("home/#")).isFalse();
        try (Connection connection = store.dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT password_hash FROM auth_credential")) {
            rows.next();
            assertThat(rows.getString(1)).startsWith("pbkdf2-sha256$").doesNotContain("correct horse");
        }
    }

    @Test
    void aWrongPasswordAnUnknownNameAndARevokedCredentialAreRefusedAlike() throws Exception {
        identities.addCredential("plug", "plug-password".toCharArray(), List.of());
        List<String> revoked = new ArrayList<>();
        identities.onRevoked(revoked::add);
        assertRefused("plug", "wrong-password", AuthenticationException.Reason.BAD_CREDENTIALS);
        assertRefused("nobody", "plug-password", AuthenticationException.Reason.BAD_CREDENTIALS);
        identities.authenticate("plug", utf8("plug-password"), "10.0.0.2");
        assertThat(identities.revokeCredential("plug")).isTrue();
        assertThat(revoked).containsExactly("plug");
        assertRefused("plug", "plug-password", AuthenticationException.Reason.BAD_CREDENTIALS);
        assertThat(identities.revokeCredential("plug")).isFalse();
    }

    @Test
    void aCertificateOnlyCredentialHasNoPasswordThatOpensIt() throws Exception {
        identities.addCertificateCredential("gate-opener", List.of("home/gate/#"));
        assertRefused("gate-opener", "", AuthenticationException.Reason.BAD_CREDENTIALS);
        assertRefused("gate-opener", "null", AuthenticationException.Reason.BAD_CREDENTIALS);
        assertThat(identities.byCertificate("gate-opener", "10.0.0.3"))
                .isEqualTo(new Identity("gate-opener", Role.DEVICE, List.of("home/gate/#")));
        assertThat(identities.credentials()).singleElement().satisfies(credential -> {
            assertThat(credential.thing()).isEqualTo("gate-opener");
            assertThat(credential.certificateOnly()).isTrue();
        });
        assertThatThrownBy(() -> identities.addCredential("gate-opener", "long enough".toCharArray(), List.of()))
                .hasMessageContaining("there is already a credential for gate-opener");

        identities.addCredential("porch-light", "porch-password".toCharArray(), List.of());
        assertThat(identities.credentials()).filteredOn(credential -> credential.thing().equals("porch-light"))
                .singleElement().satisfies(credential -> assertThat(credential.certificateOnly()).isFalse());
    }

    @Test
    void repeatedFailuresAreThrottledPerNameEvenWithTheRightPasswordAfterwards() throws Exception {
        identities.addCredential("door", "door-password".toCharArray(), List.of());
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            try {
                identities.authenticate("door", utf8("guess-" + i), "10.0.0." + i);
            } catch (AuthenticationException expected) {
                // counting failures
            }
        }
        assertRefused("door", "door-password", AuthenticationException.Reason.THROTTLED);
    }

    @Test
    void anOwnersApiTokenWorksAsMqttPasswordAndAMembersDoesNot() throws Exception {
        identities.addUser("alice", Role.OWNER, "alice-password".toCharArray());
        identities.addUser("bob", Role.MEMBER, "bob-password".toCharArray());
        IdentityStore.Issued aliceToken = identities.issueToken("alice", "scripts");
        IdentityStore.Issued bobToken = identities.issueToken("bob", "phone");
        assertThat(identities.authenticate("alice", utf8(aliceToken.secret()), "127.0.0.1").role()).isEqualTo(Role.OWNER);
        assertRefused("bob", bobToken.secret(), AuthenticationException.Reason.NOT_AUTHORIZED);
        assertRefused("bob", aliceToken.secret(), AuthenticationException.Reason.BAD_CREDENTIALS);
        assertThat(identities.revokeToken("alice", aliceToken.id())).isTrue();
        assertRefused("alice", aliceToken.secret(), AuthenticationException.Reason.BAD_CREDENTIALS);
    }

    @Test
    void badNamesWeakPasswordsDuplicatesAndBadGrantsAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> identities.addUser("a+b", Role.OWNER, "long enough".toCharArray()))
                .hasMessageContaining("user name");
        assertThatThrownBy(() -> identities.addUser("carol", Role.OWNER, "short".toCharArray()))
                .hasMessage("a password needs at least 8 characters");
        assertThatThrownBy(() -> identities.addCredential("sensor/#", "long enough".toCharArray(), List.of()))
                .hasMessageContaining("not a valid device id");
        assertThatThrownBy(() -> identities.addCredential("sensor", "long enough".toCharArray(), List.of("a/#/b")))
                .hasMessageStartingWith("--allow a/#/b:");
        identities.addUser("carol", Role.OWNER, "long enough".toCharArray());
        assertThatThrownBy(() -> identities.addUser("carol", Role.MEMBER, "long enough".toCharArray()))
                .hasMessage("there is already a user named carol");
    }

    @Test
    void aSessionLastsUntilItEndsOrItsUserIsDeleted() throws Exception {
        identities.addUser("dana", Role.MEMBER, "dana-password".toCharArray());
        IdentityStore.User dana = identities.login("dana", "dana-password".toCharArray(), "127.0.0.1");
        IdentityStore.Issued session = identities.startSession(dana);
        assertThat(identities.session(session.secret()).orElseThrow().csrf()).isEqualTo(session.id());
        identities.endSession(session.secret());
        assertThat(identities.session(session.secret())).isEmpty();
        IdentityStore.Issued again = identities.startSession(dana);
        identities.deleteUser("dana");
        assertThat(identities.session(again.secret())).isEmpty();
        assertThat(identities.users()).isEmpty();
    }

    @Test
    void twoOwnersRemovingEachOtherAtTheSameMomentLeaveTheHomeWithOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            String a = "owner-a" + round;
            String b = "owner-b" + round;
            identities.addUser(a, Role.OWNER, "a-password".toCharArray());
            identities.addUser(b, Role.OWNER, "b-password".toCharArray());
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.CompletableFuture<Boolean>> removals = new ArrayList<>();
            for (String name : List.of(a, b)) {
                removals.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return name.equals(a) ? identities.deleteUser(name) : identities.changeRole(name, Role.MEMBER);
                    } catch (IdentityStore.LastOwnerException refused) {
                        return false;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            go.countDown();
            long done = removals.stream().filter(java.util.concurrent.CompletableFuture::join).count();
            assertThat(done).as("round " + round).isEqualTo(1);
            assertThat(identities.hasOwner()).isTrue();
            // The next round starts from a home without owners again, which only the store itself can make.
            try (Connection connection = store.dataSource().getConnection()) {
                connection.createStatement().executeUpdate("DELETE FROM auth_user");
            }
        }
    }

    private void assertRefused(String name, String password, AuthenticationException.Reason reason) {
        assertThatThrownBy(() -> identities.authenticate(name, utf8(password), "10.9.9.9"))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
