package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

/** The use cases that drop rows decide nothing from a listing's silence (issue 11, part 1). */
class AbsenceIsNoProofTest {
    private static final InFlightWindow WINDOW =
            InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider fake = new FakeMailProvider("example.org");
    private final MutableClock clock = MutableClock.atFixedStart();
    private final Audit audit = new Audit(storage, clock, "cli:test");
    private AccountCreation creation;

    @BeforeEach
    void setUp() {
        storage.insertToken(TestTokens.aToken().withMaxUse(100).build());
        creation = new AccountCreation(
                storage, storage, fake, new FakeSecretGenerator(), clock, InMemoryStorage.exampleSettings(), audit);
    }

    private EmailAddress create() {
        return ((CreateAccountResult.Created) creation.createWithSecret("1d_r84EW3N8hEKk"))
                .account()
                .address();
    }

    private Reconciler reconciler(MailProvider provider) {
        return new Reconciler(
                storage,
                storage,
                provider,
                clock,
                InMemoryStorage.exampleSettings(),
                WINDOW,
                new AccountRemoval(storage, provider, audit),
                audit);
    }

    private Pruner pruner(MailProvider provider) {
        return new Pruner(
                storage,
                storage,
                storage,
                provider,
                new AccountRemoval(storage, provider, audit),
                clock,
                audit,
                InMemoryStorage.exampleSettings(),
                WINDOW);
    }

    /**
     * A provider whose listing is taken, then an account is created (row and mailbox), then the
     * listing returns: what happens when the server creates while reconcile lists.
     */
    private final class CreatesWhileListing extends Delegating {
        EmailAddress createdMeanwhile;

        @Override
        public List<Mailbox> listMailboxes() {
            List<Mailbox> snapshot = fake.listMailboxes();
            createdMeanwhile = create();
            return snapshot;
        }
    }

    @Test
    void reconcileFix_anAccountCreatedWhileMailcowListed_keepsItsRow() {
        clock.advance(
                Duration.ofMinutes(10)); // the new account looks as old as any: the window alone would not save it
        CreatesWhileListing provider = new CreatesWhileListing();
        Reconciler.Report r = reconciler(provider).check(true);
        assertThat(r.withoutMailbox()).isEmpty();
        assertThat(storage.findAccount(provider.createdMeanwhile)).isPresent();
    }

    @Test
    void reconcile_anAccountLeftOutOfTheListing_isLookedUpAndKept() {
        EmailAddress a = create();
        EmailAddress gone = create();
        fake.deleteMailboxes(List.of(gone));
        clock.advance(Duration.ofMinutes(10));
        Reconciler.Report r = reconciler(new Omitting(a)).check(true);
        assertThat(r.withoutMailbox()).extracting(Account::address).containsExactly(gone);
        assertThat(storage.findAccount(a)).isPresent();
        assertThat(storage.findAccount(gone)).isEmpty();
    }

    @Test
    void reconcile_lookupFails_accountKeptAsUnverified() {
        EmailAddress a = create();
        clock.advance(Duration.ofMinutes(10));
        Omitting provider = new Omitting(a);
        provider.failLookups = true;
        Reconciler.Report r = reconciler(provider).check(true);
        assertThat(r.unverified()).extracting(Account::address).containsExactly(a);
        assertThat(r.clean()).isFalse();
        assertThat(storage.findAccount(a)).isPresent();
    }

    @Test
    void reconcile_accountsYoungerThanTheWindow_areNotLookedAt() {
        EmailAddress a = create();
        fake.deleteMailboxes(List.of(a));
        clock.advance(Duration.ofMinutes(4));
        assertThat(reconciler(fake).check(true).withoutMailbox()).isEmpty();
        assertThat(storage.findAccount(a)).isPresent();
    }

