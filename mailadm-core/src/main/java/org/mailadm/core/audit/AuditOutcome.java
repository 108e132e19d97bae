package org.mailadm.core.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an audited change ended: a {@link Result} and, optionally, a detail for people. Stored as
 * one text, {@code <result>} or {@code <result>: <detail>} (e.g. {@code ok},
 * {@code refused: no such token}), which {@link #parse} reads back. Metrics and reconcile read the
 * {@link #result()}, never the text.
 *
 * @param detail never a secret; empty when there is nothing to add
 */
public record AuditOutcome(Result result, String detail) {
    /** The kind of ending; its word starts the stored text. */
    public enum Result {
        /** The change happened. */
        OK("ok"),
        /** mailadm refused it (no such token or account, wrong state); nothing changed. */
        REFUSED("refused"),
        /** It was tried and did not happen (mailcow refused or could not be reached). */
        FAILED("failed"),
        /** A run that did not start (another prune held the lease). */
        SKIPPED("skipped"),
        /** A run that stopped half-way; what it finished is audited on its own. */
        ABORTED("aborted");

        private final String word;

        Result(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A prune summary as earlier versions wrote it, before outcomes were typed ({@code deleted 3, failed 0, ...}). */
    private static final Pattern LEGACY_PRUNE_SUMMARY = Pattern.compile("deleted \\d+, failed \\d+.*");

    public AuditOutcome {
        Objects.requireNonNull(result, "result == null");
        Objects.requireNonNull(detail, "detail == null");
        detail = detail.strip();
    }

    public static AuditOutcome ok() {
        return new AuditOutcome(Result.OK, "");
    }

    public static AuditOutcome ok(String detail) {
        return new AuditOutcome(Result.OK, detail);
    }

    public static AuditOutcome refused(String detail) {
        return new AuditOutcome(Result.REFUSED, detail);
    }

    public static AuditOutcome failed(String detail) {
        return new AuditOutcome(Result.FAILED, detail);
    }

    public static AuditOutcome skipped(String detail) {
        return new AuditOutcome(Result.SKIPPED, detail);
    }

    public static AuditOutcome aborted(String detail) {
        return new AuditOutcome(Result.ABORTED, detail);
    }

    public boolean succeeded() {
        return result == Result.OK;
    }

    /** The stored text: {@code ok}, or {@code failed: mailcow refused: ...}. */
    public String text() {
        return detail.isEmpty() ? result.word() : result.word() + ": " + detail;
    }

    /**
     * Reads a stored text back. Texts written before outcomes were typed are read as they were
     * meant: {@code ok, with 3 accounts} and a bare prune summary as {@link Result#OK}. Any other
     * text without a known result word is kept whole as the detail of a {@link Result#FAILED}.
     */
    public static AuditOutcome parse(String text) {
        String t = text.strip();
        for (Result r : Result.values()) {
            if (t.equals(r.word())) {
                return new AuditOutcome(r, "");
            }
            if (t.startsWith(r.word() + ":")) {
                return new AuditOutcome(r, t.substring(r.word().length() + 1));
            }
        }
        if (t.startsWith("ok,")) {
            return ok(t.substring(3));
        }
        if (LEGACY_PRUNE_SUMMARY.matcher(t).matches()) {
            return ok(t);
        }
        return failed(t);
    }

    @Override
    public String toString() {
        return text();
    }
}
