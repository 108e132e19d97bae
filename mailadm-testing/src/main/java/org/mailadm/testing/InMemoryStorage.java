package org.mailadm.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/** A {@link Storage} in memory; every method is synchronized, so it is atomic and thread-safe. */
public final class InMemoryStorage implements Storage {
    private final Map<TokenName, Token> tokens = new TreeMap<>();
    private final Map<EmailAddress, Account> accounts = new TreeMap<>();
    private final Map<String, String> config = new TreeMap<>(Map.of("dbversion", "4"));
    private Settings settings;

    @Override
    public synchronized Optional<Settings> settings() {
        return Optional.ofNullable(settings);
    }

    @Override
    public synchronized void saveSettings(Settings s) {
        settings = s;
        config.put("mail_domain", s.mailDomain());
        config.put("web_endpoint", s.webEndpoint().toString());
        config.put("mailcow_endpoint", s.mailcowEndpoint().toString());
        config.put("mailcow_token", s.mailcowToken().value());
    }

    @Override
    public synchronized List<ConfigEntry> configEntries() {
        return config.entrySet().stream()
                .map(e -> new ConfigEntry(e.getKey(), e.getValue()))
                .toList();
    }

    @Override
    public synchronized TokenInsert insertToken(Token token) {
        if (tokens.containsKey(token.name())) {
            return TokenInsert.NAME_TAKEN;
        }
        if (findToken(token.secret()).isPresent()) {
            return TokenInsert.SECRET_TAKEN;
        }
        tokens.put(token.name(), token);
        return TokenInsert.INSERTED;
    }

    @Override
    public synchronized Optional<Token> findToken(TokenName name) {
        return Optional.ofNullable(tokens.get(name));
    }

    @Override
    public synchronized Optional<Token> findToken(TokenSecret secret) {
        return tokens.values().stream().filter(t -> t.secret().equals(secret)).findFirst();
    }

    @Override
    public synchronized List<Token> listTokens() {
        return List.copyOf(tokens.values());
    }

