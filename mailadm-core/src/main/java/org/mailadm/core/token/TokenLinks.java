package org.mailadm.core.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds the URLs handed to users from the configured web endpoint: {@code WEB_ENDPOINT?t=<secret>&n=<name>}
 * and the QR payload {@code DCACCOUNT:} + that URL.
 *
 * <p>Values are percent-encoded (Delta Chat refuses URLs with raw spaces or non-ASCII characters);
 * {@code :} and {@code @}, legal in a query, stay as they are so the URLs of ordinary names look
 * exactly like the original's.
 */
public final class TokenLinks {
    private final URI webEndpoint;

    public TokenLinks(URI webEndpoint) {
        this.webEndpoint = Objects.requireNonNull(webEndpoint, "webEndpoint == null");
    }

    /** The URL Delta Chat posts to. */
    public String webUrl(Token token) {
        return webEndpoint + "?t=" + encode(token.secret().value()) + "&n="
                + encode(token.name().value());
    }

    /** The text of the QR code. */
    public String qrPayload(Token token) {
        return "DCACCOUNT:" + webUrl(token);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, {@code :} and {@code @}. */
    public static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == ':'
                    || c == '@') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
