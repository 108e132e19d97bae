package org.mailadm.cli;

import java.util.List;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.token.TokenName;

/** Parsing of positional arguments into domain values, with messages that name the argument. */
final class Arguments {
    private Arguments() {}

    static String single(List<String> args, String what) {
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new UsageException("unknown option " + printable(a));
            }
        }
        if (args.size() != 1) {
            throw new UsageException("expected exactly one " + what + ", got " + args.size());
        }
        return args.get(0);
    }

    static TokenName tokenName(String raw) {
        try {
            return new TokenName(raw);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid token name '" + printable(raw) + "': " + e.getMessage());
        }
    }

    static EmailAddress address(String raw) {
        try {
            return EmailAddress.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }
}
