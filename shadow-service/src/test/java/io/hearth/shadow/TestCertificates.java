package io.hearth.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority with a server certificate for {@code localhost}/127.0.0.1 and a
 * client certificate, made with the JDK's keytool; keys are written as PKCS#8 PEM, the form both
 * Mosquitto and the hub read, and the client's key and certificate are also in {@link #clientStore}
 * (PKCS#12, password {@link #PASS}) for Java clients.
 */
public final class TestCertificates {

    public static final String PASS = "test-pass";
    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    public final Path caPem;
    public final Path serverPem;
    public final Path serverKey;
    public final Path clientPem;
    public final Path clientKey;
    public final Path clientStore;

    private TestCertificates(Path dir, String clientName) throws Exception {
        Path ca = dir.resolve("ca.p12");
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Hearth test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        caPem = dir.resolve("ca.pem");
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        serverPem = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientPem = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        // Each keytool run is a JVM start: the two certificates are made side by side.
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> issueUnchecked(dir, ca, "server", "EC",
                "CN=localhost", serverPem, serverKey, "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth"));
        clientStore = dir.resolve("client.p12");
        issue(dir, ca, "client", "RSA", "CN=" + clientName, clientPem, clientKey, "eku=clientAuth", "ku=digitalSignature");
        server.get(120, TimeUnit.SECONDS);
    }

    /** With a client certificate for the cloud link's test thing, {@code home-hub}. */
    public static TestCertificates make(Path dir) throws Exception {
        return make(dir, "home-hub");
    }

    /** With a client certificate whose name (CN) is {@code clientName}. */
    public static TestCertificates make(Path dir, String clientName) throws Exception {
        return new TestCertificates(Files.createDirectories(dir), clientName);
    }

    private static void issueUnchecked(Path dir, Path ca, String alias, String algorithm, String dname, Path pem,
                                       Path keyPem, String... extensions) {
        try {
            issue(dir, ca, alias, algorithm, dname, pem, keyPem, extensions);
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static void issue(Path dir, Path ca, String alias, String algorithm, String dname, Path pem, Path keyPem,
                              String... extensions) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", algorithm,
                "-dname", dname, "-validity", "2", "-keystore", store.toString()));
        if (algorithm.equals("EC")) {
            generate.addAll(List.of("-groupname", "secp256r1"));
        } else {
            generate.addAll(List.of("-keysize", "2048"));
        }
        keytool(dir, generate.toArray(String[]::new));
        Path request = dir.resolve(alias + ".csr");
        keytool(dir, "-certreq", "-alias", alias, "-keystore", store.toString(), "-file", request.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-infile", request.toString(), "-outfile", pem.toString(), "-validity", "2"));
        for (String extension : extensions) {
            sign.addAll(List.of("-ext", extension));
        }
        keytool(dir, sign.toArray(String[]::new));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASS.toCharArray());
        }
        Key key = keys.getKey(alias, PASS.toCharArray());
        // The store keeps the signed certificate with its authority, so a Java client presents that one.
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        try (InputStream signed = Files.newInputStream(pem); InputStream authority = Files.newInputStream(dir.resolve("ca.pem"))) {
            keys.setKeyEntry(alias, key, PASS.toCharArray(),
                    new Certificate[] {x509.generateCertificate(signed), x509.generateCertificate(authority)});
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            keys.store(out, PASS.toCharArray());
        }
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    private static void keytool(Path dir, String... arguments) throws Exception {
        // A short-lived JVM: skip the optimizing compiler, it only slows the start.
        List<String> command = new ArrayList<>(List.of(KEYTOOL.toString(), "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12", "-noprompt"));
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASS));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
    }
}
