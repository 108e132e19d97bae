package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.AccountStore.Reservation;
import org.mailadm.core.port.AccountStore.TokenKey;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.TokenStore;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * Creates accounts: for a Delta Chat client that presents a token secret, and for an admin.
 *
 * <p>Every creation is reserve, create, confirm: (1) one short storage transaction reserves a use of
 * the token and records a pending account; (2) outside any transaction the provider creates the
 * mailbox; (3) a second short transaction confirms the account, or gives the use back when the
 * provider refused. No storage lock is held during the provider call, and the token's maximum holds
 * under any concurrency. When the provider's answer is lost (timeout), the account stays pending for
 * {@link Reconciler} to settle against the provider once the {@link InFlightWindow} has passed:
 * nobody received its credentials, so its mailbox is deleted and the use given back, unless an admin
 * chose the password.
 */
public final class AccountCreation {
    /** How many random addresses are tried before giving up. */
    public static final int MAX_ATTEMPTS = 10;

    private final AccountStore accounts;
    private final TokenStore tokens;
    private final MailProvider provider;
    private final Clock clock;
    private final Secrets secrets;
    private final String mailDomain;
    private final Audit audit;

    @Inject
    public AccountCreation(
            AccountStore accounts,
            TokenStore tokens,
            MailProvider provider,
            SecretGenerator generator,
            Clock clock,
            Settings settings,
            Audit audit) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.tokens = Objects.requireNonNull(tokens, "tokens == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.secrets = new Secrets(generator);
        this.mailDomain = settings.mailDomain();
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** Outcome of a creation. */
    public sealed interface CreateAccountResult {
        /** The mailbox exists and the account is recorded. */
        record Created(Account account, Password password, Token token) implements CreateAccountResult {}

        /** Dry run: this is what would have been created; nothing changed. */
        record WouldCreate(EmailAddress address, Password password, Token token) implements CreateAccountResult {}

        /** No token has this secret (or name). */
        record TokenNotFound() implements CreateAccountResult {}

        /** The token has created as many accounts as it may. */
        record TokenExhausted(Token token) implements CreateAccountResult {}

        /** The token is outside its validity window ({@code NOT_YET} or {@code ENDED}). */
        record TokenNotValid(Token token, TokenPolicy.Validity validity) implements CreateAccountResult {}

        /** The address exists already, in mailadm's storage or at the provider. */
        record AddressTaken(EmailAddress address, Where where) implements CreateAccountResult {}

        /** The address is not in the configured mail domain. */
        record ForeignDomain(EmailAddress address, String mailDomain) implements CreateAccountResult {}

        /** No token's prefix matches the address, and no token was named. */
        record NoMatchingToken(EmailAddress address) implements CreateAccountResult {}

        /**
         * The provider refused to create the mailbox; nothing is left behind.
         *
         * @param token the token the account was to count against
         * @param detail the provider's words, for the log and the operator (never for the user)
         */
        record ProviderRejected(Token token, CreateMailboxResult.Reason reason, String detail)
                implements CreateAccountResult {}
    }

    /** Where an address was found to exist. */
    public enum Where {
        STORAGE,
        PROVIDER
    }

    /**
     * Creates an account with a random address for whoever presents the token secret (the web
     * endpoint).
     *
     * @throws MailProviderException when the provider fails; the reservation is given back, or, when
     *     the outcome is unknown, left pending for {@link Reconciler}
     */
    public CreateAccountResult createWithSecret(String rawSecret) {
        return createWithSecret(rawSecret, audit.actor());
    }

    /**
     * Like {@link #createWithSecret(String)}, for a named requester (the audit log's actor, e.g.
     * {@code web:203.0.113.5}).
     */
    public CreateAccountResult createWithSecret(String rawSecret, String actor) {
        TokenSecret secret;
        try {
            secret = new TokenSecret(rawSecret);
        } catch (IllegalArgumentException e) {
            return new CreateAccountResult.TokenNotFound();
        }
        Optional<Token> token = tokens.findToken(secret);
        if (token.isEmpty()) {
            return new CreateAccountResult.TokenNotFound();
        }
        TokenPolicy.Validity validity = token.get().policy().validityAt(clock.instant());
        if (validity != TokenPolicy.Validity.VALID) {
            return new CreateAccountResult.TokenNotValid(token.get(), validity);
        }
        if (token.get().isExhausted()) {
            return new CreateAccountResult.TokenExhausted(token.get());
        }
        CreateAccountResult last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            EmailAddress address =
                    new EmailAddress(secrets.localPart(token.get().prefix()), mailDomain);
            last = create(new TokenKey.BySecret(secret), address, secrets.password(), false, actor);
            if (!(last instanceof CreateAccountResult.AddressTaken)) {
                return last;
            }
        }
        return last;
    }

