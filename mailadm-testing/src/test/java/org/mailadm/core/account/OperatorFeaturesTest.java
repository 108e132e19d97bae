package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.AccountRestore.RestoreResult;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenAdmin.RotateTokenResult;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

/** The use cases of issue 7: validity window, quota, rotation, grace period, restore, reconcile, audit. */
class OperatorFeaturesTest {
    private static final String SECRET = "1d_r84EW3N8hEKk";
    private static final InFlightWindow WINDOW =
            InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider provider = new FakeMailProvider("example.org");
    private final MutableClock clock = MutableClock.atFixedStart();
    private final Audit audit = new Audit(storage, clock, "cli:test");
    private final AccountRemoval removal = new AccountRemoval(storage, provider, audit);
    private final AccountCreation creation = new AccountCreation(
            storage, storage, provider, new FakeSecretGenerator(), clock, InMemoryStorage.exampleSettings(), audit);
    private final TokenAdmin admin = new TokenAdmin(storage, storage, removal, new FakeSecretGenerator(), audit);
    private final Pruner pruner = new Pruner(
            storage, storage, storage, provider, removal, clock, audit, InMemoryStorage.exampleSettings(), WINDOW);
    private final AccountRestore restore = new AccountRestore(storage, provider, clock, audit);
    private final Reconciler reconciler = new Reconciler(
            storage, storage, provider, clock, InMemoryStorage.exampleSettings(), WINDOW, removal, audit);
    private final TokenName oneday = new TokenName("oneday");

    private void token(TokenPolicy policy) {
        storage.insertToken(TestTokens.aToken().withPolicy(policy).build());
    }

    private EmailAddress create() {
        return ((CreateAccountResult.Created) creation.createWithSecret(SECRET, "web:203.0.113.5"))
                .account()
                .address();
    }

