package org.mailadm.mailcow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every mailbox through {@code get/mailbox/reduced}, falling back to {@code get/mailbox/all}
 * on a mailcow older than 2022-01, which takes "reduced" for a username and answers {@code {}}
 * ({@code shared/contracts/mailcow-api.md} §6.1, §8.1). The fallback is remembered once {@code all}
 * found mailboxes where {@code reduced} found none. Listings are streamed within {@link
 * MailcowOptions#listTimeout()}; {@code {}} means none (§9.10). Thread-safe.
 */
final class MailboxListing {
    // Logged under the adapter's name, as before this class was split from it.
    private static final Logger LOG = LoggerFactory.getLogger(MailcowMailProvider.class);

    private final MailcowRequests requests;
    /** False once this mailcow answered {@code get/mailbox/reduced} like an unknown username (before 2022-01). */
    private volatile boolean reducedListing = true;

    MailboxListing(MailcowRequests requests) {
        this.requests = requests;
    }

    /** Every mailbox, through {@code reduced} and, when that finds none, {@code all}. */
    List<Mailbox> all() {
        if (reducedListing) {
            Optional<List<Mailbox>> reduced = list("get/mailbox/reduced");
            if (reduced.isPresent()) {
                return reduced.get();
            }
        }
        Optional<List<Mailbox>> all = list("get/mailbox/all");
        if (all.isEmpty()) {
            return List.of();
        }
        if (reducedListing && !all.get().isEmpty()) {
            LOG.info("this mailcow has no get/mailbox/reduced (before 2022-01); listing with get/mailbox/all");
            reducedListing = false;
        }
        return all.get();
    }

    /** One listing; empty when mailcow answered {@code {}}. */
    private Optional<List<Mailbox>> list(String path) {
        HttpResponse<InputStream> resp = requests.send(
                requests.getRequest(path, requests.options().listTimeout()),
                path,
                false,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream raw = resp.body()) {
            if (resp.statusCode() != 200) {
                MailcowAnswers.checked( // throws: the status is not 200
                        resp.statusCode(),
                        new String(raw.readNBytes(65_536), StandardCharsets.UTF_8),
                        "get/mailbox/all",
                        false);
            }
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 1);
            int first;
            do {
                first = in.read();
            } while (first == ' ' || first == '\n' || first == '\r' || first == '\t');
            if (first != '[') {
                String rest = (first < 0 ? "" : String.valueOf((char) first))
                        + new String(in.readNBytes(65_536), StandardCharsets.UTF_8);
                JsonNode tree = MailcowAnswers.checkedTree(200, rest, "get/mailbox/all", false);
                if (tree.isObject() && tree.isEmpty()) {
                    return Optional.empty(); // mailcow's answer when there are no mailboxes
                }
                throw MailcowAnswers.unexpected("get/mailbox/all", tree, false);
            }
            in.unread(first);
            return Optional.of(MailboxJson.parseListing(in));
        } catch (HttpTimeoutException e) {
            throw new MailProviderUnavailableException("mailcow did not send the mailbox list in time", false, e);
        } catch (IOException e) {
            throw new MailProviderUnavailableException(
                    "the connection to mailcow broke while listing mailboxes: " + e.getMessage(), false, e);
        }
    }
}
