package org.mailadm.cli;

import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.mailadm.sqlite.SqliteStorage;

@Parameters(
        commandDescription = "Migrate a pre-mailcow database, keeping every user and token (a backup is written first)")
@CommandRole(value = Role.LOCAL, createsDatabase = true)
final class MigrateDbCommand extends BaseCommand {

    private final Lazy<Path> database;
    private final Clock clock;
    private final Output output;

    @Inject
    MigrateDbCommand(@Named("database") Lazy<Path> database, Clock clock, Output output) {
        this.database = database;
        this.clock = clock;
        this.output = output;
    }

    @Override
    public int run() {
        Path db = database.get();
        if (!Files.exists(db)) {
            throw new CliException("database " + db + " does not exist: check MAILADM_DB");
        }
        Optional<Path> backup = SqliteStorage.migratePreMailcow(db, clock);
        if (backup.isEmpty()) {
            SqliteStorage opened = SqliteStorage.open(db, clock);
            output.out()
                    .println("database " + db + " needs no pre-mailcow migration"
                            + opened.migrationBackup()
                                    .map(b -> " (schema upgraded, backup: " + b + ")")
                                    .orElse(""));
        } else {
            output.out()
                    .println("migrated " + db + " (backup: " + backup.get() + ");"
                            + " now run `mailadm init` to add the mailcow settings");
        }
        return 0;
    }
}
