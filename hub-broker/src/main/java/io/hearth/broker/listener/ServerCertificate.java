package io.hearth.broker.listener;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own TLS certificate and key, in {@code <data-dir>/tls}. Made once, at the first start,
 * with a fresh key (never a shipped default); devices trust the hub by this certificate, so later
 * starts reuse it.
 */
public record ServerCertificate(Path certificate, Path privateKey) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** The certificate in {@code tlsDir}, made first if there is none. */
    public static ServerCertificate ensure(Path tlsDir) throws IOException, GeneralSecurityException {
        ServerCertificate files = new ServerCertificate(tlsDir.resolve("server.crt"), tlsDir.resolve("server.key"));
        if (Files.exists(files.certificate) && Files.exists(files.privateKey)) {
            return files;
        }
        Files.createDirectories(tlsDir);
        setPermissions(tlsDir, "rwx------");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        writeAtomically(files.privateKey, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), "rw-------");
        writeAtomically(files.certificate, pem(certificate), "rw-r--r--");
        LOG.info("Made the hub's TLS certificate {} (SHA-256 fingerprint {})", files.certificate, fingerprint(certificate));
        return files;
    }

    public SslContext serverContext() throws IOException {
        return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, IOException {
        String host = hostName();
        X500Name subject = new X500Name("CN=Hearth hub " + host);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        // The names devices on the home network reach the hub by.
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        if (!host.equals("localhost")) {
            names.add(new GeneralName(GeneralName.dNSName, host));
            names.add(new GeneralName(GeneralName.dNSName, host + ".local"));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || name.contains(" ") ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String pem(Object object) throws IOException {
        Writer text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
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

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
