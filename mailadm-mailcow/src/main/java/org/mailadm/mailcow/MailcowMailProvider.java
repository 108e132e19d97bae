package org.mailadm.mailcow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenLinks;

/**
 * {@link MailProvider} on the mailcow REST API ({@code /api/v1/}), as described in
 * {@code shared/contracts/mailcow-api.md}.
 *
 * <p>Every response is read whole: success is the presence of the success entry and the absence of
 * any {@code danger} entry, never the first entry alone. {@code {}} and {@code []} both mean "none";
 * the single-mailbox GET accepts the list answer of mailcow 2022-05 by matching the username
 * exactly. An empty or non-JSON body is an error. Messages and logs never contain the API key or a
 * password. Thread-safe. {@link #close()} stops its HTTP client.
 *
 * <p>Behind this class, package-private: {@code MailcowRequests} (HTTP client, URIs, timeouts,
 * headers), {@code MailcowAnswers} and {@code MailboxJson} (answers into results and exceptions),
 * {@code MailboxListing} (reduced or all) and {@code DeletionBatches} (paced, concurrent batches).
 */
public final class MailcowMailProvider implements MailProvider, AutoCloseable {
    private final MailcowRequests requests;
    private final DeletionBatches deletions;
    private final MailboxListing listing;

    public MailcowMailProvider(Settings settings, MailcowOptions options) {
        this(settings.mailcowEndpoint(), settings.mailcowToken(), options);
    }

    /**
     * @param endpoint the API base, {@code https://HOST/api/v1/} (a missing trailing {@code /} is added)
     * @throws NullPointerException if an argument is null
     */
    public MailcowMailProvider(URI endpoint, ApiKey key, MailcowOptions options) {
        this.requests = new MailcowRequests(endpoint, key, options);
        this.deletions = new DeletionBatches(requests);
        this.listing = new MailboxListing(requests);
    }

    /**
     * Stops the HTTP client and its selector thread; a request still running fails. Worth doing
     * before a JVM exits: the JVM waits up to 300 ms for threads blocked in native code, as the
     * selector is.
     */
    @Override
    public void close() {
        requests.close();
    }

    // ---- create

