package org.mailadm.core.token;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.account.Secrets;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.Storage;

/** Adds, modifies, deletes and lists tokens. */
public final class TokenAdmin {
    private final Storage storage;
    private final AccountRemoval removal;
    private final Secrets secrets;

    @Inject
    public TokenAdmin(Storage storage, AccountRemoval removal, SecretGenerator generator) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.secrets = new Secrets(generator);
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
        Token token = new Token(name, secret.orElseGet(() -> secrets.tokenSecret(expiry)), expiry, prefix, maxUse, 0);
        return switch (storage.insertToken(token)) {
            case INSERTED -> new AddTokenResult.Added(token);
            case NAME_TAKEN -> new AddTokenResult.NameTaken(name);
            case SECRET_TAKEN -> new AddTokenResult.SecretTaken();
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
        Optional<Token> current = storage.findToken(name);
        if (current.isEmpty()) {
            return new ModifyTokenResult.NotFound(name);
        }
        Token t = current.get();
        Optional<Token> updated = storage.updateToken(
                name,
                expiry.orElse(t.expiry()),
                Token.checkPrefix(prefix.orElse(t.prefix())),
                maxUse.orElse(t.maxUse()));
        return updated.<ModifyTokenResult>map(ModifyTokenResult.Modified::new)
                .orElseGet(() -> new ModifyTokenResult.NotFound(name));
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
        Optional<Token> token = storage.findToken(name);
        if (token.isEmpty()) {
            return new DeleteTokenResult.NotFound(name);
        }
        List<Account> accounts = storage.listAccounts(name);
        if (!accounts.isEmpty() && !force) {
            return new DeleteTokenResult.HasAccounts(token.get(), accounts.size());
        }
        List<DeleteAccountResult.Failed> failures = accounts.isEmpty()
                ? List.of()
                : removal.removeAll(accounts, Optional.empty()).stream()
                        .filter(r -> r instanceof DeleteAccountResult.Failed)
                        .map(r -> (DeleteAccountResult.Failed) r)
                        .toList();
        if (!failures.isEmpty()) {
            return new DeleteTokenResult.AccountsNotDeleted(token.get(), failures);
        }
        if (!storage.deleteToken(name)) {
            return new DeleteTokenResult.NotFound(name);
        }
        return new DeleteTokenResult.Deleted(token.get(), accounts.size());
    }

    /** All tokens, in name order. */
    public List<Token> list() {
        return storage.listTokens();
    }

    public Optional<Token> find(TokenName name) {
        return storage.findToken(name);
    }
}
