package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.TokenName;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.testing.FakeMailcowServer;

/** The invariant after any storm: the database and mailcow agree, and use counts are exact. */
final class Consistency {
    private Consistency() {}

    /**
     * What the server's background reconcile does to rows left pending, run as if the in-flight
     * window had passed: a clock that far ahead, against the mailcow the database names.
     *
     * @return what settling did
     */
    static Reconciler.PendingReport settleOnceTheWindowHasPassed(Storage storage) {
        Settings settings = storage.settings().orElseThrow();
        InFlightWindow window = InFlightWindow.forTimeouts(
                MailcowOptions.DEFAULTS.connectTimeout(), MailcowOptions.DEFAULTS.requestTimeout());
        Clock later = Clock.offset(Clock.systemUTC(), window.duration().plusSeconds(1));
        Audit audit = new Audit(storage, later, "test");
        try (MailcowMailProvider provider = new MailcowMailProvider(settings, MailcowOptions.DEFAULTS)) {
            return new Reconciler(
                            storage,
                            storage,
                            provider,
                            later,
                            settings,
                            window,
                            new AccountRemoval(storage, provider, audit),
                            audit)
                    .settlePending();
        }
    }

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
