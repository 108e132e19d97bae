package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import org.mailadm.core.config.Configuration;

@Parameters(commandDescription = "Print the version, the database path and the configuration (API key masked)")
@CommandRole(Role.LOCAL)
final class ConfigCommand extends BaseCommand {

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Path> database;
    private final Lazy<Configuration> configuration;
    private final Output output;

    @Inject
    ConfigCommand(@Named("database") Lazy<Path> database, Lazy<Configuration> configuration, Output output) {
        this.database = database;
        this.configuration = configuration;
        this.output = output;
    }

    @Override
    public int run() {
        var entries = configuration.get().entries();
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("version", Cli.version());
            o.put("database", database.get().toString());
            ObjectNode config = o.putObject("config");
            entries.forEach(e -> config.put(e.name(), e.value()));
            output.printJson(o);
            return 0;
        }
        output.out().println("** mailadm version: " + Cli.version());
        output.out().println("** mailadm database path: " + database.get());
        for (var e : entries) {
            output.out().println(String.format("%-22s %s", e.name(), e.value()));
        }
        return 0;
    }
}
