package org.mailadm.http;

import static org.mailadm.http.EnvVariables.parseCount;
import static org.mailadm.http.EnvVariables.parseDecimalSeconds;
import static org.mailadm.http.EnvVariables.parsePort;
import static org.mailadm.http.EnvVariables.parseSeconds;
import static org.mailadm.http.EnvVariables.value;

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
 * @param guard MAILCOW_MAX_CALLS, MAILCOW_QUEUE_WAIT, MAILCOW_COOLDOWN: how the server protects
 *     itself and mailcow from each other ({@link GuardedMailProvider})
 */
public record ServerConfig(
        String bindAddress,
        int port,
        List<Cidr> trustedProxies,
        RateLimit createLimit,
        RateLimit invalidTokenLimit,
        Duration shutdownTimeout,
        Duration reconcileInterval,
        MailcowOptions mailcow,
        Guard guard) {

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
        Objects.requireNonNull(guard, "guard == null");
    }

    /**
     * The bulkhead and the key breaker around mailcow.
     *
     * @param maxCalls MAILCOW_MAX_CALLS, calls to mailcow in flight at once (default 10)
     * @param queueWait MAILCOW_QUEUE_WAIT, how long a call waits for a free slot (default 2 s)
     * @param cooldown MAILCOW_COOLDOWN, how long calls pause after mailcow rejected the key (default 5 min)
     * @param probeEvery how often mailcow is probed in the background (30 s; zero turns the probe off,
     *     for tests that inject faults into the next calls)
     * @param unreachableCalls timeouts or connection failures in a row that pause calls for 30 s (5)
     */
    public record Guard(
            int maxCalls, Duration queueWait, Duration cooldown, Duration probeEvery, int unreachableCalls) {
        public static final Guard DEFAULTS =
                new Guard(10, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(30), 5);

        public Guard {
            if (maxCalls < 1) {
                throw new IllegalArgumentException("MAILCOW_MAX_CALLS must be at least 1");
            }
            Objects.requireNonNull(queueWait, "queueWait == null");
            Objects.requireNonNull(cooldown, "cooldown == null");
            Objects.requireNonNull(probeEvery, "probeEvery == null");
            if (unreachableCalls < 1) {
                throw new IllegalArgumentException("unreachableCalls must be at least 1");
            }
        }

        /** This guard without the background probe. */
        public Guard withoutProbe() {
            return new Guard(maxCalls, queueWait, cooldown, Duration.ZERO, unreachableCalls);
        }

        /** This guard probing mailcow this often in the background. */
        public Guard withProbeEvery(Duration every) {
            return new Guard(maxCalls, queueWait, cooldown, every, unreachableCalls);
        }

        /** This guard pausing calls after this many timeouts or connection failures in a row. */
        public Guard withUnreachableCalls(int n) {
            return new Guard(maxCalls, queueWait, cooldown, probeEvery, n);
        }
    }

    int mailcowMaxCalls() {
        return guard.maxCalls();
    }

    Duration mailcowQueueWait() {
        return guard.queueWait();
    }

    Duration mailcowCooldown() {
        return guard.cooldown();
    }

    Duration healthProbe() {
        return guard.probeEvery();
    }

    /** This configuration with another guard around mailcow. */
    public ServerConfig withGuard(Guard newGuard) {
        return new ServerConfig(
                bindAddress,
                port,
                trustedProxies,
                createLimit,
                invalidTokenLimit,
                shutdownTimeout,
                reconcileInterval,
                mailcow,
                newGuard);
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
                MailcowOptions.fromEnvironment(env),
                new Guard(
                        parseCount("MAILCOW_MAX_CALLS", value(env, "MAILCOW_MAX_CALLS", "10"), 1, 1000),
                        Duration.ofMillis(Math.round(1000
                                * parseDecimalSeconds("MAILCOW_QUEUE_WAIT", value(env, "MAILCOW_QUEUE_WAIT", "2")))),
                        Duration.ofSeconds(parseCooldown(value(env, "MAILCOW_COOLDOWN", "300"))),
                        Guard.DEFAULTS.probeEvery(),
                        Guard.DEFAULTS.unreachableCalls()));
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
                mailcow,
                guard);
    }

    /** This configuration with other rate limits. */
    public ServerConfig withLimits(RateLimit create, RateLimit invalidToken) {
        return new ServerConfig(
                bindAddress,
                port,
                trustedProxies,
                create,
                invalidToken,
                shutdownTimeout,
                reconcileInterval,
                mailcow,
                guard);
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
                mailcow.withRequestTimeout(timeout),
                guard);
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
                mailcow,
                guard);
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
                mailcow,
                guard);
    }

    /**
     * The shortest cool-down: mailcow's fail2ban bans after 10 rejected calls in 10 minutes, and a
     * wrong key costs one call per cool-down (plus the first), so 120 s keeps it at 6 at most.
     */
    static final long MIN_COOLDOWN_SECONDS = 120;

    private static long parseCooldown(String value) {
        long s = parseSeconds("MAILCOW_COOLDOWN", value);
        if (s < MIN_COOLDOWN_SECONDS) {
            throw new IllegalArgumentException("MAILCOW_COOLDOWN '" + value + "' is too short: at least "
                    + MIN_COOLDOWN_SECONDS + " seconds, since mailcow's fail2ban bans a host after 10 rejected calls in"
                    + " 10 minutes");
        }
        return s;
    }
}