    /**
     * Creates an account with a given address for an admin ({@code add-user}).
     *
     * @param token the token to count the account against; empty picks the token with the longest
     *     prefix that the address starts with
     * @param password the password to set; empty generates one
     * @param dryRun only say what would be created
     */
    public CreateAccountResult createForAdmin(
            EmailAddress address, Optional<TokenName> token, Optional<Password> password, boolean dryRun) {
        if (!address.domain().equals(mailDomain)) {
            return new CreateAccountResult.ForeignDomain(address, mailDomain);
        }
        Optional<Token> chosen = token.isPresent() ? tokens.findToken(token.get()) : tokenForPrefix(address);
        if (chosen.isEmpty()) {
            return token.isPresent()
                    ? new CreateAccountResult.TokenNotFound()
                    : new CreateAccountResult.NoMatchingToken(address);
        }
        TokenPolicy.Validity validity = chosen.get().policy().validityAt(clock.instant());
        if (validity != TokenPolicy.Validity.VALID) {
            return new CreateAccountResult.TokenNotValid(chosen.get(), validity);
        }
        Password pw = password.orElseGet(secrets::password);
        if (dryRun) {
            if (accounts.findAccount(address).isPresent()) {
                return new CreateAccountResult.AddressTaken(address, Where.STORAGE);
            }
            if (chosen.get().isExhausted()) {
                return new CreateAccountResult.TokenExhausted(chosen.get());
            }
            return new CreateAccountResult.WouldCreate(address, pw, chosen.get());
        }
        // A password the admin chose is known whatever happens; a generated one reaches nobody on failure.
        return create(new TokenKey.ByName(chosen.get().name()), address, pw, password.isPresent(), audit.actor());
    }

    private Optional<Token> tokenForPrefix(EmailAddress address) {
        return tokens.listTokens().stream()
                .filter(t -> address.localPart().startsWith(t.prefix()))
                .max(Comparator.comparingInt((Token t) -> t.prefix().length()));
    }

    private CreateAccountResult create(
            TokenKey key, EmailAddress address, Password password, boolean credentialsKnown, String actor) {
        Reservation reservation = accounts.reserveAccount(key, address, clock.instant(), credentialsKnown);
        return switch (reservation) {
            case Reservation.TokenNotFound r -> new CreateAccountResult.TokenNotFound();
            case Reservation.TokenExhausted r -> new CreateAccountResult.TokenExhausted(r.token());
            case Reservation.AddressTaken r -> new CreateAccountResult.AddressTaken(address, Where.STORAGE);
            case Reservation.Reserved r -> createMailbox(r, password, actor);
        };
    }

    private CreateAccountResult createMailbox(Reservation.Reserved reserved, Password password, String actor) {
        Account account = reserved.account();
        CreateMailboxResult result;
        try {
            result = provider.createMailbox(new NewMailbox(
                    account.address(),
                    password,
                    account.token(),
                    reserved.token().policy().quotaMiB()));
        } catch (MailProviderException e) {
            if (!e.outcomeUnknown()) {
                accounts.releaseAccount(account.address());
            }
            throw e;
        } catch (RuntimeException e) {
            accounts.releaseAccount(account.address());
            throw e;
        }
        return switch (result) {
            case CreateMailboxResult.Created c -> confirm(reserved, password, actor);
            case CreateMailboxResult.AlreadyExists c -> {
                accounts.releaseAccount(account.address());
                yield new CreateAccountResult.AddressTaken(account.address(), Where.PROVIDER);
            }
            case CreateMailboxResult.Rejected c -> {
                accounts.releaseAccount(account.address());
                yield new CreateAccountResult.ProviderRejected(reserved.token(), c.reason(), c.detail());
            }
        };
    }

    private CreateAccountResult confirm(Reservation.Reserved reserved, Password password, String actor) {
        Account account = reserved.account();
        var event = audit.event(
                actor,
                AuditAction.ACCOUNT_CREATED,
                account.address().toString(),
                Optional.of(account.token()),
                AuditOutcome.ok());
        if (!accounts.confirmAccount(account.address(), List.of(event))) {
            // The pending row vanished (an operator deleted it meanwhile): do not leave an untracked mailbox.
            provider.deleteMailboxes(java.util.List.of(account.address()));
            throw new IllegalStateException("account " + account.address() + " was removed while being created");
        }
        return new CreateAccountResult.Created(account.withState(AccountState.ACTIVE), password, reserved.token());
    }
}