    private List<String> auditLines() {
        return storage.audit(Optional.empty(), Optional.empty(), 1000).stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.object() + " " + e.outcome())
                .toList();
    }

    @Test
    void outsideTheWindow_refusedWithoutAUseOrAMailbox() {
        Instant now = clock.instant();
        token(TokenPolicy.NONE.withValidFrom(Optional.of(now.plusSeconds(3600))));
        CreateAccountResult early = creation.createWithSecret(SECRET);
        assertThat(early).isInstanceOf(CreateAccountResult.TokenNotValid.class);
        assertThat(((CreateAccountResult.TokenNotValid) early).validity()).isEqualTo(TokenPolicy.Validity.NOT_YET);
        clock.advance(Duration.ofHours(2));
        assertThat(creation.createWithSecret(SECRET)).isInstanceOf(CreateAccountResult.Created.class);

        admin.modify(
                oneday,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                p -> p.withValidUntil(Optional.of(clock.instant().plusSeconds(60))));
        clock.advance(Duration.ofMinutes(2));
        CreateAccountResult late = creation.createWithSecret(SECRET);
        assertThat(((CreateAccountResult.TokenNotValid) late).validity()).isEqualTo(TokenPolicy.Validity.ENDED);
        assertThat(storage.findToken(oneday).orElseThrow().useCount()).isEqualTo(1);
        assertThat(provider.mailboxes()).hasSize(1);
    }

    @Test
    void quota_isPassedToTheProvider() {
        token(TokenPolicy.NONE.withQuotaMiB(500));
        EmailAddress a = create();
        assertThat(provider.quotaOf(a)).contains(500L);
    }

    @Test
    void rotate_oldSecretStopsWorking_countAndAccountsStay() {
        token(TokenPolicy.NONE);
        EmailAddress a = create();
        RotateTokenResult r = admin.rotate(oneday);
        String fresh = ((RotateTokenResult.Rotated) r).token().secret().value();
        assertThat(fresh).startsWith("1d_").isNotEqualTo(SECRET);
        assertThat(creation.createWithSecret(SECRET)).isInstanceOf(CreateAccountResult.TokenNotFound.class);
        assertThat(creation.createWithSecret(fresh)).isInstanceOf(CreateAccountResult.Created.class);
        assertThat(storage.findToken(oneday).orElseThrow().useCount()).isEqualTo(2);
        assertThat(storage.findAccount(a)).isPresent();
        assertThat(admin.rotate(new TokenName("nosuch"))).isInstanceOf(RotateTokenResult.NotFound.class);
        assertThat(auditLines()).contains("cli:test token.rotated oneday ok");
        assertThat(auditLines()).noneMatch(l -> l.contains(fresh) || l.contains(SECRET));
    }

    @Test
    void grace_disablesFirst_deletesAfterTheGracePeriod() {
        token(TokenPolicy.NONE.withGrace(Optional.of(Expiry.parse("7d"))));
        EmailAddress a = create();
        clock.advance(Duration.ofDays(1).plusSeconds(1));

        PruneReport first = pruner.prune(false);
        assertThat(first.disabled()).extracting(Account::address).containsExactly(a);
        assertThat(first.deleted()).isEmpty();
        assertThat(provider.findMailbox(a).map(Mailbox::active)).contains(false);
        assertThat(storage.findAccount(a).orElseThrow().isDisabled()).isTrue();

        clock.advance(Duration.ofDays(6));
        PruneReport waiting = pruner.prune(false);
        assertThat(waiting.inGrace()).extracting(Account::address).containsExactly(a);
        assertThat(provider.has(a)).isTrue();

        clock.advance(Duration.ofDays(1));
        PruneReport last = pruner.prune(false);
        assertThat(last.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(provider.has(a)).isFalse();
        assertThat(storage.findAccount(a)).isEmpty();
        assertThat(auditLines())
                .contains("cli:test account.disabled " + a + " ok", "cli:test account.pruned " + a + " ok");
    }

    @Test
    void dryRun_reportsWhatWouldBeDisabled_changesNothing() {
        token(TokenPolicy.NONE.withGrace(Optional.of(Expiry.parse("7d"))));
        EmailAddress a = create();
        clock.advance(Duration.ofDays(2));
        assertThat(pruner.prune(true).disabled()).extracting(Account::address).containsExactly(a);
        assertThat(provider.findMailbox(a).map(Mailbox::active)).contains(true);
        assertThat(storage.findAccount(a).orElseThrow().isDisabled()).isFalse();
    }

    @Test
    void restore_reactivatesWithAFreshLifetime() {
        token(TokenPolicy.NONE.withGrace(Optional.of(Expiry.parse("7d"))));
        EmailAddress a = create();
        assertThat(restore.restore(a)).isInstanceOf(RestoreResult.NotDisabled.class);
        clock.advance(Duration.ofDays(2));
        pruner.prune(false);
        clock.advance(Duration.ofDays(3));

        RestoreResult r = restore.restore(a);
        assertThat(r).isInstanceOf(RestoreResult.Restored.class);
        assertThat(provider.findMailbox(a).map(Mailbox::active)).contains(true);
        Account back = storage.findAccount(a).orElseThrow();
        assertThat(back.isDisabled()).isFalse();
        assertThat(back.createdAt())
                .isEqualTo(Instant.ofEpochSecond(clock.instant().getEpochSecond()));
        assertThat(pruner.prune(false).nothingToDo()).as("a fresh day to live").isTrue();
        assertThat(restore.restore(EmailAddress.parse("tmp.nobody@example.org")))
                .isInstanceOf(RestoreResult.NotFound.class);
    }

    @Test
    void restore_ofAMailboxThatIsGone_changesNothing() {
        token(TokenPolicy.NONE.withGrace(Optional.of(Expiry.parse("7d"))));
        EmailAddress a = create();
        clock.advance(Duration.ofDays(2));
        pruner.prune(false);
        provider.deleteMailboxes(List.of(a));
        assertThat(restore.restore(a)).isInstanceOf(RestoreResult.MailboxGone.class);
        assertThat(storage.findAccount(a).orElseThrow().isDisabled()).isTrue();
    }

    @Test
    void reconcile_findsEveryKind_fixRepairsOnlyWhatIsSafe() {
        token(TokenPolicy.NONE);
        EmailAddress gone = create();
        EmailAddress failing = create();
        EmailAddress fine = create();
        provider.deleteMailboxes(List.of(gone));
        Mailbox foreign = new Mailbox(
                EmailAddress.parse("tmp.orphan@example.org"), true, Optional.empty(), List.of("mailadm:oneday"));
        provider.putMailbox(foreign);
        provider.putMailbox(new Mailbox(EmailAddress.parse("boss@example.org"), true, Optional.empty(), List.of()));
        storage.recordAudit(List.of(new AuditEvent(
                clock.instant(),
                "cli:x",
                org.mailadm.core.audit.AuditAction.ACCOUNT_PRUNED,
                failing.toString(),
                Optional.of(oneday),
                org.mailadm.core.audit.AuditOutcome.failed("access_denied"))));
        storage.reserveAccount(
                new org.mailadm.core.port.Storage.TokenKey.ByName(oneday),
                EmailAddress.parse("tmp.pending@example.org"),
                clock.instant());
        clock.advance(Duration.ofMinutes(10));

        Reconciler.Report look = reconciler.check(false);
        assertThat(look.withoutMailbox()).extracting(Account::address).containsExactly(gone);
        assertThat(look.untracked()).containsExactly(foreign);
        assertThat(look.failedDeletions()).extracting(Account::address).containsExactly(failing);
        assertThat(look.pending())
                .extracting(p -> p.account().address().toString())
                .containsExactly("tmp.pending@example.org");
        assertThat(storage.findAccount(gone)).as("a look changes nothing").isPresent();

        Reconciler.Report fixed = reconciler.check(true);
        assertThat(fixed.settled().released()).extracting(Object::toString).containsExactly("tmp.pending@example.org");
        assertThat(storage.findAccount(gone)).isEmpty();
        assertThat(storage.findAccount(failing)).isEmpty();
        assertThat(provider.has(failing)).isFalse();
        assertThat(provider.has(foreign.address()))
                .as("untracked mailboxes may hold mail: left")
                .isTrue();
        assertThat(storage.findAccount(fine)).isPresent();
        assertThat(reconciler.check(false).clean()).isFalse(); // the untracked one stays
        assertThat(reconciler.check(false).untracked()).containsExactly(foreign);
    }

    @Test
    void audit_recordsTokenAndAccountChangesWithTheirActors() {
        admin.add(oneday, Expiry.parse("1d"), "tmp.", 5, Optional.of(new org.mailadm.core.token.TokenSecret(SECRET)));
        EmailAddress a = create();
        removal.delete(a);
        admin.delete(oneday, false);
        assertThat(auditLines())
                .containsExactly(
                        "cli:test token.added oneday ok",
                        "web:203.0.113.5 account.created " + a + " ok",
                        "cli:test account.deleted " + a + " ok",
                        "cli:test token.deleted oneday ok");
    }
}
