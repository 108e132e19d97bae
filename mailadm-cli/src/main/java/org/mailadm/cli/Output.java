package org.mailadm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Instant;
import org.mailadm.core.account.Account;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenPolicy;

/**
 * How commands print: the original's layouts for people, and stable JSON for scripts
 * ({@code --json}; field names documented in docs/cli.md).
 */
final class Output {
    private final Console console;
    private final Lazy<ObjectMapper> mapper;

    @Inject
    Output(Console console, Lazy<ObjectMapper> mapper) {
        this.console = console;
        this.mapper = mapper; // Jackson loads ~400 classes: only for --json
    }

    PrintStream out() {
        return console.out();
    }

    PrintStream err() {
        return console.err();
    }

    /** Whether Delta Chat follows token URLs of this endpoint: it only follows https:// ones. */
    static boolean followedByDeltaChat(Settings settings) {
        return "https".equalsIgnoreCase(settings.webEndpoint().getScheme());
    }

    /**
     * Says on standard error, once per command, that QR codes and token URLs of an http:// web
     * endpoint do not work in Delta Chat (its core only posts to https:// URLs, shared/contracts).
     */
    void warnIfNotHttps(Settings settings) {
        if (!followedByDeltaChat(settings)) {
            console.err()
                    .println("WARNING: the web endpoint " + settings.webEndpoint() + " is not https://: Delta Chat only"
                            + " follows https:// token URLs, so its QR codes will not work in the app. Put nginx with a"
                            + " certificate in front of mailadm (docs/nginx.md) and run"
                            + " `mailadm init --web-endpoint https://...`.");
        }
    }

    ObjectMapper mapper() {
        return mapper.get();
    }

    void printJson(JsonNode node) {
        try {
            console.out().println(mapper.get().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token, as JSON or in the layout of compat.md. */
    void printToken(Token t, Settings settings, boolean asJson) {
        if (asJson) {
            printJson(tokenJson(t, settings));
        } else {
            printToken(t, settings);
        }
    }

    /** The token layout of compat.md. */
    void printToken(Token t, Settings settings) {
        TokenLinks links = new TokenLinks(settings.webEndpoint());
        PrintStream out = console.out();
        out.println("token:" + t.name());
        out.println("  prefix = " + t.prefix());
        out.println("  expiry = " + t.expiry());
        out.println("  maxuse = " + t.maxUse());
        out.println("  usecount = " + t.useCount());
        out.println("  token = " + t.secret().value());
        // mailadm's additions, only when set: the original's layout stays as it was.
        TokenPolicy p = t.policy();
        p.validFrom().ifPresent(i -> out.println("  valid_from = " + i));
        p.validUntil().ifPresent(i -> out.println("  valid_until = " + i));
        p.grace().ifPresent(g -> out.println("  grace = " + g));
        if (p.quotaMiB() > 0) {
            out.println("  quota = " + TokenPolicy.formatQuota(p.quotaMiB()));
        }
        out.println("  " + links.webUrl(t));
        out.println("  " + links.qrPayload(t));
    }

    ObjectNode tokenJson(Token t, Settings settings) {
        TokenLinks links = new TokenLinks(settings.webEndpoint());
        ObjectNode o = mapper.get().createObjectNode();
        o.put("name", t.name().value());
        o.put("prefix", t.prefix());
        o.put("expiry", t.expiry().code());
        o.put("maxuse", t.maxUse());
        o.put("usecount", t.useCount());
        o.put("token", t.secret().value());
        TokenPolicy p = t.policy();
        p.validFrom()
                .map(Instant::toString)
                .ifPresentOrElse(v -> o.put("valid_from", v), () -> o.putNull("valid_from"));
        p.validUntil()
                .map(Instant::toString)
                .ifPresentOrElse(v -> o.put("valid_until", v), () -> o.putNull("valid_until"));
        p.grace().map(Expiry::code).ifPresentOrElse(v -> o.put("grace", v), () -> o.putNull("grace"));
        o.put("quota_mib", p.quotaMiB());
        o.put("url", links.webUrl(t));
        o.put("qr", links.qrPayload(t));
        return o;
    }

    ObjectNode accountJson(Account a) {
        ObjectNode o = mapper.get().createObjectNode();
        o.put("address", a.address().toString());
        o.put("token", a.token().value());
        o.put("state", a.state().name().toLowerCase(java.util.Locale.ROOT));
        o.put("created", a.createdAt().toString());
        a.expiresAt().map(Instant::toString).ifPresentOrElse(e -> o.put("expires", e), () -> o.putNull("expires"));
        a.disabledAt().map(Instant::toString).ifPresentOrElse(e -> o.put("disabled", e), () -> o.putNull("disabled"));
        return o;
    }

    /** {@code 1 account}, {@code 2 accounts}, {@code 3 mailboxes}: a count with its noun in the right number. */
    static String count(long n, String noun) {
        if (n == 1) {
            return n + " " + noun;
        }
        return n + " " + noun + (noun.endsWith("x") || noun.endsWith("s") ? "es" : "s");
    }
}
