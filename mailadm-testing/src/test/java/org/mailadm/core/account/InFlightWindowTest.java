package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

/**
 * One rule for how long a creation may be in flight, derived from the timeouts (issue 12, finding
 * 1: the server's background settling used a fixed 60 s, so with MAILCOW_TIMEOUT above that it
 * settled creations still waiting on mailcow).
 */
class InFlightWindowTest {
    @Test
    void derivedFromTheTimeouts_neverBelowFiveMinutes() {
        assertThat(InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15))
                        .duration())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(200))
                        .duration())
                .isEqualTo(Duration.ofSeconds(410));
    }

    @Test
    void aCreationWaitingOnASlowMailcow_isNotSettledUnderIt() {
        InMemoryStorage storage = new InMemoryStorage();
        FakeMailProvider provider = new FakeMailProvider("example.org");
        MutableClock clock = MutableClock.atFixedStart();
        storage.insertToken(TestTokens.aToken().build());
        EmailAddress a = EmailAddress.parse("tmp.slow@example.org");
        storage.reserveAccount(new Storage.TokenKey.ByName(new TokenName("oneday")), a, clock.instant());
        Audit audit = new Audit(storage, clock, "test");
        InFlightWindow window = InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(200));
        Reconciler reconciler = new Reconciler(
                storage,
                storage,
                provider,
                clock,
                InMemoryStorage.exampleSettings(),
                window,
                new AccountRemoval(storage, provider, audit),
                audit);
        clock.advance(Duration.ofMinutes(6)); // past 60 s and past the 5-minute floor, within 2 × (5 s + 200 s)
        assertThat(reconciler.settlePending().total()).isZero();
        assertThat(storage.findAccount(a)).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(reconciler.settlePending().released()).containsExactly(a);
    }
}
