package org.mailadm.core.token;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.account.Secrets;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.TokenStore;

/** Adds, modifies, rotates, deletes and lists tokens; every change goes into the audit log. */
public final class TokenAdmin {
    private final TokenStore tokens;
    private final AccountStore accounts;
    private final AccountRemoval removal;
    private final Secrets secrets;
    private final Audit audit;

    @Inject
    public TokenAdmin(
            TokenStore tokens, AccountStore accounts, AccountRemoval removal, SecretGenerator generator, Audit audit) {
        this.tokens = Objects.requireNonNull(tokens, "tokens == null");
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.secrets = new Secrets(generator);
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** Outcome of {@link #add}. */
    public sealed interface AddTokenResult {
        record Added(Token token) implements AddTokenResult {}

        record NameTaken(TokenName name) implements AddTokenResult {}

        record SecretTaken() implements AddTokenResult {}
    }

    /**
     * Adds a token with use count 0.
     *
     * @param secret the secret to use, or empty to generate {@code <expiry>_<15 random characters>}
     */
    public AddTokenResult add(TokenName name, Expiry expiry, String prefix, int maxUse, Optional<TokenSecret> secret) {
        return add(name, expiry, prefix, maxUse, secret, TokenPolicy.NONE);
    }

    /** Adds a token with use count 0 and these mailadm-only settings. */
    public AddTokenResult add(
            TokenName name,
            Expiry expiry,
            String prefix,
            int maxUse,
            Optional<TokenSecret> secret,
            TokenPolicy policy) {
        Token token =
                new Token(name, secret.orElseGet(() -> secrets.tokenSecret(expiry)), expiry, prefix, maxUse, 0, policy);
        AddTokenResult result = switch (tokens.insertToken(token)) {
            case INSERTED -> new AddTokenResult.Added(token);
            case NAME_TAKEN -> new AddTokenResult.NameTaken(name);
            case SECRET_TAKEN -> new AddTokenResult.SecretTaken();
        };
        audit.record(AuditAction.TOKEN_ADDED, name.value(), Optional.of(name), outcome(result));
        return result;
    }

    private static AuditOutcome outcome(AddTokenResult r) {
        return switch (r) {
            case AddTokenResult.Added a -> AuditOutcome.ok();
            case AddTokenResult.NameTaken t -> AuditOutcome.refused("name taken");
            case AddTokenResult.SecretTaken t -> AuditOutcome.refused("secret taken");
        };
    }

    /** Outcome of {@link #modify}. */
    public sealed interface ModifyTokenResult {
        record Modified(Token token) implements ModifyTokenResult {}

        record NotFound(TokenName name) implements ModifyTokenResult {}
    }

    /** Changes only the given fields; the use count and the secret stay. */
    public ModifyTokenResult modify(
            TokenName name, Optional<Expiry> expiry, Optional<String> prefix, Optional<Integer> maxUse) {
        return modify(name, expiry, prefix, maxUse, UnaryOperator.identity());
    }

    /**
     * Changes only the given fields and applies {@code policy} to the token's policy; the use count
     * and the secret stay.
     *
     * @throws IllegalArgumentException when the changed policy is invalid (a window that ends before
     *     it starts), naming the problem
     */
    public ModifyTokenResult modify(
            TokenName name,
            Optional<Expiry> expiry,
            Optional<String> prefix,
            Optional<Integer> maxUse,
            UnaryOperator<TokenPolicy> policy) {
        Optional<Token> current = tokens.findToken(name);
        if (current.isEmpty()) {
            return new ModifyTokenResult.NotFound(name);
        }
        Token t = current.get();
        Optional<Token> updated = tokens.updateToken(
                name,
                expiry.orElse(t.expiry()),
                Token.checkPrefix(prefix.orElse(t.prefix())),
                maxUse.orElse(t.maxUse()),
                policy.apply(t.policy()));
        ModifyTokenResult result = updated.<ModifyTokenResult>map(ModifyTokenResult.Modified::new)
                .orElseGet(() -> new ModifyTokenResult.NotFound(name));
        audit.record(
                AuditAction.TOKEN_MODIFIED,
                name.value(),
                Optional.of(name),
                result instanceof ModifyTokenResult.Modified
                        ? AuditOutcome.ok()
                        : AuditOutcome.refused("no such token"));
        return result;
    }

    /** Outcome of {@link #rotate}. */
    public sealed interface RotateTokenResult {
        /** The token has a new secret; the old one no longer works. */
        record Rotated(Token token) implements RotateTokenResult {}

        record NotFound(TokenName name) implements RotateTokenResult {}
    }

    /**
     * Gives a token a new random secret (same form, {@code <expiry>_<15 characters>}); its name, use
     * count, settings and accounts stay, and QR codes with the old secret stop working at once.
     */
    public RotateTokenResult rotate(TokenName name) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Token> current = tokens.findToken(name);
            if (current.isEmpty()) {
                break;
            }
            TokenSecret fresh = secrets.tokenSecret(current.get().expiry());
            switch (tokens.rotateSecret(name, fresh)) {
                case ROTATED -> {
                    audit.record(AuditAction.TOKEN_ROTATED, name.value(), Optional.of(name), AuditOutcome.ok());
                    return new RotateTokenResult.Rotated(current.get().withSecret(fresh));
                }
                case NOT_FOUND -> {
                    audit.record(
                            AuditAction.TOKEN_ROTATED,
                            name.value(),
                            Optional.of(name),
                            AuditOutcome.refused("no such token"));
                    return new RotateTokenResult.NotFound(name);
                }
                case SECRET_TAKEN -> {
                    // 15 random characters collided; draw again
                }
            }
        }
        audit.record(AuditAction.TOKEN_ROTATED, name.value(), Optional.of(name), AuditOutcome.refused("no such token"));
        return new RotateTokenResult.NotFound(name);
    }

