package org.mailadm.mailcow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads mailcow's mailbox objects ({@code shared/contracts/mailcow-api.md} §6.2) into {@link
 * Mailbox}: of their ~35 keys only {@code username}, {@code active} (1 = active), {@code
 * last_imap_login} (epoch seconds, 0 = never) and {@code tags} (absent when there are none). A
 * mailbox whose username is not an address mailadm can manage is skipped.
 */
final class MailboxJson {
    // Logged under the adapter's name, as before this class was split from it.
    private static final Logger LOG = LoggerFactory.getLogger(MailcowMailProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MailboxJson() {}

    /** Reads one mailbox object. */
    static Optional<Mailbox> parse(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return mailbox(
                n.path("username").asText(), lenientLong(n.get("active")), lenientLong(n.get("last_imap_login")), tags);
    }

    /**
     * Streams a listing, a JSON array of mailbox objects, without building a tree of it: each
     * mailbox has ~35 fields, mailadm needs four of them.
     *
     * @throws MailProviderException when the array is not one of objects, or not JSON
     * @throws IOException when reading the stream fails
     */
    static List<Mailbox> parseListing(InputStream in) throws IOException {
        List<Mailbox> out = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            p.nextToken();
            JsonToken next;
            while ((next = p.nextToken()) == JsonToken.START_OBJECT) {
                String username = "";
                long active = 0;
                long last = 0;
                List<String> tags = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "username" -> username = p.getValueAsString("");
                        case "active" -> active = lenientLong(p, t);
                        case "last_imap_login" -> last = lenientLong(p, t);
                        case "tags" -> {
                            if (t == JsonToken.START_ARRAY) {
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    tags.add(p.getValueAsString(""));
                                    p.skipChildren();
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                mailbox(username, active, last, tags).ifPresent(out::add);
            }
            if (next != JsonToken.END_ARRAY) {
                throw new MailProviderException(
                        Kind.BAD_RESPONSE, "mailcow sent a mailbox list that is not a list of objects", false);
            }
        } catch (JsonProcessingException e) {
            LOG.warn("mailcow's mailbox list is not valid JSON: {}", e.getOriginalMessage());
            throw new MailProviderException(
                    Kind.BAD_RESPONSE, "mailcow sent a mailbox list that is not valid JSON", false);
        }
        return out;
    }

    private static Optional<Mailbox> mailbox(String username, long active, long lastImapLogin, List<String> tags) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(username);
        } catch (IllegalArgumentException e) {
            LOG.debug("skipping a mailbox whose address mailadm does not manage");
            return Optional.empty();
        }
        Optional<Instant> last =
                lastImapLogin > 0 ? Optional.of(Instant.ofEpochSecond(lastImapLogin)) : Optional.empty();
        return Optional.of(new Mailbox(address, active == 1, last, tags));
    }

    /** mailcow sends ints today and sent strings before 2021-06. */
    private static long lenientLong(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        return parseLong(n.asText());
    }

    private static long lenientLong(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            return parseLong(p.getText());
        }
        p.skipChildren();
        return 0;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
