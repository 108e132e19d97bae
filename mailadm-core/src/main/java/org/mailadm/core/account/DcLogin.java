package org.mailadm.core.account;

import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.token.TokenLinks;

/**
 * A {@code dclogin:} text: an account's address and password, and optionally its servers, for Delta
 * Chat to log in with directly (no HTTP request, no autoconfig). Delta Chat reads the query as
 * form-urlencoded, so every value is percent-encoded, {@code +} included.
 *
 * <p>The text holds the password: show it only to the account's owner, never log it.
 *
 * @param imap the IMAP server, empty to let Delta Chat find it
 * @param smtp the SMTP server, empty to let Delta Chat find it
 */
public record DcLogin(EmailAddress address, Password password, Optional<Server> imap, Optional<Server> smtp) {

    /** How Delta Chat should connect to a server. */
    public enum Security {
        SSL,
        STARTTLS,
        PLAIN;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A mail server's host, port and transport security. */
    public record Server(String host, int port, Security security) {
        public Server {
            Objects.requireNonNull(host, "host == null");
            Objects.requireNonNull(security, "security == null");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, not " + port);
            }
        }
    }

    public DcLogin {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(password, "password == null");
        Objects.requireNonNull(imap, "imap == null");
        Objects.requireNonNull(smtp, "smtp == null");
    }

    /** Address and password only: Delta Chat finds the servers from the domain. */
    public static DcLogin of(EmailAddress address, Password password) {
        return new DcLogin(address, password, Optional.empty(), Optional.empty());
    }

    /** The QR text, e.g. {@code dclogin:tmp.x@example.org?p=se%2Bcret&v=1}. */
    public String text() {
        StringBuilder sb = new StringBuilder("dclogin:")
                .append(TokenLinks.encode(address.toString()))
                .append("?p=")
                .append(TokenLinks.encode(password.value()))
                .append("&v=1");
        imap.ifPresent(s -> append(sb, "i", s));
        smtp.ifPresent(s -> append(sb, "s", s));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String prefix, Server s) {
        sb.append('&')
                .append(prefix)
                .append("h=")
                .append(TokenLinks.encode(s.host()))
                .append('&')
                .append(prefix)
                .append("p=")
                .append(s.port())
                .append('&')
                .append(prefix)
                .append("s=")
                .append(s.security().code());
    }

    @Override
    public String toString() {
        return "DcLogin[" + address + ", password ***]";
    }
}