    /** Outcome of {@link #delete}. */
    public sealed interface DeleteTokenResult {
        /** The token is gone, with {@code accountsDeleted} accounts (only with force). */
        record Deleted(Token token, int accountsDeleted) implements DeleteTokenResult {}

        record NotFound(TokenName name) implements DeleteTokenResult {}

        /** The token still has accounts and force was not given; nothing changed. */
        record HasAccounts(Token token, int accounts) implements DeleteTokenResult {}

        /** Some mailboxes could not be deleted; the token and those accounts are kept. */
        record AccountsNotDeleted(Token token, List<DeleteAccountResult.Failed> failures)
                implements DeleteTokenResult {}
    }

    /**
     * Deletes a token. A token that still has accounts is deleted only with {@code force}, and then
     * its accounts are deleted too (mailboxes first), so none is left behind untracked.
     */
    public DeleteTokenResult delete(TokenName name, boolean force) {
        Optional<Token> token = tokens.findToken(name);
        if (token.isEmpty()) {
            return new DeleteTokenResult.NotFound(name);
        }
        List<Account> accounts = this.accounts.listAccounts(name);
        if (!accounts.isEmpty() && !force) {
            return new DeleteTokenResult.HasAccounts(token.get(), accounts.size());
        }
        List<DeleteAccountResult.Failed> failures = accounts.isEmpty()
                ? List.of()
                : removal.removeAll(accounts, java.util.Set.of(), AuditAction.ACCOUNT_DELETED).stream()
                        .filter(r -> r instanceof DeleteAccountResult.Failed)
                        .map(r -> (DeleteAccountResult.Failed) r)
                        .toList();
        if (!failures.isEmpty()) {
            return new DeleteTokenResult.AccountsNotDeleted(token.get(), failures);
        }
        if (!tokens.deleteToken(name)) {
            return new DeleteTokenResult.NotFound(name);
        }
        audit.record(
                AuditAction.TOKEN_DELETED,
                name.value(),
                Optional.of(name),
                accounts.isEmpty() ? AuditOutcome.ok() : AuditOutcome.ok("with " + accounts.size() + " accounts"));
        return new DeleteTokenResult.Deleted(token.get(), accounts.size());
    }

    /** All tokens, in name order. */
    public List<Token> list() {
        return tokens.listTokens();
    }

    public Optional<Token> find(TokenName name) {
        return tokens.findToken(name);
    }
}
