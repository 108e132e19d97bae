package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.http.HttpComponent;
import org.mailadm.http.MailadmServer;
import org.mailadm.http.ServerConfig;

@Parameters(
        commandDescription =
                "Serve the web API on this machine, for trying things out (production: see docs/http-api.md)")
@CommandRole(Role.SERVER)
final class WebCommand extends BaseCommand {

    @Parameter(names = "--port", description = "Port to listen on [default: 3691]")
    int port = ServerConfig.DEFAULT_PORT;

    @Parameter(names = "--bind", description = "Address to listen on [default: 127.0.0.1, this machine only]")
    String bind = "127.0.0.1";

    private final Environment env;
    private final Lazy<Path> database;
    private final Clock clock;
    private final Output output;

    @Inject
    WebCommand(Environment env, @Named("database") Lazy<Path> database, Clock clock, Output output) {
        this.env = env;
        this.database = database;
        this.clock = clock;
        this.output = output;
    }

    @Override
    public int run() {
        ServerConfig config;
        try {
            config =
                    ServerConfig.fromEnvironment(env.variables()).withPort(port).withBindAddress(bind);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        MailadmServer server;
        try {
            server =
                    HttpComponent.create(config, clock, database.get()).server().start();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        } catch (RuntimeException e) {
            throw new CliException("cannot start the server on " + bind + ":" + port + ": " + e.getMessage());
        }
        output.out().println("serving " + server.localUrl() + " (Ctrl-C to stop)");
        UntilStopped.await(server::close);
        return 0;
    }
}
