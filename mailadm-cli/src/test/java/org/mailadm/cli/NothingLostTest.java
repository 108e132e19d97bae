package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.Fixtures;

/**
 * Issue 11 through the real command line, a real SQLite file and the fake mailcow over HTTP: no row
 * dropped on a listing's silence, no account that nobody can use, a database file that is whole.
 */
class NothingLostTest {
    private static final Duration PAST_THE_WINDOW = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir).initialized();
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk", "--maxuse", "200");
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private String created(String out) {
        return out.substring("Created ".length(), out.indexOf(" with password"));
    }

    private String audit() {
        return cli.ok("audit", "--limit", "1000");
    }

    private static JsonNode json(String out) throws Exception {
        return new ObjectMapper().readTree(out);
    }

    // ---- 1. absence in a listing is not proof

    @Test
    void prune_mailboxLeftOutOfTheListing_isReallyDeleted() {
        String a = created(cli.ok("add-user", "tmp.left@example.org"));
        cli.mailcow.omitFromListing(a); // mailcow skips a mailbox whose details fail to load
        cli.clock.advance(Duration.ofDays(2));
        assertThat(cli.ok("prune")).contains("pruned " + a);
        assertThat(cli.mailcow.hasMailbox(a))
                .as("delete/mailbox was sent, not assumed")
                .isFalse();
        assertThat(cli.mailcow.requests("delete/mailbox")).isEqualTo(1);
    }

    @Test
    void prune_emptyListingOfAFewAccounts_eachLookedUpAndDeleted() {
        String a = created(cli.ok("add-user", "tmp.one@example.org"));
        String b = created(cli.ok("add-user", "tmp.two@example.org"));
        cli.mailcow.setListingAnswersEmpty(true); // {} although the domain has mailboxes
        cli.clock.advance(Duration.ofDays(2));
        assertThat(cli.ok("prune")).contains("pruned " + a).contains("pruned " + b);
        assertThat(cli.mailcow.usernames()).isEmpty();
    }

    @Test
    void prune_emptyListingOfManyLiveAccounts_abortsDeletingNothing_andAuditsIt() {
        for (int i = 0; i < 12; i++) {
            cli.ok("add-user", "tmp.m" + i + "@example.org");
        }
        cli.mailcow.setListingAnswersEmpty(true);
        cli.clock.advance(Duration.ofDays(2));
        CliHarness.Result r = cli.run("prune");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("before deleting anything").contains("lacks 12 of the 12 accounts");
        assertThat(cli.mailcow.usernames()).hasSize(12);
        assertThat(cli.mailcow.requests("delete/mailbox")).isZero();
        assertThat(cli.ok("list-users")).contains("tmp.m0@example.org");
        assertThat(audit()).contains("prune.run").contains("aborted: mailcow's mailbox list lacks 12");
    }

    @Test
    void reconcile_fix_neverForgetsALiveMailboxMissingFromTheListing() throws Exception {
        String a = created(cli.ok("add-user", "tmp.live@example.org"));
        String gone = created(cli.ok("add-user", "tmp.gone@example.org"));
        cli.mailcow.omitFromListing(a);
        cli.mailcow.removeMailbox(gone);
        cli.clock.advance(PAST_THE_WINDOW);
        JsonNode r = json(cli.run("reconcile", "--fix", "--json").out());
        assertThat(r.get("without_mailbox"))
                .extracting(n -> n.get("address").asText())
                .containsExactly(gone);
        assertThat(cli.ok("list-users")).contains(a).doesNotContain(gone);
        assertThat(audit()).contains("account.forgotten " + gone).doesNotContain("account.forgotten " + a);
    }

    @Test
    void reconcile_emptyListing_isReportedAndForgetsNothing() {
        for (int i = 0; i < 12; i++) {
            cli.ok("add-user", "tmp.m" + i + "@example.org");
        }
        cli.mailcow.setListingAnswersEmpty(true);
        cli.clock.advance(PAST_THE_WINDOW);
        CliHarness.Result r = cli.run("reconcile", "--fix");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("warning: mailcow's mailbox list lacks 12 of the 12 accounts");
        assertThat(r.out()).doesNotContain("agree");
        assertThat(cli.ok("list-users").lines().filter(l -> l.startsWith("tmp.m")))
                .hasSize(12);
        assertThat(audit()).doesNotContain("account.forgotten");
    }

    @Test
    void sharedMailcow_otherDomainsMailadmMailboxesAreNotDrift() {
        cli.mailcow.addDomain("other.org", Integer.MAX_VALUE, 0, 0, 0);
        CliHarness other = new CliHarness(dir.resolve("other"));
        try {
            Files.createDirectories(dir.resolve("other"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // a second mailadm for other.org on the same mailcow, and one mailadm mailbox of example.org there
        other.ok(
                "init",
                "--web-endpoint",
                "https://mailadm.other.org/new_email",
                "--mail-domain",
                "other.org",
                "--mailcow-endpoint",
                cli.mailcow.endpoint().toString(),
                "--mailcow-token",
                FakeMailcowServer.RW_KEY);
        created(cli.ok("add-user", "tmp.ours@example.org"));
        other.ok("add-token", "o", "--prefix", "o.");
        other.ok("add-user", "o.x@other.org");
        other.clock.advance(PAST_THE_WINDOW);
        CliHarness.Result r = other.run("reconcile");
        assertThat(r.out()).doesNotContain("example.org").contains("mailadm and mailcow agree");
        assertThat(r.code()).isZero();
        assertThat(other.ok("list-users")).doesNotContain("example.org");
        other.mailcow.close();
    }

    @Test
    void everyPruneRun_isInTheAuditLog_alsoWhenNothingIsDue() {
        cli.ok("add-user", "tmp.young@example.org");
        assertThat(cli.ok("prune")).contains("nothing to prune");
        assertThat(cli.ok("prune", "--dryrun")).contains("nothing to prune");
        assertThat(audit().lines().filter(l -> l.contains("prune.run: ok: deleted 0, failed 0")))
                .as("one line for the run, none for the dry run")
                .hasSize(1);
    }

    // ---- 2. a mailbox whose credentials nobody received does not live on

    @Test
    void dangerButCreated_pendingReportedWithItsAge_thenDiscardedAndItsUseGivenBack() throws Exception {
        cli.mailcow.setDangerButCreated("password_complexity", false);
        CliHarness.Result add = cli.run("add-user", "tmp.limbo@example.org");
        assertThat(add.code()).isEqualTo(1);
        assertThat(add.out()).doesNotContain("password");
        cli.mailcow.setDangerButCreated(null, false);
        assertThat(cli.mailcow.hasMailbox("tmp.limbo@example.org")).isTrue();

        cli.clock.advance(Duration.ofSeconds(30));
        CliHarness.Result look = cli.run("reconcile");
        assertThat(look.out())
                .contains("pending tmp.limbo@example.org [oneday], 30 s old: a creation in flight")
                .doesNotContain("agree");

        cli.clock.advance(PAST_THE_WINDOW);
        look = cli.run("reconcile");
        assertThat(look.code()).isEqualTo(1);
        assertThat(look.out())
                .contains("pending tmp.limbo@example.org [oneday], 6 min old: its creation was interrupted");

        JsonNode fixed = json(cli.run("reconcile", "--fix", "--json").out());
        assertThat(fixed.get("pending_discarded"))
                .extracting(JsonNode::asText)
                .containsExactly("tmp.limbo@example.org");
        assertThat(cli.mailcow.hasMailbox("tmp.limbo@example.org")).isFalse();
        assertThat(cli.ok("list-tokens")).contains("usecount = 0");
        assertThat(audit()).contains("reconcile account.discarded tmp.limbo@example.org");
        assertThat(cli.ok("reconcile")).contains("mailadm and mailcow agree");
    }

    @Test
    void adminChosePassword_dangerButCreated_reconcileKeepsIt() {
        cli.mailcow.setDangerButCreated("password_complexity", true);
        assertThat(cli.run("add-user", "tmp.known@example.org", "--password", "Known-Pw-1234567890")
                        .code())
                .isEqualTo(1);
        cli.mailcow.setDangerButCreated(null, false);
        cli.clock.advance(PAST_THE_WINDOW);
        assertThat(cli.ok("reconcile", "--fix")).contains("the admin chose its password; now active");
        assertThat(cli.mailcow.passwordOf("tmp.known@example.org")).isEqualTo("Known-Pw-1234567890");
        assertThat(cli.ok("list-users")).contains("tmp.known@example.org [oneday]");
        assertThat(audit()).contains("reconcile account.confirmed tmp.known@example.org");
    }

    // ---- unknown outcomes of slow deletions are verified, not assumed

    @Test
    void slowMailcow_prunesEveryDueAccountWithinItsPace() {
        for (int i = 0; i < 12; i++) {
            cli.ok("add-user", "tmp.s" + i + "@example.org");
        }
        cli.env.put("MAILCOW_TIMEOUT", "1");
        cli.mailcow.setDeleteLatencyPerMailbox(Duration.ofMillis(300)); // 12 in one call would take 3.6 s
        cli.clock.advance(Duration.ofDays(2));
        CliHarness.Result r = cli.run("prune");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("pruned tmp.s"))).hasSize(12);
        assertThat(cli.mailcow.usernames()).isEmpty();
        assertThat(audit()).contains("prune.run: ok: deleted 12, failed 0");
    }

    @Test
    void deletionTimesOut_whatIsGoneCountsAsPruned_theRestIsRetried() throws Exception {
        String a = created(cli.ok("add-user", "tmp.slow@example.org"));
        cli.env.put("MAILCOW_TIMEOUT", "1");
        cli.mailcow.setDeleteLatencyPerMailbox(Duration.ofMillis(1800)); // beyond the call's timeout
        cli.clock.advance(Duration.ofDays(2));
        CliHarness.Result first = cli.run("prune");
        assertThat(first.code()).isEqualTo(1);
        assertThat(first.err()).contains("not pruned " + a).contains("still exists");
        assertThat(audit())
                .contains("account.pruned " + a + " [oneday]: failed")
                .contains("prune.run: ok: deleted 0, failed 1");

        assertThat(cli.mailcow.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(cli.mailcow.hasMailbox(a))
                .as("mailcow finished after the client gave up")
                .isFalse();
        cli.mailcow.setDeleteLatencyPerMailbox(Duration.ZERO);
        assertThat(cli.ok("prune")).contains("pruned " + a);
        assertThat(cli.ok("list-users")).doesNotContain(a);
    }

    // ---- 3. the database file on its own is complete

    @Test
    void afterEveryCommand_theFileAloneHoldsEverything() throws Exception {
        for (int i = 0; i < 7; i++) {
            cli.ok("add-user", "tmp.f" + i + "@example.org");
        }
        Path wal = Path.of(cli.db + "-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).isTrue();
        Path copy = dir.resolve("copy.db");
        Files.copy(cli.db, copy);
        assertThat(count(copy, "SELECT count(*) FROM users")).isEqualTo(7);
    }

    @Test
    void backup_writesAPrivateConsistentCopy_andRefusesToOverwrite() throws Exception {
        cli.ok("add-user", "tmp.b@example.org");
        Path target = dir.resolve("mailadm-backup.db");
        assertThat(cli.ok("backup", target.toString()))
                .contains("wrote a consistent copy")
                .contains("mode 0600");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        assertThat(count(target, "SELECT count(*) FROM users")).isEqualTo(1);
        assertThat(cli.fail(1, "backup", target.toString())).contains("exists already");
        assertThat(cli.fail(2, "backup")).contains("FILE");
        assertThat(cli.fail(2, "backup", "")).contains("FILE is empty");
    }

    @Test
    void migrationOfAnOriginalsDatabase_isSaidInOneLine_backupPrivate() throws Exception {
        Path old = Fixtures.copy(Fixtures.MAILADM_1_0, Files.createDirectories(dir.resolve("old")));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        cli.env.put("MAILADM_DB", old.toString());
        CliHarness.Result r = cli.run("config");
        assertThat(r.code()).isZero();
        assertThat(r.err().lines())
                .singleElement()
                .asString()
                .startsWith(
                        "mailadm: migrated the database " + old + " from version 1 to 4; a copy from before is at ");
        Path backup = Path.of(r.err().substring(r.err().indexOf(" is at ") + 7).strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-------");
        assertThat(cli.run("config").err()).as("said once, when it happens").isEmpty();
    }

    // ---- 4. bad answers get the right class of error

    @Test
    void quotaAboveMailcowsMaximum_isAConfigurationErrorNamingTheFix() {
        cli.mailcow.addDomain("example.org", Integer.MAX_VALUE, 0, 100, 0);
        cli.ok("mod-token", "oneday", "--quota", "500M");
        String err = cli.fail(1, "add-user", "tmp.big@example.org");
        assertThat(err)
                .contains("asks for 500 MiB per mailbox, more than mailcow allows")
                .contains("at most 100 MiB")
                .contains("mailadm mod-token oneday --quota");
        assertThat(cli.ok("list-tokens")).contains("usecount = 0");
    }

    @Test
    void databaseLockedByAnotherProcess_saysWhichProcessesToLookAt() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cli.db);
                var s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE tokens SET maxuse = maxuse");
            String err = cli.fail(1, "add-token", "second");
            assertThat(err)
                    .contains("locked by another process")
                    .contains("mailadm-server")
                    .contains("fuser")
                    .doesNotContain("SQLITE_BUSY")
                    .doesNotContain("Exception");
            s.execute("ROLLBACK");
        }
    }

    private static int count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.getInt(1);
        }
    }
}
