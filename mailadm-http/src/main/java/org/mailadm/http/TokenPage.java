package org.mailadm.http;

import java.util.Base64;
import java.util.List;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.qr.QrImages;

/** The HTML page a browser gets for a token URL: what to do, a QR code and a {@code DCACCOUNT:} link. */
final class TokenPage {
    private TokenPage() {}

    static String valid(Token token, Settings settings) {
        String payload = new TokenLinks(settings.webEndpoint()).qrPayload(token);
        String png = Base64.getEncoder().encodeToString(QrImages.png(payload, List.of()));
        String lifetime = token.expiry().isNever()
                ? "The account does not expire."
                : "The account expires after " + token.expiry() + ".";
        String usable = token.isExhausted()
                ? "<p class=\"warn\">This invitation code has been used up; ask whoever gave it to you for a new one.</p>"
                : "";
        return page("Get an e-mail account on " + settings.mailDomain(), """
                <h1>An e-mail account on %s for Delta Chat</h1>
                %s
                <p>This invitation gives you an address like <code>%sxxxxx@%s</code>. %s</p>
                <ol>
                  <li>Install Delta Chat from <a href="https://delta.chat/download">delta.chat/download</a>.</li>
                  <li>On this device, tap <a class="button" href="%s">Open in Delta Chat</a>.</li>
                  <li>On another device, start Delta Chat, choose "Create a new profile", then
                      "Scan invitation code" and scan this code.</li>
                </ol>
                <p><img alt="QR code for Delta Chat" src="data:image/png;base64,%s" width="300" height="300"></p>
                """.formatted(
                        escape(settings.mailDomain()),
                        usable,
                        escape(token.prefix()),
                        escape(settings.mailDomain()),
                        escape(lifetime),
                        escape(payload),
                        png));
    }

    static String invalid() {
        return page("Invalid invitation", """
                <h1>This invitation link is not valid</h1>
                <p>It may have been mistyped, or it was withdrawn. Ask whoever gave it to you for a new one.</p>
                """);
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}
                .button{display:inline-block;padding:.4em 1em;background:#2090ea;color:#fff;border-radius:.3em;text-decoration:none}
                .warn{color:#a00}</style></head>
                <body>
                %s</body></html>
                """.formatted(escape(title), body);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
