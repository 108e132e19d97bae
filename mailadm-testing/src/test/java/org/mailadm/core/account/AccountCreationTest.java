package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.AccountCreation.Where;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

class AccountCreationTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider provider = new FakeMailProvider("example.org");
    private final FakeSecretGenerator random = new FakeSecretGenerator();
    private final MutableClock clock = MutableClock.atFixedStart();
    private AccountCreation creation;

    @BeforeEach
    void setUp() {
        creation = new AccountCreation(
                storage,
                storage,
                provider,
                random,
                clock,
                InMemoryStorage.exampleSettings(),
                new Audit(storage, clock, "test"));
        storage.insertToken(TestTokens.aToken().withMaxUse(3).build());
    }

    private int useCount() {
        return storage.findToken(new TokenName("oneday")).orElseThrow().useCount();
    }

    @Test
    void validSecret_createsMailboxAndActiveAccount() {
        CreateAccountResult r = creation.createWithSecret("1d_r84EW3N8hEKk");
        assertThat(r).isInstanceOf(CreateAccountResult.Created.class);
        CreateAccountResult.Created c = (CreateAccountResult.Created) r;
        assertThat(c.account().address().toString()).matches("tmp\\.[2345789acdefghjkmnpqrstuvwxyz]{5}@example\\.org");
        assertThat(c.account().ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(c.account().createdAt()).isEqualTo(clock.instant());
        provider.assertCreated(c.account().address());
        assertThat(provider.passwordOf(c.account().address()))
                .contains(c.password().value());
        assertThat(provider.findMailbox(c.account().address()).orElseThrow().mailadmToken())
                .contains("oneday");
        assertThat(storage.findAccount(c.account().address()).orElseThrow().state())
                .isEqualTo(AccountState.ACTIVE);
        assertThat(useCount()).isEqualTo(1);
    }

    @Test
    void unknownOrMalformedSecret_tokenNotFound_nothingCalled() {
        assertThat(creation.createWithSecret("nosuch")).isInstanceOf(CreateAccountResult.TokenNotFound.class);
        assertThat(creation.createWithSecret("")).isInstanceOf(CreateAccountResult.TokenNotFound.class);
        assertThat(creation.createWithSecret("\u0000\u00ff binary"))
                .isInstanceOf(CreateAccountResult.TokenNotFound.class);
        assertThat(creation.createWithSecret("x".repeat(100_000)))
                .isInstanceOf(CreateAccountResult.TokenNotFound.class);
        assertThat(provider.calls()).isZero();
    }

    @Test
    void exhaustedToken_refusesWithoutCallingProvider() {
        for (int i = 0; i < 3; i++) {
            assertThat(creation.createWithSecret("1d_r84EW3N8hEKk")).isInstanceOf(CreateAccountResult.Created.class);
        }
        int calls = provider.calls();
        assertThat(creation.createWithSecret("1d_r84EW3N8hEKk")).isInstanceOf(CreateAccountResult.TokenExhausted.class);
        assertThat(provider.calls()).isEqualTo(calls);
        assertThat(useCount()).isEqualTo(3);
    }

    @Test
    void addressTakenAtProvider_drawsAgain() {
        provider.nextCreateAnswers(new CreateMailboxResult.AlreadyExists());
        CreateAccountResult r = creation.createWithSecret("1d_r84EW3N8hEKk");
        assertThat(r).isInstanceOf(CreateAccountResult.Created.class);
        assertThat(useCount()).isEqualTo(1);
        assertThat(storage.listAccounts()).hasSize(1);
    }

    @Test
    void addressTakenInStorage_drawsAgain() {
        // the first two local parts drawn are identical (all zeros), so the second collides in storage
        random.zeros(5);
        creation.createWithSecret("1d_r84EW3N8hEKk");
        random.zeros(5);
        CreateAccountResult r = creation.createWithSecret("1d_r84EW3N8hEKk");
        assertThat(r).isInstanceOf(CreateAccountResult.Created.class);
        assertThat(((CreateAccountResult.Created) r).account().address().localPart())
                .isNotEqualTo("tmp.22222");
        assertThat(useCount()).isEqualTo(2);
    }

    @Test
    void tenCollisions_giveUpWithAddressTaken() {
        storage.insertToken(TestTokens.aToken()
                .named("big")
                .withSecret("big")
                .withMaxUse(100)
                .build());
        for (int i = 0; i < AccountCreation.MAX_ATTEMPTS; i++) {
            provider.nextCreateAnswers(new CreateMailboxResult.AlreadyExists());
        }
        CreateAccountResult r = creation.createWithSecret("big");
        assertThat(r).isInstanceOf(CreateAccountResult.AddressTaken.class);
        assertThat(((CreateAccountResult.AddressTaken) r).where()).isEqualTo(Where.PROVIDER);
        assertThat(storage.findToken(new TokenName("big")).orElseThrow().useCount())
                .isZero();
        assertThat(storage.listAccounts()).isEmpty();
    }

    @Test
    void providerRejects_useGivenBackAndNoRow() {
        provider.nextCreateAnswers(
                new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.PASSWORD_REJECTED, "password_complexity"));
        CreateAccountResult r = creation.createWithSecret("1d_r84EW3N8hEKk");
        assertThat(r).isInstanceOf(CreateAccountResult.ProviderRejected.class);
        var rejected = (CreateAccountResult.ProviderRejected) r;
        assertThat(rejected.reason()).isEqualTo(CreateMailboxResult.Reason.PASSWORD_REJECTED);
        assertThat(rejected.detail()).isEqualTo("password_complexity");
        assertThat(rejected.token().name().value()).isEqualTo("oneday");
        assertThat(useCount()).isZero();
        assertThat(storage.listAccounts()).isEmpty();
    }

    @Test
    void providerDefinitelyFailed_useGivenBack() {
        provider.failNextWith(new MailProviderUnavailableException("connection refused", false, null));
        assertThatThrownBy(() -> creation.createWithSecret("1d_r84EW3N8hEKk"))
                .isInstanceOf(MailProviderUnavailableException.class);
        assertThat(useCount()).isZero();
        assertThat(storage.listAccounts()).isEmpty();
    }

    @Test
    void providerAnswerLost_accountStaysPendingForReconcile() {
        provider.failNextAfterApplying(new MailProviderUnavailableException("timed out", true, null));
        assertThatThrownBy(() -> creation.createWithSecret("1d_r84EW3N8hEKk"))
                .isInstanceOf(MailProviderException.class);
        assertThat(storage.listAccounts(AccountState.PENDING)).hasSize(1);
        assertThat(useCount()).isEqualTo(1);

        EmailAddress address = storage.listAccounts(AccountState.PENDING).get(0).address();
        assertThat(provider.has(address))
                .as("mailcow created it; the answer was lost")
                .isTrue();
        Reconciler reconciler = reconciler();
        assertThat(reconciler.settlePending().total())
                .as("a creation still in flight is left alone")
                .isZero();

        clock.advance(reconciler.window().duration().plusSeconds(1));
        Reconciler.PendingReport report = reconciler.settlePending();
        assertThat(report.discarded()).containsExactly(address);
        assertThat(provider.has(address))
                .as("nobody received its credentials: the mailbox does not live on")
                .isFalse();
        assertThat(storage.listAccounts()).isEmpty();
        assertThat(useCount()).as("the use is given back").isZero();
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 10))
                .extracting(e -> e.actor() + " " + e.action())
                .contains("reconcile account.discarded");
    }

    @Test
    void adminChosePassword_answerLost_reconcileKeepsTheAccount() {
        provider.failNextAfterApplying(new MailProviderUnavailableException("timed out", true, null));
        EmailAddress address = EmailAddress.parse("tmp.known@example.org");
        assertThatThrownBy(() -> creation.createForAdmin(
                        address,
                        Optional.of(new TokenName("oneday")),
                        Optional.of(new Password("FixturePassword1")),
                        false))
                .isInstanceOf(MailProviderException.class);
        Reconciler reconciler = reconciler();
        clock.advance(reconciler.window().duration().plusSeconds(1));
        assertThat(reconciler.settlePending().confirmed()).containsExactly(address);
        assertThat(storage.findAccount(address).orElseThrow().state()).isEqualTo(AccountState.ACTIVE);
        assertThat(provider.passwordOf(address)).contains("FixturePassword1");
        assertThat(useCount()).isEqualTo(1);
    }

    @Test
    void pendingWithAMailboxNotTaggedForItsToken_rowReleasedMailboxLeftAlone() {
        EmailAddress address = EmailAddress.parse("tmp.theirs@example.org");
        storage.reserveAccount(new Storage.TokenKey.ByName(new TokenName("oneday")), address, clock.instant());
        provider.putMailbox(new org.mailadm.core.port.Mailbox(address, true, Optional.empty(), List.of("private")));
        Reconciler reconciler = reconciler();
        clock.advance(reconciler.window().duration().plusSeconds(1));
        assertThat(reconciler.settlePending().released()).containsExactly(address);
        assertThat(provider.has(address))
                .as("not mailadm's mailbox: never deleted")
                .isTrue();
        assertThat(storage.findAccount(address)).isEmpty();
        assertThat(useCount()).isZero();
    }

    private Reconciler reconciler() {
        Audit audit = new Audit(storage, clock, "test");
        return new Reconciler(
                storage,
                storage,
                provider,
                clock,
                InMemoryStorage.exampleSettings(),
                InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15)),
                new AccountRemoval(storage, provider, audit),
                audit);
    }

    @Test
    void admin_givenAddressAndToken_created() {
        CreateAccountResult r = creation.createForAdmin(
                EmailAddress.parse("tmp.fix01@example.org"),
                Optional.of(new TokenName("oneday")),
                Optional.of(new Password("FixturePassword1")),
                false);
        assertThat(r).isInstanceOf(CreateAccountResult.Created.class);
        assertThat(provider.passwordOf(EmailAddress.parse("tmp.fix01@example.org")))
                .contains("FixturePassword1");
        assertThat(useCount()).isEqualTo(1);
    }

    @Test
    void admin_withoutToken_longestMatchingPrefixWins() {
        storage.insertToken(TestTokens.aToken()
                .named("short")
                .withSecret("s1")
                .withPrefix("tm")
                .build());
        storage.insertToken(TestTokens.aToken()
                .named("empty")
                .withSecret("s2")
                .withPrefix("")
                .build());
        CreateAccountResult r = creation.createForAdmin(
                EmailAddress.parse("tmp.abc@example.org"), Optional.empty(), Optional.empty(), false);
        assertThat(((CreateAccountResult.Created) r).token().name().value()).isEqualTo("oneday");
        CreateAccountResult other = creation.createForAdmin(
                EmailAddress.parse("zzz@example.org"), Optional.empty(), Optional.empty(), false);
        assertThat(((CreateAccountResult.Created) other).token().name().value()).isEqualTo("empty");
    }

    @Test
    void admin_noMatchingPrefix_refused() {
        CreateAccountResult r = creation.createForAdmin(
                EmailAddress.parse("zzz@example.org"), Optional.empty(), Optional.empty(), false);
        assertThat(r).isInstanceOf(CreateAccountResult.NoMatchingToken.class);
    }

    @Test
    void admin_foreignDomain_refusedBeforeAnyProviderCall() {
        CreateAccountResult r =
                creation.createForAdmin(EmailAddress.parse("bad@other.org"), Optional.empty(), Optional.empty(), false);
        assertThat(r)
                .isEqualTo(new CreateAccountResult.ForeignDomain(EmailAddress.parse("bad@other.org"), "example.org"));
        assertThat(provider.calls()).isZero();
    }

    @Test
    void admin_dryRun_changesNothing() {
        CreateAccountResult r = creation.createForAdmin(
                EmailAddress.parse("tmp.fix06@example.org"), Optional.empty(), Optional.of(new Password("x")), true);
        assertThat(r).isInstanceOf(CreateAccountResult.WouldCreate.class);
        assertThat(provider.calls()).isZero();
        assertThat(storage.listAccounts()).isEmpty();
        assertThat(useCount()).isZero();
    }

    @Test
    void admin_existingAddress_addressTakenInStorage() {
        EmailAddress a = EmailAddress.parse("tmp.fix01@example.org");
        creation.createForAdmin(a, Optional.empty(), Optional.empty(), false);
        CreateAccountResult r = creation.createForAdmin(a, Optional.empty(), Optional.empty(), false);
        assertThat(r).isEqualTo(new CreateAccountResult.AddressTaken(a, Where.STORAGE));
        assertThat(useCount()).isEqualTo(1);
    }

    @Test
    void admin_existingMailboxAtProvider_addressTakenAtProvider() {
        provider.nextCreateAnswers(new CreateMailboxResult.AlreadyExists());
        EmailAddress a = EmailAddress.parse("tmp.fix01@example.org");
        CreateAccountResult r = creation.createForAdmin(a, Optional.empty(), Optional.empty(), false);
        assertThat(r).isEqualTo(new CreateAccountResult.AddressTaken(a, Where.PROVIDER));
        assertThat(useCount()).isZero();
        assertThat(storage.listAccounts()).isEmpty();
    }
}
