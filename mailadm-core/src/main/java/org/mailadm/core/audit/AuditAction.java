package org.mailadm.core.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an audit event records. Each action is stored as its {@link #code()} (the {@code action}
 * column of the {@code audit} table, schema 2 and later), so the codes never change.
 */
public enum AuditAction {
    /** {@code add-token}: object is the token name. */
    TOKEN_ADDED("token.added"),
    /** {@code mod-token}. */
    TOKEN_MODIFIED("token.modified"),
    /** {@code rotate-token}: the token got a new secret. */
    TOKEN_ROTATED("token.rotated"),
    /** {@code del-token}; its accounts are recorded one by one as {@link #ACCOUNT_DELETED}. */
    TOKEN_DELETED("token.deleted"),
    /** A creation through the web endpoint or {@code add-user}: object is the address. */
    ACCOUNT_CREATED("account.created"),
    /** {@code del-user}, or an account of a token deleted with {@code --force}. */
    ACCOUNT_DELETED("account.deleted"),
    /** Deleted by prune because its lifetime ended; counted by {@code mailadm_token_pruned}. */
    ACCOUNT_PRUNED("account.pruned"),
    /** Its mailbox was disabled by prune (grace period of its token). */
    ACCOUNT_DISABLED("account.disabled"),
    /** {@code restore}: a disabled mailbox enabled again. */
    ACCOUNT_RESTORED("account.restored"),
    /** Reconcile confirmed a pending account whose password an admin chose. */
    ACCOUNT_CONFIRMED("account.confirmed"),
    /** Reconcile released a pending account that has no mailadm mailbox; its use given back. */
    ACCOUNT_RELEASED("account.released"),
    /** Reconcile deleted the mailbox of a pending account nobody received; its use given back. */
    ACCOUNT_DISCARDED("account.discarded"),
    /** Reconcile dropped a row whose mailbox mailcow proved gone. */
    ACCOUNT_FORGOTTEN("account.forgotten"),
    /** {@code init} (or the demo) stored settings; the outcome names which changed, never the API key's value. */
    SETTINGS_CHANGED("settings.changed"),
    /** One run of prune, with its counts or why it did not run; object is empty. */
    PRUNE_RUN("prune.run");

    private static final Map<String, AuditAction> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AuditAction::code, Function.identity()));

    private final String code;

    AuditAction(String code) {
        this.code = code;
    }

    /** The stored text, e.g. {@code account.created}. */
    public String code() {
        return code;
    }

    /** The action stored as {@code code}, or empty for a code this version does not know. */
    public static Optional<AuditAction> fromCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    @Override
    public String toString() {
        return code;
    }
}
