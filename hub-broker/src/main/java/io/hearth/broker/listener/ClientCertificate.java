package io.hearth.broker.listener;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The name a TLS client proved with its certificate: the subject's common name (CN). */
public final class ClientCertificate {

    private ClientCertificate() {
    }

    /** The verified client certificate's CN, or null without TLS, without a certificate or without a CN. */
    public static String name(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
                return null;
            }
            String commonName = null;
            for (Rdn part : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (part.getType().equalsIgnoreCase("CN")) {
                    commonName = part.getValue().toString();
                }
            }
            return commonName;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
