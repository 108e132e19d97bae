package org.mailadm.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.token.TokenName;

/**
 * A mailbox as the provider reports it.
 *
 * @param lastLogin the last IMAP login, empty when the provider does not know (mailcow's 0)
 * @param tags the provider's tags, {@code mailadm:<token>} for mailboxes mailadm created
 */
public record Mailbox(EmailAddress address, boolean active, Optional<Instant> lastLogin, List<String> tags) {
    /** Tag prefix that marks mailboxes created by mailadm. */
    public static final String TAG_PREFIX = "mailadm:";

    public Mailbox {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(lastLogin, "lastLogin == null");
        tags = List.copyOf(tags);
    }

    /** The tag mailadm puts on mailboxes created for this token. */
    public static String tagFor(TokenName token) {
        return TAG_PREFIX + token.value();
    }

    /** The token named by the first {@code mailadm:} tag, matched exactly, if any. */
    public Optional<String> mailadmToken() {
        for (String tag : tags) {
            if (tag.startsWith(TAG_PREFIX) && tag.length() > TAG_PREFIX.length()) {
                return Optional.of(tag.substring(TAG_PREFIX.length()));
            }
        }
        return Optional.empty();
    }
}
