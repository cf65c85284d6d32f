package io.hearth.broker.listener;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own TLS certificate and key, in {@code <data-dir>/tls}: {@code server.p12} (key and
 * certificate, readable by the hub's user only, its password beside it in {@code server.pass})
 * and {@code server.crt} (the certificate as PEM, for devices to trust). Made once, at the first
 * start, with a fresh key and the JDK's own keytool; later starts reuse it.
 */
public record ServerCertificate(Path keyStore, Path password, Path certificate) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);
    private static final String ALIAS = "hearth";

    /** The certificate in {@code tlsDir}, made first if there is none. */
    public static ServerCertificate ensure(Path tlsDir) throws IOException {
        ServerCertificate files = new ServerCertificate(tlsDir.resolve("server.p12"), tlsDir.resolve("server.pass"),
                tlsDir.resolve("server.crt"));
        if (Files.exists(files.keyStore) && Files.exists(files.password) && Files.exists(files.certificate)) {
            return files;
        }
        Files.createDirectories(tlsDir);
        setPermissions(tlsDir, "rwx------");
        for (Path partial : List.of(files.keyStore, files.password, files.certificate)) {
            Files.deleteIfExists(partial);
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Files.writeString(files.password, Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                StandardCharsets.US_ASCII);
        setPermissions(files.password, "rw-------");
        String host = hostName();
        String names = "dns:localhost,ip:127.0.0.1,ip:::1" + (host.equals("localhost") ? "" : ",dns:" + host + ",dns:" + host + ".local");
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=Hearth hub " + host, "-validity", "3650", "-ext", "SAN=" + names,
                "-ext", "KU:c=digitalSignature", "-ext", "EKU=serverAuth",
                "-keystore", files.keyStore.toString(), "-storetype", "PKCS12", "-storepass:file", files.password.toString());
        setPermissions(files.keyStore, "rw-------");
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", files.keyStore.toString(),
                "-storepass:file", files.password.toString(), "-file", files.certificate.toString());
        setPermissions(files.certificate, "rw-r--r--");
        LOG.info("Made the hub's TLS certificate {}", files.certificate);
        return files;
    }

    /**
     * The server side of TLS with this certificate, TLS 1.2 and 1.3. With {@code clientAuthorities}
     * (a PEM file, or null) clients may present a certificate; it must be signed by one of them.
     */
    public SslContext serverContext(Path clientAuthorities) throws IOException, GeneralSecurityException {
        char[] secret = Files.readString(password, StandardCharsets.US_ASCII).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, secret);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, secret);
        SslContextBuilder builder = SslContextBuilder.forServer(keys).protocols("TLSv1.3", "TLSv1.2");
        if (clientAuthorities != null) {
            builder.trustManager(clientAuthorities.toFile()).clientAuth(ClientAuth.OPTIONAL);
        }
        return builder.build();
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool could not make the hub's certificate: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the hub's certificate", e);
        } finally {
            process.destroy();
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || !name.matches("[A-Za-z0-9.-]+") ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Left to the file system's own rules.
        }
    }
}