    @Override
    public synchronized Optional<Token> updateToken(
            TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy) {
        Token t = tokens.get(name);
        if (t == null) {
            return Optional.empty();
        }
        Token updated = new Token(name, t.secret(), expiry, prefix, maxUse, t.useCount(), policy);
        tokens.put(name, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized TokenRotation rotateSecret(TokenName name, TokenSecret newSecret) {
        Token t = tokens.get(name);
        if (t == null) {
            return TokenRotation.NOT_FOUND;
        }
        if (tokens.values().stream().anyMatch(o -> o.secret().equals(newSecret))) {
            return TokenRotation.SECRET_TAKEN;
        }
        tokens.put(name, t.withSecret(newSecret));
        return TokenRotation.ROTATED;
    }

    @Override
    public synchronized boolean deleteToken(TokenName name) {
        accounts.values().removeIf(a -> a.token().equals(name));
        return tokens.remove(name) != null;
    }

    @Override
    public synchronized int countAccounts(TokenName name) {
        return (int)
                accounts.values().stream().filter(a -> a.token().equals(name)).count();
    }

    private final InMemoryLeases leases = new InMemoryLeases();

    @Override
    public boolean tryLease(String name, String holder, Instant now, java.time.Duration ttl) {
        return leases.tryLease(name, holder, now, ttl);
    }

    @Override
    public void releaseLease(String name, String holder) {
        leases.releaseLease(name, holder);
    }

    @Override
    public synchronized Reservation reserveAccount(
            TokenKey key, EmailAddress address, Instant now, boolean credentialsKnown) {
        Optional<Token> token = switch (key) {
            case TokenKey.ByName n -> findToken(n.name());
            case TokenKey.BySecret s -> findToken(s.secret());
        };
        if (token.isEmpty()) {
            return new Reservation.TokenNotFound();
        }
        if (accounts.containsKey(address)) {
            return new Reservation.AddressTaken();
        }
        if (token.get().isExhausted()) {
            return new Reservation.TokenExhausted(token.get());
        }
        Token used = token.get().withOneMoreUse();
        tokens.put(used.name(), used);
        Account account = new Account(
                address,
                Instant.ofEpochSecond(now.getEpochSecond()),
                used.expiry().duration(),
                used.name(),
                AccountState.PENDING);
        accounts.put(address, account);
        if (credentialsKnown) {
            knownCredentials.add(address);
        } else {
            knownCredentials.remove(address);
        }
        return new Reservation.Reserved(account, used);
    }

    private final java.util.Set<EmailAddress> knownCredentials = new java.util.HashSet<>();

    @Override
    public synchronized List<PendingAccount> listPending() {
        return accounts.values().stream()
                .filter(a -> a.state() == AccountState.PENDING)
                .map(a -> new PendingAccount(a, knownCredentials.contains(a.address())))
                .toList();
    }

    @Override
    public synchronized boolean confirmAccount(EmailAddress address, List<AuditEvent> events) {
        Account a = accounts.get(address);
        if (a == null) {
            return false;
        }
        accounts.put(address, a.withState(AccountState.ACTIVE));
        audit.recordAudit(events);
        return true;
    }

    @Override
    public synchronized boolean markDisabled(EmailAddress address, Instant at) {
        return update(
                address,
                a -> new Account(
                        a.address(), a.createdAt(), a.ttl(), a.token(), a.state(), Optional.of(wholeSeconds(at))));
    }

    @Override
    public synchronized boolean markRestored(EmailAddress address, Instant newStart) {
        return update(address, a -> new Account(a.address(), wholeSeconds(newStart), a.ttl(), a.token(), a.state()));
    }

    /** Replaces the account with this address by {@code change} of it; false if there is none. */
    private boolean update(EmailAddress address, java.util.function.UnaryOperator<Account> change) {
        return accounts.computeIfPresent(address, (k, a) -> change.apply(a)) != null;
    }

    /** Times are stored in whole seconds, as in the SQLite file. */
    private static Instant wholeSeconds(Instant t) {
        return Instant.ofEpochSecond(t.getEpochSecond());
    }

    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    @Override
    public Map<TokenName, Long> countAudit(AuditAction action) {
        return audit.countAudit(action);
    }

    @Override
    public void recordAudit(Collection<AuditEvent> events) {
        audit.recordAudit(events);
    }

    @Override
    public List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit) {
        return audit.audit(since, token, limit);
    }

    @Override
    public synchronized boolean releaseAccount(EmailAddress address) {
        Account a = accounts.get(address);
        if (a == null || a.state() != AccountState.PENDING) {
            return false;
        }
        accounts.remove(address);
        Token t = tokens.get(a.token());
        if (t != null && t.useCount() > 0) {
            tokens.put(
                    t.name(),
                    new Token(t.name(), t.secret(), t.expiry(), t.prefix(), t.maxUse(), t.useCount() - 1, t.policy()));
        }
        return true;
    }

    @Override
    public synchronized Optional<Account> findAccount(EmailAddress address) {
        return Optional.ofNullable(accounts.get(address));
    }

    private volatile Runnable beforeListingAccounts = () -> {};

    /** Runs {@code hook} at the start of every account listing, outside the lock: for concurrency tests. */
    public void beforeListingAccounts(Runnable hook) {
        this.beforeListingAccounts = hook;
    }

    @Override
    public List<Account> listAccounts() {
        beforeListingAccounts.run();
        synchronized (this) {
            return sorted(accounts.values());
        }
    }

    @Override
    public List<Account> listAccounts(TokenName token) {
        beforeListingAccounts.run();
        synchronized (this) {
            return sorted(accounts.values().stream()
                    .filter(a -> a.token().equals(token))
                    .toList());
        }
    }

    @Override
    public synchronized List<Account> listAccounts(AccountState state) {
        return sorted(accounts.values().stream().filter(a -> a.state() == state).toList());
    }

    @Override
    public synchronized int deleteAccounts(Collection<EmailAddress> addresses) {
        int n = 0;
        for (EmailAddress a : addresses) {
            if (accounts.remove(a) != null) {
                n++;
            }
        }
        return n;
    }

    private static List<Account> sorted(Collection<Account> in) {
        List<Account> out = new ArrayList<>(in);
        out.sort(Comparator.comparing(Account::address));
        return List.copyOf(out);
    }

    /** Settings for tests: domain {@code example.org}, endpoint {@code https://mailadm.example.org/new_email}. */
    public static Settings exampleSettings() {
        return new Settings(
                "example.org",
                java.net.URI.create("https://mailadm.example.org/new_email"),
                java.net.URI.create("http://127.0.0.1:1/api/v1/"),
                new ApiKey("TESTKEY-000000"));
    }
}
