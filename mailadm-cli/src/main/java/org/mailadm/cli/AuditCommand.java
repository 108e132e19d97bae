package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;

@Parameters(commandDescription = "Show the audit log: every change to tokens and accounts, and every prune run")
@CommandRole(Role.LOCAL)
final class AuditCommand extends BaseCommand {

    @Parameter(names = "--since", description = "Only events after a time ago (7d, 12h) or since a date (2026-11-01)")
    String since;

    @Parameter(names = "--token", description = "Only the events of this token")
    String token;

    @Parameter(names = "--limit", description = "At most this many (the newest)")
    int limit = 1000;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Audit> audit;
    private final Clock clock;
    private final Output output;

    @Inject
    AuditCommand(Lazy<Audit> audit, Clock clock, Output output) {
        this.audit = audit;
        this.clock = clock;
        this.output = output;
    }

    @Override
    public int run() {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        Optional<Instant> from = Optional.ofNullable(since).map(this::parseSince);
        Optional<TokenName> t = Optional.ofNullable(token).map(Arguments::tokenName);
        List<AuditEvent> events = audit.get().events(from, t, limit);
        if (json) {
            ArrayNode a = output.mapper().createArrayNode();
            for (AuditEvent e : events) {
                a.addObject()
                        .put("time", e.time().toString())
                        .put("actor", e.actor())
                        .put("action", e.action().code())
                        .put("object", e.object())
                        .put("token", e.token().map(TokenName::value).orElse(null))
                        .put("outcome", e.outcome().text())
                        .put("result", e.outcome().result().word());
            }
            output.printJson(a);
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        for (AuditEvent e : events) {
            sb.append(e.time()).append(' ').append(e.actor()).append(' ').append(e.action());
            if (!e.object().isEmpty()) {
                sb.append(' ').append(e.object());
            }
            e.token().ifPresent(n -> sb.append(" [").append(n).append(']'));
            sb.append(": ").append(e.outcome()).append('\n');
        }
        output.out().print(sb);
        return 0;
    }

    private Instant parseSince(String text) {
        String s = text.strip();
        if (s.matches("[0-9]+[shdwy]")) {
            return clock.instant().minus(Expiry.parse(s).duration());
        }
        try {
            return TokenPolicy.parseFrom(s)
                    .orElseThrow(() -> new IllegalArgumentException("--since none: leave --since out instead"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid --since '" + Arguments.printable(s)
                    + "': use a time ago (7d, 12h) or a date (2026-11-01)");
        }
    }
}