    @Test
    void prune_anOverdueAccountLeftOutOfTheListing_isReallyDeleted() {
        EmailAddress a = create();
        clock.advance(Duration.ofDays(2));
        PruneReport r = pruner(new Omitting(a)).prune(false);
        assertThat(r.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(fake.has(a)).as("the mailbox is deleted, not assumed gone").isFalse();
    }

    @Test
    void prune_lookupFails_accountKeptAndReported() {
        EmailAddress a = create();
        clock.advance(Duration.ofDays(2));
        Omitting provider = new Omitting(a);
        provider.failLookups = true;
        PruneReport r = pruner(provider).prune(false);
        assertThat(r.deleted()).isEmpty();
        assertThat(r.failed()).extracting(f -> f.account().address()).containsExactly(a);
        assertThat(r.incomplete()).isTrue();
        assertThat(fake.has(a)).isTrue();
        assertThat(storage.findAccount(a)).isPresent();
    }

    @Test
    void prune_implausibleListing_abortsBeforeAnyChange() {
        for (int i = 0; i < 12; i++) {
            create();
        }
        clock.advance(Duration.ofDays(2));
        Omitting provider = new Omitting();
        provider.emptyListing = true;
        PruneReport r = pruner(provider).prune(false);
        assertThat(r.aborted()).get().asString().contains("lacks 12 of the 12 accounts");
        assertThat(fake.mailboxes()).hasSize(12);
        assertThat(storage.listAccounts()).hasSize(12);
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 100))
                .extracting(e -> e.action() + ": " + e.outcome())
                .anyMatch(l -> l.startsWith("prune.run: aborted: mailcow's mailbox list lacks 12"));
    }

    @Test
    void prune_deletionAnswerLost_goneCountsAsPruned_stillThereIsKept() {
        EmailAddress a = create();
        EmailAddress b = create();
        clock.advance(Duration.ofDays(2));
        Omitting provider = new Omitting();
        provider.loseDeletionAnswerAndKeep = b; // mailcow deleted a, is still busy with b
        PruneReport r = pruner(provider).prune(false);
        assertThat(r.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(r.failed()).extracting(f -> f.account().address()).containsExactly(b);
        assertThat(storage.findAccount(a)).isEmpty();
        assertThat(storage.findAccount(b)).isPresent();
    }

    @Test
    void listing_otherDomainsAreNotMailadms() {
        fake.putMailbox(
                new Mailbox(EmailAddress.parse("tmp.x@other.org"), true, Optional.empty(), List.of("mailadm:oneday")));
        clock.advance(Duration.ofMinutes(10));
        assertThat(reconciler(fake).check(false).untracked()).isEmpty();
        assertThat(new AccountListing(storage, fake, InMemoryStorage.exampleSettings())
                        .list(Optional.empty())
                        .onlyInProvider())
                .isEmpty();
    }

    /** A provider passing everything to the fake. */
    private class Delegating implements MailProvider {
        @Override
        public CreateMailboxResult createMailbox(NewMailbox mailbox) {
            return fake.createMailbox(mailbox);
        }

        @Override
        public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
            return fake.deleteMailboxes(addresses);
        }

        @Override
        public Optional<Mailbox> findMailbox(EmailAddress address) {
            return fake.findMailbox(address);
        }

        @Override
        public boolean setActive(EmailAddress address, boolean active) {
            return fake.setActive(address, active);
        }

        @Override
        public List<Mailbox> listMailboxes() {
            return fake.listMailboxes();
        }

        @Override
        public void checkHealth() {
            fake.checkHealth();
        }
    }

    /** mailcow's odd corners: mailboxes left out of the listing, an empty listing, failing lookups, lost answers. */
    private final class Omitting extends Delegating {
        private final List<EmailAddress> omitted;
        boolean failLookups;
        boolean emptyListing;
        EmailAddress loseDeletionAnswerAndKeep;

        Omitting(EmailAddress... omitted) {
            this.omitted = List.of(omitted);
        }

        @Override
        public List<Mailbox> listMailboxes() {
            return emptyListing
                    ? List.of()
                    : fake.listMailboxes().stream()
                            .filter(m -> !omitted.contains(m.address()))
                            .toList();
        }

        @Override
        public Optional<Mailbox> findMailbox(EmailAddress address) {
            if (failLookups) {
                throw new MailProviderUnavailableException("mailcow did not answer get/mailbox in time", false, null);
            }
            return fake.findMailbox(address);
        }

        @Override
        public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
            if (loseDeletionAnswerAndKeep == null) {
                return fake.deleteMailboxes(addresses);
            }
            fake.deleteMailboxes(addresses.stream()
                    .filter(a -> !a.equals(loseDeletionAnswerAndKeep))
                    .toList());
            return addresses.stream()
                    .map(a -> MailboxDeletion.unknown(a, "mailcow did not answer delete/mailbox in time"))
                    .toList();
        }
    }
}
