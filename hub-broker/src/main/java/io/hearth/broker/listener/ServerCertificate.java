package io.hearth.broker.listener;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own TLS certificate and key, in {@code <data-dir>/tls}. Made once, at the first start,
 * with a fresh key (never a shipped default); devices trust the hub by this certificate, so later
 * starts reuse it.
 */
public record ServerCertificate(Path certificate, Path privateKey) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    /** The certificate in {@code tlsDir}, made first if there is none. */
    public static ServerCertificate ensure(Path tlsDir) throws IOException, GeneralSecurityException {
        ServerCertificate files = new ServerCertificate(tlsDir.resolve("server.crt"), tlsDir.resolve("server.key"));
        if (Files.exists(files.certificate) && Files.exists(files.privateKey)) {
            return files;
        }
        Files.createDirectories(tlsDir);
        setPermissions(tlsDir, "rwx------");
        // Only now: loading BouncyCastle means verifying its signed jar, which costs seconds on a small board.
        CertificateMaker.Made made = CertificateMaker.make();
        writeAtomically(files.privateKey, made.privateKeyPem(), "rw-------");
        writeAtomically(files.certificate, made.certificatePem(), "rw-r--r--");
        LOG.info("Made the hub's TLS certificate {} (SHA-256 fingerprint {})", files.certificate, made.fingerprint());
        return files;
    }

    public SslContext serverContext() throws IOException {
        return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    private static void writeAtomically(Path file, String content, String permissions) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.US_ASCII);
        setPermissions(partial, permissions);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Left to the file system's own rules.
        }
    }

}
