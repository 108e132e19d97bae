package org.mailadm.core.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.mailadm.core.account.EmailAddress;

/**
 * What {@code mailadm init} stores: the domain of created addresses, the public URL Delta Chat
 * posts to, and where and how to reach mailcow.
 *
 * @param webEndpoint the public URL of the account-creation endpoint, e.g. {@code
 *     https://mailadm.example.org/new_email}
 * @param mailcowEndpoint the mailcow API base, always ending in {@code /api/v1/}-style slash
 */
public record Settings(String mailDomain, URI webEndpoint, URI mailcowEndpoint, ApiKey mailcowToken) {
    public Settings {
        Objects.requireNonNull(mailDomain, "mailDomain == null");
        Objects.requireNonNull(webEndpoint, "webEndpoint == null");
        Objects.requireNonNull(mailcowEndpoint, "mailcowEndpoint == null");
        Objects.requireNonNull(mailcowToken, "mailcowToken == null");
        EmailAddress.checkDomain(mailDomain);
        checkHttpUrl("web endpoint", webEndpoint);
        checkHttpUrl("mailcow endpoint", mailcowEndpoint);
        if (!mailcowEndpoint.getPath().endsWith("/")) {
            mailcowEndpoint = URI.create(mailcowEndpoint + "/");
        }
    }

    /**
     * Parses an absolute http(s) URL typed by an operator.
     *
     * @param what names the setting in the error message
     */
    public static URI parseHttpUrl(String what, String value) {
        Objects.requireNonNull(value, what + " == null");
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a valid URL: " + e.getReason(), e);
        }
        checkHttpUrl(what, uri);
        return uri;
    }

    private static void checkHttpUrl(String what, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    what + " '" + uri + "' must be an absolute http:// or https:// URL with a host name");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " '" + uri + "' must not contain a query (?) or fragment (#)");
        }
    }

    @Override
    public String toString() {
        return "Settings[mailDomain=" + mailDomain + ", webEndpoint=" + webEndpoint + ", mailcowEndpoint="
                + mailcowEndpoint + ", mailcowToken=***]";
    }
}
