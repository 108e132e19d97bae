package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.AccountStore.Reservation;
import org.mailadm.core.port.AccountStore.TokenKey;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.TokenName;

/** What the storage contract suites share: the store under test, a fixed time, and shortcuts. */
public interface StorageFixture {
    Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    /** The store under test, fresh and empty for each test. */
    Storage storage();

    default EmailAddress addr(String s) {
        return EmailAddress.parse(s);
    }

    /** Reserves a use of {@code token} for {@code address}, which must succeed. */
    default Account reserve(String token, String address) {
        Reservation r = storage().reserveAccount(new TokenKey.ByName(new TokenName(token)), addr(address), NOW);
        assertThat(r).isInstanceOf(Reservation.Reserved.class);
        return ((Reservation.Reserved) r).account();
    }
}
