package org.mailadm.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.port.AccountStore.Reservation;
import org.mailadm.core.port.AccountStore.TokenKey;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.port.TokenStore.TokenInsert;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;
import org.mailadm.testing.Fixtures;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

class LegacyDatabaseTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atFixedStart();

    /** The first column of the first row, read straight from the file. */
    static String query(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void pythonDatabase_opensWithTokensUseCountsAndUsers() {
        SqliteStorage storage = SqliteStorage.open(Fixtures.copy(Fixtures.MAILADM_1_0, dir), clock);
        assertThat(storage.listTokens())
                .extracting(t ->
                        t.name().value() + ":" + t.expiry() + ":" + t.prefix() + ":" + t.useCount() + "/" + t.maxUse())
                .containsExactly(
                        "forever:never::2/3",
                        "oneday:1d:tmp.:2/50",
                        "oneweek:1w:tmpw.:0/20",
                        "pytest:web:30d:web.:0/50");
        assertThat(storage.findToken(new TokenSecret("1d_r84EW3N8hEKk"))
                        .map(t -> t.name().value()))
                .contains("oneday");
        assertThat(storage.listAccounts())
                .extracting(a -> a.address() + " [" + a.token() + "]")
                .containsExactly(
                        "plainname@example.org [forever]",
                        "tmp.fix01@example.org [oneday]",
                        "tmpw.fix02@example.org [oneweek]",
                        "tmpw.fix03@example.org [oneweek]");
        assertThat(storage.listAccounts()).allMatch(a -> a.state() == AccountState.ACTIVE);
        Account forever =
                storage.findAccount(EmailAddress.parse("plainname@example.org")).orElseThrow();
        assertThat(forever.ttl()).isEqualTo(Account.FOREVER);
        assertThat(forever.expiresAt()).isEmpty();
        Account week = storage.findAccount(EmailAddress.parse("tmpw.fix02@example.org"))
                .orElseThrow();
        assertThat(week.createdAt()).isEqualTo(Instant.ofEpochSecond(1795667682L));
        assertThat(week.ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(storage.settings().orElseThrow().mailcowEndpoint().toString())
                .isEqualTo("http://127.0.0.1:18655/api/v1/");
    }

    @Test
    void pythonDatabase_migratedToLatestWithBackup() throws Exception {
        Path db = Fixtures.copy(Fixtures.MAILADM_1_0, dir);
        byte[] original = Files.readAllBytes(db);
        SqliteStorage storage = SqliteStorage.open(db, clock);
        assertThat(query(db, "SELECT value FROM config WHERE name = 'dbversion'"))
                .isEqualTo("4");
        Path backup = storage.migrationBackup().orElseThrow();
        assertThat(backup.getFileName().toString()).isEqualTo("mailadm.db.v1-20261126T000000Z.bak");
        assertThat(query(backup, "SELECT value FROM config WHERE name = 'dbversion'"))
                .isEqualTo("1");
        assertThat(query(backup, "SELECT count(*) FROM users")).isEqualTo("4");
        assertThat(original).isNotEmpty();
        // opening again migrates nothing and writes no second backup
        assertThat(SqliteStorage.open(db, clock).migrationBackup()).isEmpty();
    }

    @Test
    void pythonDatabase_gainsTheNewTokenSettingsAndAuditLog() {
        SqliteStorage storage = SqliteStorage.open(Fixtures.copy(Fixtures.MAILADM_1_0, dir), clock);
        assertThat(storage.listTokens()).allMatch(t -> t.policy().equals(TokenPolicy.NONE));
        assertThat(storage.listAccounts()).noneMatch(Account::isDisabled);
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 10)).isEmpty();
        storage.updateToken(
                new TokenName("oneday"),
                Expiry.parse("1d"),
                "tmp.",
                50,
                TokenPolicy.NONE.withQuotaMiB(500).withGrace(Optional.of(Expiry.parse("7d"))));
        assertThat(storage.findToken(new TokenName("oneday"))
                        .orElseThrow()
                        .policy()
                        .quotaMiB())
                .isEqualTo(500);
    }

    @Test
    void schema2Database_migratesToTheLatestKeepingEverything() throws Exception {
        Path db = Fixtures.copy(Fixtures.SCHEMA_2, dir);
        assertThat(query(db, "SELECT value FROM config WHERE name = 'dbversion'"))
                .isEqualTo("2");
        SqliteStorage storage = SqliteStorage.open(db, clock);
        assertThat(query(db, "SELECT value FROM config WHERE name = 'dbversion'"))
                .isEqualTo("4");
        assertThat(storage.migrationBackup().orElseThrow().getFileName().toString())
                .startsWith("mailadm.db.v2-");
        assertThat(storage.listTokens())
                .extracting(t -> t.name() + ":" + t.expiry() + ":" + t.prefix() + ":" + t.useCount() + "/" + t.maxUse()
                        + ":" + t.policy().equals(TokenPolicy.NONE))
                .containsExactly("forever:never:p.:1/3:true", "oneday:1d:tmp.:1/50:true");
        assertThat(storage.listAccounts())
                .extracting(a -> a.address() + " " + a.state() + " " + a.isDisabled())
                .containsExactly("p.bob@example.org ACTIVE false", "tmp.alice@example.org ACTIVE false");
        assertThat(storage.settings().orElseThrow().mailDomain()).isEqualTo("example.org");
        EmailAddress alice = EmailAddress.parse("tmp.alice@example.org");
        assertThat(storage.markDisabled(alice, clock.instant())).isTrue();
        storage.recordAudit(List.of(new AuditEvent(
                clock.instant(),
                "cli:test",
                org.mailadm.core.audit.AuditAction.ACCOUNT_DISABLED,
                alice.toString(),
                Optional.empty(),
                org.mailadm.core.audit.AuditOutcome.ok())));
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 10)).hasSize(1);
    }

    @Test
    void pythonDatabase_acceptsNewTokensAndAccounts() {
        SqliteStorage storage = SqliteStorage.open(Fixtures.copy(Fixtures.MAILADM_1_0, dir), clock);
        assertThat(storage.insertToken(TestTokens.aToken()
                        .named("new")
                        .withSecret("new_secret")
                        .build()))
                .isEqualTo(TokenInsert.INSERTED);
        assertThat(storage.insertToken(
                        TestTokens.aToken().named("oneday").withSecret("x").build()))
                .isEqualTo(TokenInsert.NAME_TAKEN);
        Reservation r = storage.reserveAccount(
                new TokenKey.ByName(new TokenName("oneday")),
                EmailAddress.parse("tmp.new01@example.org"),
                clock.instant());
        assertThat(r).isInstanceOf(Reservation.Reserved.class);
        assertThat(storage.findToken(new TokenName("oneday")).map(Token::useCount))
                .contains(3);
        // "forever" has maxuse 3 and usecount 2: one more, then exhausted
        storage.reserveAccount(
                new TokenKey.ByName(new TokenName("forever")), EmailAddress.parse("p2@example.org"), clock.instant());
        assertThat(storage.reserveAccount(
                        new TokenKey.ByName(new TokenName("forever")),
                        EmailAddress.parse("p3@example.org"),
                        clock.instant()))
                .isInstanceOf(Reservation.TokenExhausted.class);
    }

    @Test
    void newerDatabase_refusedAndUntouched() throws Exception {
        Path db = Fixtures.copy(Fixtures.MAILADM_1_0, dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value = '99' WHERE name = 'dbversion'");
        }
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteStorage.open(db, clock))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("database version 99")
                .hasMessageContaining("upgrade mailadm");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".bak"))
                            .toList())
                    .as("no backup next to a refused database")
                    .isEmpty();
        }
    }

    @Test
    void preMailcowDatabase_refusedByOpen_migratedByMigrateDb() throws Exception {
        Path db = Fixtures.copy(Fixtures.PRE_MAILCOW, dir);
        assertThatThrownBy(() -> SqliteStorage.open(db, clock)).hasMessageContaining("mailadm migrate-db");

        Optional<Path> backup = SqliteStorage.migratePreMailcow(db, clock);
        assertThat(backup).isPresent();
        assertThat(query(backup.get(), "SELECT count(*) FROM users")).isEqualTo("3");

        SqliteStorage storage = SqliteStorage.open(db, clock);
        assertThat(storage.migrationBackup()).isEmpty();
        assertThat(storage.listTokens())
                .extracting(t -> t.name().value() + ":" + t.useCount())
                .containsExactly("oneday:3", "oneyear:1");
        assertThat(storage.listAccounts())
                .extracting(a -> a.address().toString())
                .containsExactly("tmp.ab2cd@example.org", "tmp.ef3gh@example.org", "y.jk4mn@example.org");
        assertThat(query(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name IN ('hash_pw', 'homedir')"))
                .isEqualTo("0");
        assertThat(storage.configEntries())
                .extracting(e -> e.name())
                .containsExactly("dbversion", "mail_domain", "web_endpoint");
        assertThat(storage.settings()).isEmpty();
        // a new account can be recorded now (the old NOT NULL hash_pw column would have refused it)
        assertThat(storage.reserveAccount(
                        new TokenKey.ByName(new TokenName("oneday")),
                        EmailAddress.parse("tmp.new01@example.org"),
                        clock.instant()))
                .isInstanceOf(Reservation.Reserved.class);
        assertThat(SqliteStorage.migratePreMailcow(db, clock)).isEmpty();
    }

    @Test
    void foreignFile_refused() throws Exception {
        Path db = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE something (x)");
        }
        assertThatThrownBy(() -> SqliteStorage.open(db, clock)).hasMessageContaining("is not a mailadm database");
        Path text = Files.writeString(dir.resolve("text.db"), "hello, not a database at all".repeat(100));
        assertThatThrownBy(() -> SqliteStorage.open(text, clock)).isInstanceOf(StorageException.class);
    }

    @Test
    void missingFolder_clearError() {
        assertThatThrownBy(() -> SqliteStorage.open(dir.resolve("nope/mailadm.db"), clock))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void migrationBackup_isPrivateAndSaidInOneLine_whateverTheOriginalsMode() throws Exception {
        Path db = Fixtures.copy(Fixtures.MAILADM_1_0, dir);
        Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        SqliteStorage storage = SqliteStorage.open(db, clock);
        Path backup = storage.migrationBackup().orElseThrow();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .as("the backup holds the mailcow API key")
                .isEqualTo("rw-------");
        assertThat(query(backup, "SELECT value FROM config WHERE name = 'mailcow_token'"))
                .isNotEmpty();
        assertThat(storage.migration().orElseThrow().notice(db))
                .isEqualTo("migrated the database " + db + " from version 1 to 4; a copy from before is at " + backup);
        assertThat(Files.exists(Path.of(backup + "-wal"))).isFalse();
        assertThat(dir.toFile().list()).as("no temporary file left beside it").noneMatch(n -> n.endsWith(".partial"));
    }

    @Test
    void newDatabase_hasLatestSchema() throws Exception {
        Path db = dir.resolve("fresh.db");
        SqliteStorage.open(db, clock);
        assertThat(query(db, "SELECT value FROM config WHERE name = 'dbversion'"))
                .isEqualTo("4");
        assertThat(query(db, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(List.of(query(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'state'")))
                .containsExactly("1");
    }
}
