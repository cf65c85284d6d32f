package io.hearth.broker.listener;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's context, with the authorities that sign devices' certificates taken from
 * {@code <data-dir>/tls/client-ca.pem}. The file is looked at for every new connection, so adding,
 * replacing or removing it takes effect without a restart; a file that cannot be read keeps the
 * last good context and says why in the log.
 */
public final class TlsContexts {

    public static final String CLIENT_AUTHORITIES = "client-ca.pem";

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private final ServerCertificate server;
    private final Path clientAuthorities;
    private FileTime loadedVersion;
    private SslContext context;

    public TlsContexts(Path tlsDir) throws IOException, GeneralSecurityException {
        this.server = ServerCertificate.ensure(tlsDir);
        this.clientAuthorities = tlsDir.resolve(CLIENT_AUTHORITIES);
        current();
        if (context == null) {
            context = server.serverContext(null);
        }
    }

    /** The context for a new connection. */
    public synchronized SslContext current() {
        FileTime version = modified();
        if (context != null && java.util.Objects.equals(version, loadedVersion)) {
            return context;
        }
        try {
            context = server.serverContext(version == null ? null : clientAuthorities);
            loadedVersion = version;
            LOG.info(version == null ? "TLS clients log in with user name and password only"
                    : "TLS clients may also log in with a certificate signed by an authority in {}", clientAuthorities);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            loadedVersion = version;
            LOG.warn("{} cannot be used ({}); TLS connections go on with the previous settings", clientAuthorities,
                    e.getMessage());
        }
        return context;
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(clientAuthorities);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            return loadedVersion;
        }
    }
}
