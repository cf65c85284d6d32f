package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import io.hearth.core.config.CloudConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of the link from the PEM files named in the configuration: the private CA that signed
 * the cloud's certificate ({@code ca-file}) and the hub's own certificate and key. Plain JDK, so the
 * hub carries no extra crypto library; keys must be unencrypted PKCS#8 or PKCS#1 RSA.
 */
final class TlsMaterial {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private TlsMaterial() {
    }

    static MqttClientSslConfig sslConfig(CloudConfig config) throws UpstreamSetupException {
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        if (!config.caFile().isEmpty()) {
            builder = builder.trustManagerFactory(trustFrom(Path.of(config.caFile())));
        }
        if (!config.clientCert().isEmpty()) {
            builder = builder.keyManagerFactory(keysFrom(Path.of(config.clientCert()), Path.of(config.clientKey())));
        }
        return builder.build();
    }

    private static TrustManagerFactory trustFrom(Path caFile) throws UpstreamSetupException {
        try {
            Collection<? extends Certificate> authorities = certificates(caFile);
            if (authorities.isEmpty()) {
                throw new UpstreamSetupException("hearth.cloud.ca-file " + caFile + " holds no PEM certificate", null);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate authority : authorities) {
                store.setCertificateEntry("ca-" + i++, authority);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new UpstreamSetupException("hearth.cloud.ca-file " + caFile + " cannot be read as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keysFrom(Path certFile, Path keyFile) throws UpstreamSetupException {
        Collection<? extends Certificate> chain;
        try {
            chain = certificates(certFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new UpstreamSetupException("hearth.cloud.client-cert " + certFile
                    + " cannot be read as a PEM certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new UpstreamSetupException("hearth.cloud.client-cert " + certFile + " holds no PEM certificate", null);
        }
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("hub", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new UpstreamSetupException("hearth.cloud.client-key " + keyFile
                    + " does not belong to hearth.cloud.client-cert " + certFile + ": " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws UpstreamSetupException {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UpstreamSetupException("hearth.cloud.client-key " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw new UpstreamSetupException("hearth.cloud.client-key " + keyFile + " is not a PEM file", null);
        }
        String type = pem.group(1);
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2).trim());
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> Pkcs1.toPkcs8(der);
            default -> throw new UpstreamSetupException("hearth.cloud.client-key " + keyFile + " is a \"" + type
                    + "\"; use an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt converts one)", null);
        };
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new UpstreamSetupException("hearth.cloud.client-key " + keyFile
                + " is not an RSA, EC or Ed25519 private key", null);
    }

    /** Wraps a PKCS#1 RSA key in the PKCS#8 structure the JDK reads. */
    private static final class Pkcs1 {

        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

        static byte[] toPkcs8(byte[] pkcs1) {
            byte[] version = {0x02, 0x01, 0x00};
            byte[] octets = tagged(0x04, pkcs1);
            byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
            System.arraycopy(version, 0, body, 0, version.length);
            System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
            System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
            return tagged(0x30, body);
        }

        private static byte[] tagged(int tag, byte[] content) {
            int length = content.length;
            byte[] header;
            if (length < 0x80) {
                header = new byte[] {(byte) tag, (byte) length};
            } else if (length < 0x100) {
                header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
            } else if (length < 0x10000) {
                header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
            } else {
                header = new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
            }
            byte[] out = new byte[header.length + length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(content, 0, out, header.length, length);
            return out;
        }
    }
}
