package org.mailadm.core.port;

import java.util.Objects;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.token.TokenName;

/**
 * A mailbox to create.
 *
 * @param token the token it is created for; providers tag the mailbox {@code mailadm:<token>}
 * @param quotaMiB mailbox quota in MiB, 0 for unlimited
 */
public record NewMailbox(EmailAddress address, Password password, TokenName token, long quotaMiB) {
    public NewMailbox {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(password, "password == null");
        Objects.requireNonNull(token, "token == null");
        if (quotaMiB < 0) {
            throw new IllegalArgumentException("quotaMiB must not be negative");
        }
    }
}
