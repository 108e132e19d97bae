package org.mailadm.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import jakarta.inject.Provider;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.StorageBusyException;
import org.mailadm.core.port.StorageException;
import org.slf4j.LoggerFactory;

/**
 * The {@code mailadm} command line: parses the arguments, runs one command and returns the exit
 * code — 0 done, 1 refused or failed, 2 usage error. Errors are one line on standard error; a stack
 * trace only with {@code MAILADM_DEBUG=1}. Only {@link #main} exits the JVM.
 */
public final class Cli {
    private Cli() {}

    static final class MainOptions {
        @Parameter(
                names = {"-h", "--help"},
                help = true,
                description = "Show this help and exit")
        boolean help;

        @Parameter(names = "--version", description = "Print the version and exit")
        boolean version;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Undertow logs through jboss-logging: route it to SLF4J so every line has one format.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        // The logging binding shipped in lib/: naming it spares SLF4J a search through every jar on the
        // class path, about 40 ms of a command. -Dslf4j.provider=... still chooses another.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
            // ...without SLF4J announcing on standard error that it did so
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        int code = run(args, new Environment(System.getenv()), Clock.systemUTC(), new Console(System.out, System.err));
        System.out.flush();
        System.exit(code);
    }

    /** The version of this build. */
    public static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Runs one command line; never throws, never exits. */
    public static int run(String[] args, Environment env, Clock clock, Console console) {
        CliComponent component = DaggerCliComponent.factory().create(env, clock, console);
        String[] words = splitEquals(args);
        Map<String, Command> commands = commands(component.commands(), words);
        MainOptions main = new MainOptions();
        JCommander.Builder builder = JCommander.newBuilder().addObject(main).programName("mailadm");
        commands.forEach(builder::addCommand);
        JCommander jc = builder.build();
        PrintStream err = console.err();
        try {
            jc.parse(words);
        } catch (ParameterException e) {
            err.println("error: " + e.getMessage());
            String name = jc.getParsedCommand();
            err.println("Try 'mailadm " + (name == null ? "" : name + " ") + "--help' for help.");
            return 2;
        }
        if (main.version) {
            console.out().println("mailadm " + version());
            return 0;
        }
        String name = jc.getParsedCommand();
        if (name == null) {
            (main.help ? console.out() : err).print(overview(jc));
            return main.help ? 0 : 2;
        }
        Command command = commands.get(name);
        if (main.help || command.help().help) {
            StringBuilder usage = new StringBuilder();
            jc.getCommands().get(name).getUsageFormatter().usage(usage);
            console.out().print(usage);
            return 0;
        }
        try {
            if (!command.createsDatabase()) {
                Path db = component.database();
                if (!Files.exists(db)) {
                    throw new CliException("database " + db + " does not exist: run `mailadm init` to create it, or set"
                            + " MAILADM_DB to your mailadm.db");
                }
            }
            return command.run();
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Try 'mailadm " + name + " --help' for help.");
            return 2;
        } catch (StorageBusyException e) {
            err.println("error: " + e.getMessage() + ". Another process is writing to " + component.database()
                    + ": a mailadm-server, a `mailadm prune` from cron or another mailadm command; `fuser -v "
                    + component.database() + "` lists them");
            debug(env, err, e);
            return 1;
        } catch (CliException | IllegalArgumentException | StorageException | MailProviderException e) {
            err.println("error: " + e.getMessage());
            debug(env, err, e);
            return 1;
        } catch (RuntimeException e) {
            err.println("error: unexpected failure (" + e.getClass().getSimpleName()
                    + "); run again with MAILADM_DEBUG=1" + " for details");
            debug(env, err, e);
            return 1;
        } finally {
            component.openResources().closeAll();
        }
    }

    /**
     * The commands JCommander needs for this command line. The main options take no values, so the
     * first word that is not an option names the command: when it is one, only that command is built
     * and described (reading every command's annotations costs a command line about 60 ms). Anything
     * else — no command, an unknown one, an {@code @file} — gets them all, for the overview and the
     * error message.
     */
    static Map<String, Command> commands(Map<String, Provider<Command>> all, String[] words) {
        Map<String, Command> chosen = new TreeMap<>();
        for (String w : words) {
            if (!w.startsWith("-")) {
                Provider<Command> one = all.get(w);
                if (one != null) {
                    chosen.put(w, one.get());
                    return chosen;
                }
                break;
            }
        }
        all.forEach((name, command) -> chosen.put(name, command.get()));
        return chosen;
    }

    /** The list of commands, as the original's Click printed it; each command has its own --help. */
    private static String overview(JCommander jc) {
        StringBuilder sb = new StringBuilder("Usage: mailadm [--version] [-h] COMMAND [OPTIONS] [ARGS]\n\n"
                + "  Manage token-based e-mail accounts for Delta Chat on mailcow.\n"
                + "  The database is $MAILADM_DB; run 'mailadm COMMAND --help' for a command's options.\n\n"
                + "Commands:\n");
        jc.getCommands()
                .forEach((command, sub) -> sb.append(String.format(
                        "  %-12s %s%n", command, jc.getUsageFormatter().getCommandDescription(command))));
        return sb.toString();
    }

    /** Accepts {@code --option=value} as the original's Click did, besides {@code --option value}. */
    static String[] splitEquals(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                out.add(a.substring(0, eq));
                out.add(a.substring(eq + 1));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    /** With MAILADM_DEBUG set, the details go to the log (standard error), stack trace included. */
    private static void debug(Environment env, PrintStream err, RuntimeException e) {
        if (env.get("MAILADM_DEBUG").isPresent()) {
            LoggerFactory.getLogger(Cli.class).error("details of the failure above", e);
        }
    }
}