    /**
     * {@code POST add/mailbox} (contract §4): tagged {@code mailadm:<token>}, quota in MiB, active, no
     * forced password update or TLS. A {@code danger} entry maps to a rejection by its key
     * ({@code MailcowAnswers.refusal}); when mailcow reports an error and created the mailbox all the
     * same (mailcow #5292, found by a lookup after a refusal), this throws {@link
     * MailProviderException} with an unknown outcome, for reconciliation to settle.
     */
    @Override
    public CreateMailboxResult createMailbox(NewMailbox mailbox) {
        ObjectNode attr = JsonNodeFactory.instance.objectNode();
        attr.put("local_part", mailbox.address().localPart());
        attr.put("domain", mailbox.address().domain());
        attr.put("quota", mailbox.quotaMiB());
        attr.put("password", mailbox.password().value());
        attr.put("password2", mailbox.password().value());
        attr.put("active", 1);
        attr.put("force_pw_update", 0);
        attr.put("tls_enforce_in", 0);
        attr.put("tls_enforce_out", 0);
        attr.putArray("tags").add(Mailbox.tagFor(mailbox.token()));
        MailcowAnswers.Entries answer = change("add/mailbox", attr, "mailbox_added", false);
        if (answer.succeeded() && !answer.hasDanger()) {
            return new CreateMailboxResult.Created();
        }
        if (answer.succeeded()) {
            // mailcow #5292: an error reported although the mailbox was created. Let reconcile decide.
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + MailcowAnswers.msgKey(answer.danger()) + "' but also created "
                            + mailbox.address(),
                    true);
        }
        if (!answer.hasDanger()) {
            throw MailcowAnswers.unexpected("add/mailbox", answer.body(), true);
        }
        String msg = MailcowAnswers.msgKey(answer.danger());
        CreateMailboxResult rejected = MailcowAnswers.refusal(answer.danger(), mailbox);
        if (!(rejected instanceof CreateMailboxResult.AlreadyExists) && createdAnyway(mailbox.address(), msg)) {
            // mailcow #5292: a refusal, and the mailbox exists all the same. Whoever asked gets an error,
            // so nobody has its credentials: leave it to reconcile, which deletes it.
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + msg + "' but created " + mailbox.address() + " all the same",
                    true);
        }
        return rejected;
    }

    /** Whether a refused creation left a mailbox after all; when that cannot be asked, the outcome is unknown. */
    private boolean createdAnyway(EmailAddress address, String msg) {
        try {
            return findMailbox(address).isPresent();
        } catch (MailProviderException e) {
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + msg + "' for " + address + ", and whether it created it all the same could"
                            + " not be checked: " + e.getMessage(),
                    true,
                    e);
        }
    }

    // ---- delete

    /**
     * Deletes in batches sized by {@link DeletionPace}: the first call of a provider that has measured
     * nothing yet deletes one address alone, the rest follow up to three batches at a time. A batch
     * whose answer is lost (timeout, broken connection, HTTP 5xx) comes back {@link
     * MailboxDeletion.Outcome#UNKNOWN} for each of its addresses: mailcow goes on deleting after the
     * client gave up, so only a lookup tells. A rejected key or address throws, as nothing was done.
     */
    @Override
    public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        return deletions.delete(addresses);
    }

    // ---- edit

    /**
     * {@code POST edit/mailbox} with {@code {"active": 1|0}} (contract §7). mailcow answers {@code
     * access_denied} both for a mailbox that does not exist and for a refusal: a lookup tells them
     * apart, and a refusal throws {@link MailProviderException}.
     */
    @Override
    public boolean setActive(EmailAddress address, boolean active) {
        ObjectNode edit = JsonNodeFactory.instance.objectNode();
        edit.putArray("items").add(address.toString());
        edit.putObject("attr").put("active", active ? 1 : 0);
        MailcowAnswers.Entries answer = change("edit/mailbox", edit, "mailbox_modified", true);
        if (answer.succeeded() && !answer.hasDanger()) {
            return true;
        }
        if (answer.hasDanger() && MailcowAnswers.msgKey(answer.danger()).equals("access_denied")) {
            // mailcow says access_denied both for "no such mailbox" and for a real refusal: ask.
            if (findMailbox(address).isEmpty()) {
                return false;
            }
            throw new MailProviderException(
                    Kind.OTHER,
                    "mailcow refused to " + (active ? "enable " : "disable ") + address + " (access_denied)",
                    false);
        }
        throw MailcowAnswers.unexpected("edit/mailbox", answer.body(), true);
    }

    /**
     * Posts a change and reads its status entries; an answer that is not an array of them throws,
     * with an unknown outcome if {@code notAListMayHaveApplied}.
     */
    private MailcowAnswers.Entries change(
            String path, JsonNode body, String successKey, boolean notAListMayHaveApplied) {
        JsonNode answer =
                MailcowAnswers.tree(requests.post(path, body, requests.options().requestTimeout(), true), path, true);
        if (!answer.isArray()) {
            throw MailcowAnswers.unexpected(path, answer, notAListMayHaveApplied);
        }
        return MailcowAnswers.Entries.of(answer, successKey);
    }

    // ---- get

    /**
     * {@code GET get/mailbox/<address>} (contract §6.1): {@code {}} is none; a list (mailcow 2022-05,
     * §9.1) is searched for the exact username, case-insensitively.
     */
    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        String path = "get/mailbox/" + TokenLinks.encode(address.toString()).replace("@", "%40");
        JsonNode body =
                MailcowAnswers.tree(requests.get(path, requests.options().requestTimeout()), "get/mailbox", false);
        if (body.isObject()) {
            if (body.isEmpty()) {
                return Optional.empty();
            }
            return MailboxJson.parse(body).filter(m -> m.address().equals(address));
        }
        if (body.isArray()) {
            // mailcow 2022-05 answered the whole list: pick the exact username.
            for (JsonNode n : body) {
                if (n.path("username").asText().equalsIgnoreCase(address.toString())) {
                    return MailboxJson.parse(n);
                }
            }
            return Optional.empty();
        }
        throw MailcowAnswers.unexpected("get/mailbox", body, false);
    }

    /**
     * Lists through {@code get/mailbox/reduced}: every key mailadm reads, without the per-mailbox sums
     * over the whole domain that make {@code get/mailbox/all} grow with the square of the domain (5.3 s
     * instead of 36–62 s at 4,570 mailboxes, contract §8.1). A mailcow older than 2022-01 takes
     * "reduced" for a username and answers {@code {}}; then, and whenever the list is empty, {@code
     * get/mailbox/all} is asked, and an old mailcow is remembered.
     */
    @Override
    public List<Mailbox> listMailboxes() {
        return listing.all();
    }

    /**
     * {@code POST delete/mailbox} with the body {@code []}: changes nothing, and tells a read-write key
     * ({@code {"type":"success","msg":"Task completed"}}) from a read-only one (403) and a rejected
     * one (401), contract §8.2. A rejected key still counts towards mailcow's fail2ban: callers send
     * it rarely (the server every 30 s, held back by its circuit breaker).
     */
    @Override
    public void checkHealth() {
        JsonNode body = MailcowAnswers.tree(
                requests.post(
                        "delete/mailbox",
                        JsonNodeFactory.instance.arrayNode(),
                        requests.options().requestTimeout(),
                        false),
                "delete/mailbox",
                false);
        if (!body.isObject() || !body.path("type").asText().equals("success")) {
            throw MailcowAnswers.unexpected("delete/mailbox", body, false);
        }
    }

    @Override
    public String toString() {
        return "MailcowMailProvider[" + requests.endpoint() + "]";
    }
}
