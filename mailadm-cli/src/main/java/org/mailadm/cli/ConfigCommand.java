package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.Storage;

@Parameters(commandDescription = "Print the version, the database path and the configuration (API key masked)")
final class ConfigCommand extends BaseCommand {

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Path> database;
    private final Lazy<Storage> storage;
    private final Output output;

    @Inject
    ConfigCommand(@Named("database") Lazy<Path> database, Lazy<Storage> storage, Output output) {
        this.database = database;
        this.storage = storage;
        this.output = output;
    }

    @Override
    public int run() {
        var entries = storage.get().configEntries();
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("version", Cli.version());
            o.put("database", database.get().toString());
            ObjectNode config = o.putObject("config");
            entries.forEach(e -> config.put(e.name(), display(e)));
            output.printJson(o);
            return 0;
        }
        output.out().println("** mailadm version: " + Cli.version());
        output.out().println("** mailadm database path: " + database.get());
        for (Storage.ConfigEntry e : entries) {
            output.out().println(String.format("%-22s %s", e.name(), display(e)));
        }
        return 0;
    }

    private static String display(Storage.ConfigEntry e) {
        return e.name().equals("mailcow_token") && !e.value().isBlank() ? new ApiKey(e.value()).masked() : e.value();
    }
}
