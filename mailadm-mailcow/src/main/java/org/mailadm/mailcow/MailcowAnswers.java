package org.mailadm.mailcow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.CreateMailboxResult.Reason;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.NewMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads mailcow's answers ({@code shared/contracts/mailcow-api.md} §1-3, checked against {@code
 * mailcow-transcript.txt}): the HTTP status, the JSON, the single-object framework errors ({@code
 * {"type":"error","msg":…}}) and the arrays of status entries ({@code {"type":"success"|"danger",
 * "msg":"key"|["key", args…]}}) that add, edit and delete answer. Failures throw {@link
 * MailProviderException} with the {@link Kind} that says what to fix; messages and logs are cut to
 * 300 printable characters and never hold the key.
 */
final class MailcowAnswers {
    // Logged under the adapter's name, as before this class was split from it.
    private static final Logger LOG = LoggerFactory.getLogger(MailcowMailProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MailcowAnswers() {}

    /**
     * The outcome of an answer made of status entries (the array {@code body}): whether the entry of
     * success was there, and the first {@code danger} entry, or null. Success is both: the entry, and no danger (mailcow
     * #5292 reported an error and created all the same, contract §9.5).
     */
    record Entries(JsonNode body, boolean succeeded, JsonNode danger) {
        /** Reads an array of entries, looking for {@code success} with {@code successKey}. */
        static Entries of(JsonNode body, String successKey) {
            boolean succeeded = false;
            JsonNode danger = null;
            for (JsonNode entry : body) {
                String type = entry.path("type").asText();
                if (type.equals("success") && msgKey(entry).equals(successKey)) {
                    succeeded = true;
                } else if (type.equals("danger") && danger == null) {
                    danger = entry;
                }
            }
            return new Entries(body, succeeded, danger);
        }

        boolean hasDanger() {
            return danger != null;
        }
    }

    /**
     * What {@code add/mailbox}'s {@code danger} entry refuses, by its key ({@code
     * functions.mailbox.inc.php} add, contract §4.2): the address exists (also as an alias), the
     * domain is not mailcow's ({@code access_denied}, §9.3), the password fails the policy, a quota or
     * limit is reached, the address is invalid; any other key is {@link Reason#OTHER}.
     */
    static CreateMailboxResult refusal(JsonNode danger, NewMailbox mailbox) {
        String detail = danger.path("msg").toString();
        return switch (msgKey(danger)) {
            case "object_exists", "is_alias", "is_spam_alias", "aliasd_targetd_identical" ->
                new CreateMailboxResult.AlreadyExists();
            case "access_denied", "domain_not_found" ->
                new CreateMailboxResult.Rejected(Reason.DOMAIN_NOT_MANAGED, detail);
            case "password_complexity", "password_mismatch" ->
                new CreateMailboxResult.Rejected(Reason.PASSWORD_REJECTED, detail);
            case "mailbox_quota_exceeded" ->
                new CreateMailboxResult.Rejected(
                        Reason.QUOTA_ABOVE_MAXIMUM,
                        danger.path("msg").path(1).canConvertToLong()
                                ? "mailcow allows at most "
                                        + danger.path("msg").path(1).asLong() + " MiB per mailbox in "
                                        + mailbox.address().domain()
                                : "the quota is above mailcow's per-mailbox maximum for "
                                        + mailbox.address().domain());
            case "max_mailbox_exceeded", "mailbox_quota_left_exceeded", "unlimited_quota_acl" ->
                new CreateMailboxResult.Rejected(Reason.LIMIT_REACHED, detail);
            case "mailbox_invalid", "domain_invalid" ->
                new CreateMailboxResult.Rejected(Reason.INVALID_ADDRESS, detail);
            default -> new CreateMailboxResult.Rejected(Reason.OTHER, detail);
        };
    }

    /** An entry's message key: {@code msg} itself, or the first element of a {@code msg} array. */
    static String msgKey(JsonNode entry) {
        JsonNode msg = entry.path("msg");
        return msg.isArray() ? msg.path(0).asText() : msg.asText();
    }

    /**
     * Checks the status and returns the body; errors that mailcow signals by status become
     * exceptions (contract §2): 401 a rejected key or address, 403 a read-only key, 5xx a failure
     * whose outcome is unknown if the call {@code mayApply}, anything else a wrong endpoint. A 200
     * with an empty body is a missing key or a wrong endpoint (§9.6).
     */
    static String checked(int status, String body, String what, boolean mayApply) {
        if (status == 200) {
            if (body.isBlank()) {
                throw new MailProviderException(
                        Kind.BAD_RESPONSE,
                        "mailcow sent an empty answer to " + what
                                + ": check that MAILCOW_ENDPOINT ends in /api/v1/ and that the API key is set",
                        mayApply);
            }
            return body;
        }
        String msg = "";
        if (body.length() < 10_000) {
            try {
                msg = JSON.readTree(body).path("msg").asText("");
            } catch (JsonProcessingException e) {
                msg = "";
            }
        }
        if (status == 401) {
            if (msg.startsWith("api access denied for ip")) {
                throw new MailProviderException(
                        Kind.IP_NOT_ALLOWED,
                        "mailcow refused the API key from this address ("
                                + abbreviate(msg)
                                + "): add this server's IP to the key's \"Allow API access from these IPs\" in"
                                + " mailcow's admin interface (System > Configuration > Access > API), or enable \"Skip IP check"
                                + " for API\"",
                        false);
            }
            throw new MailProviderException(
                    Kind.AUTHENTICATION_FAILED,
                    "mailcow rejected the API key (authentication"
                            + " failed): check MAILCOW_TOKEN against the read-write key in mailcow's admin interface (System >"
                            + " Configuration > Access > API), make sure the API is activated, then run `mailadm init` again",
                    false);
        }
        if (status == 403) {
            throw new MailProviderException(
                    Kind.READ_ONLY_KEY,
                    "mailcow refused a change with this API key (read/write"
                            + " access denied): MAILCOW_TOKEN must be the read-write key, not the read-only one",
                    false);
        }
        LOG.warn("mailcow answered {} with HTTP {}: {}", what, status, abbreviate(body));
        if (status >= 500) {
            throw new MailProviderException(
                    Kind.BAD_RESPONSE, "mailcow failed with HTTP " + status + " on " + what, mayApply);
        }
        throw new MailProviderException(
                Kind.BAD_RESPONSE,
                "mailcow answered HTTP " + status + " on " + what + (msg.isEmpty() ? "" : " (" + abbreviate(msg) + ")")
                        + ": check MAILCOW_ENDPOINT",
                false);
    }

    /** Parses a (small) answer; mailcow's single-object errors become exceptions. */
    static JsonNode tree(String body, String what, boolean mayApply) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw badJson(what, body, mayApply);
        }
        if (json == null) {
            throw badJson(what, body, mayApply);
        }
        if (json.isObject() && json.path("type").asText().equals("error")) {
            String msg = json.path("msg").asText("");
            LOG.warn("mailcow refused {}: {}", what, abbreviate(msg));
            throw new MailProviderException(Kind.OTHER, "mailcow refused " + what + ": " + abbreviate(msg), false);
        }
        return json;
    }

    /** {@link #checked} then {@link #tree}: the JSON of an answer that is not the one expected. */
    static JsonNode checkedTree(int status, String body, String what, boolean mayApply) {
        return tree(checked(status, body, what, mayApply), what, mayApply);
    }

    static MailProviderException badJson(String what, String body, boolean mayApply) {
        LOG.warn("mailcow answered {} with a body that is not JSON: {}", what, abbreviate(body));
        return new MailProviderException(
                Kind.BAD_RESPONSE, "mailcow sent an answer to " + what + " that is not JSON", mayApply);
    }

    static MailProviderException unexpected(String what, JsonNode body, boolean mayApply) {
        LOG.warn("unexpected answer from mailcow to {}: {}", what, abbreviate(body.toString()));
        return new MailProviderException(Kind.BAD_RESPONSE, "mailcow sent an unexpected answer to " + what, mayApply);
    }

    /** At most 300 characters, anything not printable ASCII as {@code ?}: safe for a log line. */
    static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 300 ? printable.substring(0, 300) + "..." : printable;
    }
}
