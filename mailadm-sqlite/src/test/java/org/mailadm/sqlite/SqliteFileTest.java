package org.mailadm.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.AccountStore.TokenKey;
import org.mailadm.core.port.StorageBusyException;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

/** The database file on its own: complete after close, copied consistently while in use, busy said as busy. */
class SqliteFileTest {
    private final MutableClock clock = MutableClock.atFixedStart();

    @TempDir
    Path dir;

    private SqliteStorage withUsers(Path db, int n) {
        SqliteStorage storage = SqliteStorage.open(db, clock);
        storage.insertToken(TestTokens.aToken().withMaxUse(100).build());
        for (int i = 0; i < n; i++) {
            EmailAddress a = EmailAddress.parse("tmp.u" + i + "@example.org");
            storage.reserveAccount(new TokenKey.ByName(new TokenName("oneday")), a, clock.instant());
            storage.confirmAccount(a);
        }
        return storage;
    }

    @Test
    void afterClose_theFileAloneHoldsEveryRow() throws Exception {
        Path db = dir.resolve("mailadm.db");
        SqliteStorage storage = withUsers(db, 7);
        Path wal = Path.of(db + "-wal");
        assertThat(Files.size(wal)).as("the rows sit in the WAL while open").isPositive();
        storage.close();
        assertThat(!Files.exists(wal) || Files.size(wal) == 0)
                .as("the WAL is folded in and truncated")
                .isTrue();
        Path copy = dir.resolve("copy.db");
        Files.copy(db, copy); // what an operator's `cp mailadm.db` does: the file alone
        assertThat(LegacyDatabaseTest.query(copy, "SELECT count(*) FROM users")).isEqualTo("7");
    }

    @Test
    void backup_whileInUse_isConsistentPrivateAndWhole() throws Exception {
        Path db = dir.resolve("mailadm.db");
        Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        SqliteStorage storage = withUsers(db, 5);
        Path target = dir.resolve("backups/mailadm-backup.db");
        Files.createDirectories(target.getParent());
        storage.backup(target);
        storage.reserveAccount(
                new TokenKey.ByName(new TokenName("oneday")),
                EmailAddress.parse("tmp.later@example.org"),
                clock.instant());
        assertThat(LegacyDatabaseTest.query(target, "SELECT count(*) FROM users"))
                .isEqualTo("5");
        assertThat(LegacyDatabaseTest.query(target, "SELECT count(*) FROM tokens"))
                .isEqualTo("1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        assertThat(Files.exists(Path.of(target + "-wal"))).isFalse();
        assertThat(target.getParent().toFile().list()).containsExactly("mailadm-backup.db");
    }

    @Test
    void backup_neverOverwritesAndSaysWhy() throws Exception {
        Path db = dir.resolve("mailadm.db");
        SqliteStorage storage = withUsers(db, 1);
        Path target = dir.resolve("taken.db");
        Files.writeString(target, "mine");
        assertThatThrownBy(() -> storage.backup(target))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("exists already");
        assertThat(Files.readString(target)).isEqualTo("mine");
        assertThatThrownBy(() -> storage.backup(dir.resolve("no/such/folder/x.db")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void anotherProcessHoldingTheWriteLock_isBusyNotABareError() throws Exception {
        Path db = dir.resolve("mailadm.db");
        withUsers(db, 1).close();
        SqliteStorage storage = SqliteStorage.open(db, clock, Duration.ofMillis(200));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE tokens SET maxuse = maxuse");
            assertThatThrownBy(() -> storage.reserveAccount(
                            new TokenKey.ByName(new TokenName("oneday")),
                            EmailAddress.parse("tmp.busy@example.org"),
                            clock.instant()))
                    .isInstanceOf(StorageBusyException.class)
                    .hasMessageContaining("locked by another process");
            s.execute("ROLLBACK");
        }
        assertThat(storage.findAccount(EmailAddress.parse("tmp.busy@example.org")))
                .as("nothing half-done")
                .isEmpty();
    }
}
