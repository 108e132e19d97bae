package org.mailadm.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.testing.MutableClock;

/** The database holds the mailcow API key: nobody but its owner may read it. */
class SqliteFileModeTest {
    @TempDir
    Path dir;

    private static void saveSomeSettings(SqliteStorage storage) {
        storage.saveSettings(new Settings(
                "example.org",
                java.net.URI.create("https://mailadm.example.org/new_email"),
                java.net.URI.create("https://mail.example.org/api/v1/"),
                new ApiKey("SECRET-KEY-000000-000000-000000")));
    }

    @Test
    void newDatabase_andItsWal_areOwnerOnly() throws Exception {
        Path db = dir.resolve("mailadm.db");
        SqliteStorage storage = SqliteStorage.open(db, MutableClock.atFixedStart());
        saveSomeSettings(storage);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rw-------");
        Path wal = dir.resolve("mailadm.db-wal");
        assertThat(wal).as("WAL file while the storage is open").exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
                .isEqualTo("rw-------");
    }

    @Test
    void existingDatabase_keepsTheModeItsOwnerChose() throws Exception {
        Path db = dir.resolve("mailadm.db");
        SqliteStorage.open(db, MutableClock.atFixedStart());
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r-----"));
        SqliteStorage.open(db, MutableClock.atFixedStart());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void close_foldsTheWalIntoTheFile() throws Exception {
        Path db = dir.resolve("mailadm.db");
        SqliteStorage storage = SqliteStorage.open(db, MutableClock.atFixedStart());
        saveSomeSettings(storage);
        assertThat(dir.resolve("mailadm.db-wal")).exists();
        storage.close();
        assertThat(dir.resolve("mailadm.db-wal")).doesNotExist();
        assertThat(SqliteStorage.open(db, MutableClock.atFixedStart()).settings())
                .hasValueSatisfying(s -> assertThat(s.mailDomain()).isEqualTo("example.org"));
    }
}
