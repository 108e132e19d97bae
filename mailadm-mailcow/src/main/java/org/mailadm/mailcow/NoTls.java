package org.mailadm.mailcow;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context of a client that only speaks plain HTTP: it trusts no certificate at all, so a
 * connection that somehow asked for TLS would fail rather than go unverified. Building it reads no
 * CA store, unlike {@link SSLContext#getDefault()}.
 */
final class NoTls {
    static final SSLContext CONTEXT = create();

    private NoTls() {}

    private static SSLContext create() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustNothing()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no TLS implementation", e);
        }
    }

    private static final class TrustNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("mailadm talks plain HTTP to this mailcow and trusts no certificate");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("mailadm talks plain HTTP to this mailcow and trusts no certificate");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
