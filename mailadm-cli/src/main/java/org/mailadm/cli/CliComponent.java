package org.mailadm.cli;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The CLI's object graph, wired at compile time: core use cases on SQLite (opened and closed per command) and mailcow. */
@Singleton
@Component(modules = {CliModule.class, CommandsModule.class})
public interface CliComponent {
    /**
     * Every command by name, each built only when asked for: a command line builds the one it runs.
     * Commands load the database and settings only when they run.
     */
    Map<String, Provider<Command>> commands();

    /** The database file (from MAILADM_DB); throws {@link CliException} when it cannot be determined. */
    @Named("database")
    Path database();

    /** What the command opened, to close when it ends. */
    OpenResources openResources();

    @Component.Factory
    interface Factory {
        CliComponent create(@BindsInstance Environment env, @BindsInstance Clock clock, @BindsInstance Console console);
    }
}
