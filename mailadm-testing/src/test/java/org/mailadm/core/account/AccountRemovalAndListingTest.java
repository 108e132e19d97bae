package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

class AccountRemovalAndListingTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider provider = new FakeMailProvider("example.org");
    private final MutableClock clock = MutableClock.atFixedStart();
    private final AccountRemoval removal = new AccountRemoval(storage, provider, new Audit(storage, clock, "test"));
    private final AccountListing listing = new AccountListing(storage, provider, InMemoryStorage.exampleSettings());
    private AccountCreation creation;

    @BeforeEach
    void setUp() {
        creation = new AccountCreation(
                storage,
                storage,
                provider,
                new FakeSecretGenerator(),
                clock,
                InMemoryStorage.exampleSettings(),
                new Audit(storage, clock, "test"));
        storage.insertToken(TestTokens.aToken().build());
        storage.insertToken(TestTokens.aToken()
                .named("other")
                .withSecret("o")
                .withPrefix("o.")
                .build());
    }

    private EmailAddress create(String secret) {
        return ((CreateAccountResult.Created) creation.createWithSecret(secret))
                .account()
                .address();
    }

    @Test
    void delete_removesMailboxThenRow() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        DeleteAccountResult r = removal.delete(a);
        assertThat(r).isInstanceOf(DeleteAccountResult.Deleted.class);
        assertThat(((DeleteAccountResult.Deleted) r).mailboxExisted()).isTrue();
        assertThat(provider.has(a)).isFalse();
        assertThat(storage.findAccount(a)).isEmpty();
    }

    @Test
    void delete_unknownAddress_notFound() {
        assertThat(removal.delete(EmailAddress.parse("tmp.nosuch@example.org")))
                .isInstanceOf(DeleteAccountResult.NotFound.class);
    }

    @Test
    void delete_mailboxAlreadyGone_rowRemoved() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        provider.deleteMailboxes(List.of(a));
        DeleteAccountResult r = removal.delete(a);
        assertThat(r)
                .isEqualTo(new DeleteAccountResult.Deleted(
                        storage.findAccount(a).orElse(((DeleteAccountResult.Deleted) r).account()), false));
        assertThat(storage.findAccount(a)).isEmpty();
    }

    /**
     * The provider's listing (network, then parsing) and the database read overlap: each side waits
     * here until the other has started, which only works when they run at the same time.
     */
    @Test
    void list_readsRowsWhileTheProviderLists() {
        create("1d_r84EW3N8hEKk");
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        Runnable meet = () -> {
            try {
                bothStarted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError("the database read and the provider listing did not overlap", e);
            }
        };
        storage.beforeListingAccounts(meet);
        provider.beforeListing(meet);

        assertThat(listing.list(Optional.empty()).accounts()).hasSize(1);
    }

    @Test
    void list_providerFails_throwsItsOwnError() {
        MailProviderUnavailableException down =
                new MailProviderUnavailableException("mailcow did not send the mailbox list in time", false, null);
        provider.failNextWith(down);
        assertThatThrownBy(() -> listing.list(Optional.empty())).isSameAs(down);
    }

    @Test
    void list_crossChecksBothWays() {
        EmailAddress kept = create("1d_r84EW3N8hEKk");
        EmailAddress gone = create("1d_r84EW3N8hEKk");
        EmailAddress otherToken = create("o");
        provider.deleteMailboxes(List.of(gone));
        provider.putMailbox(new Mailbox(
                EmailAddress.parse("tmp.stray@example.org"), true, Optional.empty(), List.of("mailadm:oneday")));
        provider.putMailbox(new Mailbox(
                EmailAddress.parse("tmp.near@example.org"), true, Optional.empty(), List.of("mailadm:oneday2")));
        provider.putMailbox(new Mailbox(EmailAddress.parse("admin@example.org"), true, Optional.empty(), List.of()));

        AccountListing.Listing all = listing.list(Optional.empty());
        assertThat(all.accounts()).hasSize(3);
        assertThat(all.accounts())
                .filteredOn(e -> e.account().address().equals(gone))
                .allMatch(e -> e.mailbox().isEmpty());
        assertThat(all.accounts())
                .filteredOn(e -> e.account().address().equals(kept))
                .allMatch(e -> e.mailbox().isPresent());
        assertThat(all.onlyInProvider())
                .extracting(m -> m.address().toString())
                .containsExactlyInAnyOrder("tmp.stray@example.org", "tmp.near@example.org");

        AccountListing.Listing one = listing.list(Optional.of(new TokenName("oneday")));
        assertThat(one.accounts()).extracting(e -> e.account().address()).containsExactlyInAnyOrder(kept, gone);
        assertThat(one.onlyInProvider())
                .extracting(m -> m.address().toString())
                .containsExactly("tmp.stray@example.org");
        assertThat(one.accounts()).extracting(e -> e.account().address()).doesNotContain(otherToken);
    }
}
