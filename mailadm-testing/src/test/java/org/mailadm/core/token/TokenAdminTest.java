package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.token.TokenAdmin.AddTokenResult;
import org.mailadm.core.token.TokenAdmin.DeleteTokenResult;
import org.mailadm.core.token.TokenAdmin.ModifyTokenResult;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;

class TokenAdminTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider provider = new FakeMailProvider("example.org");
    private final FakeSecretGenerator random = new FakeSecretGenerator();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final Audit audit = new Audit(storage, clock, "cli:test");
    private final TokenAdmin admin =
            new TokenAdmin(storage, storage, new AccountRemoval(storage, provider, audit), random, audit);
    private final AccountCreation creation =
            new AccountCreation(storage, storage, provider, random, clock, InMemoryStorage.exampleSettings(), audit);
    private final TokenName oneday = new TokenName("oneday");

    private Token add() {
        AddTokenResult r = admin.add(oneday, Expiry.parse("1d"), "tmp.", 50, Optional.empty());
        return ((AddTokenResult.Added) r).token();
    }

    @Test
    void add_generatesSecretFromExpiry() {
        Token t = add();
        assertThat(t.secret().value()).matches("1d_[2345789acdefghjkmnpqrstuvwxyz]{15}");
        assertThat(t.useCount()).isZero();
        assertThat(admin.list()).containsExactly(t);
    }

    @Test
    void add_duplicateName_refused() {
        add();
        assertThat(admin.add(oneday, Expiry.parse("1w"), "x.", 5, Optional.empty()))
                .isEqualTo(new AddTokenResult.NameTaken(oneday));
    }

    @Test
    void add_duplicateSecret_refused() {
        admin.add(oneday, Expiry.parse("1d"), "", 5, Optional.of(new TokenSecret("same")));
        assertThat(admin.add(new TokenName("b"), Expiry.parse("1d"), "", 5, Optional.of(new TokenSecret("same"))))
                .isInstanceOf(AddTokenResult.SecretTaken.class);
    }

    @Test
    void modify_changesOnlyGivenFields_neverUseCount() {
        Token t = add();
        creation.createWithSecret(t.secret().value());
        creation.createWithSecret(t.secret().value());
        ModifyTokenResult r = admin.modify(oneday, Optional.empty(), Optional.empty(), Optional.of(20));
        Token m = ((ModifyTokenResult.Modified) r).token();
        assertThat(m.maxUse()).isEqualTo(20);
        assertThat(m.useCount()).isEqualTo(2);
        assertThat(m.prefix()).isEqualTo("tmp.");
        assertThat(m.expiry().code()).isEqualTo("1d");
        assertThat(m.secret()).isEqualTo(t.secret());
    }

    @Test
    void modify_unknown_notFound() {
        assertThat(admin.modify(oneday, Optional.empty(), Optional.of("x."), Optional.empty()))
                .isEqualTo(new ModifyTokenResult.NotFound(oneday));
    }

    @Test
    void delete_withAccounts_refusedUnlessForced() {
        Token t = add();
        creation.createWithSecret(t.secret().value());
        DeleteTokenResult refused = admin.delete(oneday, false);
        assertThat(refused)
                .isEqualTo(new DeleteTokenResult.HasAccounts(admin.find(oneday).orElseThrow(), 1));
        assertThat(provider.mailboxes()).hasSize(1);

        DeleteTokenResult forced = admin.delete(oneday, true);
        assertThat(forced).isInstanceOf(DeleteTokenResult.Deleted.class);
        assertThat(((DeleteTokenResult.Deleted) forced).accountsDeleted()).isEqualTo(1);
        assertThat(provider.mailboxes()).isEmpty();
        assertThat(storage.listAccounts()).isEmpty();
        assertThat(admin.list()).isEmpty();
    }

    @Test
    void delete_unknown_notFound() {
        assertThat(admin.delete(oneday, false)).isEqualTo(new DeleteTokenResult.NotFound(oneday));
    }
}
