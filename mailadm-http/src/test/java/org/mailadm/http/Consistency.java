package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailcowServer;

/** The invariant after any storm: the database and mailcow agree, and use counts are exact. */
final class Consistency {
    private Consistency() {}

    static void assertAgree(Storage storage, FakeMailcowServer mailcow, String token) {
        Set<String> rows = storage.listAccounts(new TokenName(token)).stream()
                .map(a -> a.address().toString())
                .collect(Collectors.toSet());
        Set<String> mailboxes = Set.copyOf(mailcow.usernamesTagged("mailadm:" + token));
        assertThat(storage.listAccounts(AccountState.PENDING))
                .as("no pending rows left")
                .isEmpty();
        assertThat(rows)
                .as("no row without a mailbox, no mailadm mailbox without a row")
                .isEqualTo(mailboxes);
        assertThat(storage.findToken(new TokenName(token)).orElseThrow().useCount())
                .as("use count equals what was created")
                .isEqualTo(rows.size());
    }
}
