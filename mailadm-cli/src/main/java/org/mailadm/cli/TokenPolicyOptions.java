package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import java.util.function.UnaryOperator;
import org.mailadm.core.token.TokenPolicy;

/** The token settings mailadm adds to the original's, shared by add-token and mod-token. */
final class TokenPolicyOptions {
    @Parameter(
            names = "--valid-from",
            description = "The token works from this date (2026-12-01, UTC) or time (2026-12-01T09:00+01:00); none")
    String validFrom;

    @Parameter(
            names = "--valid-until",
            description = "The token works until the end of this date (UTC) or until this time; none")
    String validUntil;

    @Parameter(
            names = "--grace",
            description = "Prune disables expired accounts first and deletes them this long after (7d); none")
    String grace;

    @Parameter(names = "--quota", description = "Mailbox quota of new accounts: 500M, 2G; none for mailcow's default")
    String quota;

    /** The change these options make (only the options given), validated when applied. */
    UnaryOperator<TokenPolicy> change() {
        var from = validFrom == null ? null : TokenPolicy.parseFrom(validFrom);
        var until = validUntil == null ? null : TokenPolicy.parseUntil(validUntil);
        var g = grace == null ? null : TokenPolicy.parseGrace(grace);
        Long q = quota == null ? null : TokenPolicy.parseQuotaMiB(quota);
        return p -> {
            TokenPolicy r = p;
            if (from != null) {
                r = r.withValidFrom(from);
            }
            if (until != null) {
                r = r.withValidUntil(until);
            }
            if (g != null) {
                r = r.withGrace(g);
            }
            if (q != null) {
                r = r.withQuotaMiB(q);
            }
            return r;
        };
    }
}
