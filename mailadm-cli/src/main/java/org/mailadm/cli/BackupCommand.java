package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.sqlite.SqliteStorage;

@Parameters(
        commandDescription = "Write a consistent copy of the database to FILE (mode 0600), also while the server"
                + " runs; restore it as docs/storage.md says")
@CommandRole(Role.LOCAL)
final class BackupCommand extends BaseCommand {

    @Parameter(description = "FILE")
    List<String> args = new ArrayList<>();

    private final Lazy<SqliteStorage> storage;
    private final Output output;

    @Inject
    BackupCommand(Lazy<SqliteStorage> storage, Output output) {
        this.storage = storage;
        this.output = output;
    }

    @Override
    public int run() {
        String file = Arguments.single(args, "FILE");
        if (file.isBlank()) {
            throw new UsageException("FILE is empty: name the file to write, e.g. /var/backups/mailadm.db");
        }
        Path target = Path.of(file).toAbsolutePath().normalize();
        storage.get().backup(target);
        output.out().println("wrote a consistent copy of " + storage.get().file() + " to " + target + " (mode 0600)");
        return 0;
    }
}
