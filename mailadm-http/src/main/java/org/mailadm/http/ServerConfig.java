package org.mailadm.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mailadm.mailcow.MailcowOptions;

/**
 * How the server runs, from environment variables (see docs/configuration.md).
 *
 * @param bindAddress MAILADM_BIND, default {@code 0.0.0.0} (the original's {@code gunicorn -b :3691})
 * @param port MAILADM_PORT, default 3691; 0 picks a free port
 * @param trustedProxies MAILADM_TRUSTED_PROXIES, addresses or CIDRs whose X-Forwarded-For /
 *     X-Real-IP headers are believed; default {@code 127.0.0.1,::1}
 * @param createLimit MAILADM_RATE_LIMIT, account creations per client
 * @param invalidTokenLimit MAILADM_INVALID_TOKEN_LIMIT, invalid-token attempts per client
 * @param shutdownTimeout MAILADM_SHUTDOWN_TIMEOUT, how long SIGTERM waits for requests in flight
 * @param reconcileInterval how often pending accounts older than the in-flight window are settled
 * @param mailcow MAILCOW_TIMEOUT (seconds a single mailcow call may take, default 15) and
 *     MAILCOW_LIST_TIMEOUT (seconds for the mailbox list, default 300)
 */
public record ServerConfig(
        String bindAddress,
        int port,
        List<Cidr> trustedProxies,
        RateLimit createLimit,
        RateLimit invalidTokenLimit,
        Duration shutdownTimeout,
        Duration reconcileInterval,
        MailcowOptions mailcow) {

    public static final int DEFAULT_PORT = 3691;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress == null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(createLimit, "createLimit == null");
        Objects.requireNonNull(invalidTokenLimit, "invalidTokenLimit == null");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout == null");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval == null");
        Objects.requireNonNull(mailcow, "mailcow == null");
    }

    /** MAILCOW_TIMEOUT: how long a single mailcow call may take. */
    public Duration providerTimeout() {
        return mailcow.requestTimeout();
    }

    /** Defaults, as documented. */
    public static ServerConfig defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * Reads the configuration from environment variables.
     *
     * @throws IllegalArgumentException naming the variable whose value is wrong
     */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String bind = env.getOrDefault("MAILADM_BIND", "0.0.0.0").trim();
        int port = parsePort(env.getOrDefault("MAILADM_PORT", String.valueOf(DEFAULT_PORT)));
        List<Cidr> proxies = new ArrayList<>();
        for (String p :
                env.getOrDefault("MAILADM_TRUSTED_PROXIES", "127.0.0.1,::1").split("[,\\s]+")) {
            if (!p.isBlank()) {
                proxies.add(Cidr.parse("MAILADM_TRUSTED_PROXIES", p));
            }
        }
        return new ServerConfig(
                bind,
                port,
                proxies,
                RateLimit.parse("MAILADM_RATE_LIMIT", env.getOrDefault("MAILADM_RATE_LIMIT", "60/min")),
                RateLimit.parse(
                        "MAILADM_INVALID_TOKEN_LIMIT", env.getOrDefault("MAILADM_INVALID_TOKEN_LIMIT", "10/min")),
                Duration.ofSeconds(
                        parseSeconds("MAILADM_SHUTDOWN_TIMEOUT", env.getOrDefault("MAILADM_SHUTDOWN_TIMEOUT", "30"))),
                Duration.ofSeconds(60),
                MailcowOptions.fromEnvironment(env));
    }

    /** This configuration on another port (tests use 0). */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                bindAddress,
                newPort,
                trustedProxies,
                createLimit,
                invalidTokenLimit,
                shutdownTimeout,
                reconcileInterval,
                mailcow);
    }

    /** This configuration with other rate limits. */
    public ServerConfig withLimits(RateLimit create, RateLimit invalidToken) {
        return new ServerConfig(
                bindAddress, port, trustedProxies, create, invalidToken, shutdownTimeout, reconcileInterval, mailcow);
    }

    /** This configuration with another mailcow timeout. */
    public ServerConfig withProviderTimeout(Duration timeout) {
        return new ServerConfig(
                bindAddress,
                port,
                trustedProxies,
                createLimit,
                invalidTokenLimit,
                shutdownTimeout,
                reconcileInterval,
                mailcow.withRequestTimeout(timeout));
    }

    /** This configuration with other trusted proxies. */
    public ServerConfig withTrustedProxies(List<Cidr> proxies) {
        return new ServerConfig(
                bindAddress,
                port,
                proxies,
                createLimit,
                invalidTokenLimit,
                shutdownTimeout,
                reconcileInterval,
                mailcow);
    }

    /** This configuration on another address. */
    public ServerConfig withBindAddress(String address) {
        return new ServerConfig(
                address,
                port,
                trustedProxies,
                createLimit,
                invalidTokenLimit,
                shutdownTimeout,
                reconcileInterval,
                mailcow);
    }

    private static int parsePort(String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("MAILADM_PORT '" + value + "' is not a port number (0-65535)");
    }

    private static long parseSeconds(String name, String value) {
        try {
            long s = Long.parseLong(value.trim());
            if (s >= 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a number of seconds");
    }
}
