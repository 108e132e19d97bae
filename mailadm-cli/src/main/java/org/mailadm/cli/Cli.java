package org.mailadm.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.AccountListing;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.account.Pruner;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin.AddTokenResult;
import org.mailadm.core.token.TokenAdmin.DeleteTokenResult;
import org.mailadm.core.token.TokenAdmin.ModifyTokenResult;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenSecret;
import org.mailadm.sqlite.SqliteStorage;

/**
 * The {@code mailadm} command line. {@link #run} parses, runs one command and returns the exit
 * code: 0 success, 1 refused or failed, 2 usage error. Only {@link #main} exits the JVM.
 */
public final class Cli {
    /** Where the container image keeps the database. */
    public static final String DEFAULT_DB = "/mailadm/docker-data/mailadm.db";

    private final Map<String, String> env;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        this.env = Objects.requireNonNull(env, "env == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.out = Objects.requireNonNull(out, "out == null");
        this.err = Objects.requireNonNull(err, "err == null");
    }

    public static void main(String[] args) {
        int code = new Cli(System.getenv(), Clock.systemUTC(), System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    /** A refusal with a message for the user (exit 1). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    static final class Main {
        @Parameter(
                names = {"-h", "--help"},
                help = true,
                description = "show this help")
        boolean help;

        @Parameter(names = "--version", description = "print the version")
        boolean version;
    }

    interface Command {
        int run(Cli cli);
    }

    public static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public int run(String... args) {
        Main main = new Main();
        Map<String, Object> commands = new java.util.LinkedHashMap<>();
        commands.put("init", new Init());
        commands.put("config", new ConfigCmd());
        commands.put("add-token", new AddToken());
        commands.put("mod-token", new ModToken());
        commands.put("del-token", new DelToken());
        commands.put("list-tokens", new ListTokens());
        commands.put("add-user", new AddUser());
        commands.put("del-user", new DelUser());
        commands.put("list-users", new ListUsers());
        commands.put("prune", new Prune());
        commands.put("migrate-db", new MigrateDb());
        commands.put("demo", new Demo());
        JCommander.Builder b = JCommander.newBuilder().addObject(main).programName("mailadm");
        commands.forEach((name, c) -> b.addCommand(name, c));
        JCommander jc = b.build();
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            err.println("error: " + e.getMessage());
            String cmd = jc.getParsedCommand();
            err.println("Try 'mailadm " + (cmd == null ? "" : cmd + " ") + "--help' for help.");
            return 2;
        }
        if (main.version) {
            out.println("mailadm " + version());
            return 0;
        }
        String name = jc.getParsedCommand();
        if (main.help || name == null) {
            StringBuilder sb = new StringBuilder();
            jc.getUsageFormatter().usage(sb);
            (name == null && !main.help ? err : out).print(sb);
            return name == null && !main.help ? 2 : 0;
        }
        JCommander sub = jc.getCommands().get(name);
        if (Boolean.TRUE.equals(helpRequested(commands.get(name)))) {
            StringBuilder sb = new StringBuilder();
            sub.getUsageFormatter().usage(sb);
            out.print(sb);
            return 0;
        }
        try {
            return ((Command) commands.get(name)).run(this);
        } catch (Refused e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (StorageException | MailProviderException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static Boolean helpRequested(Object command) {
        try {
            var f = command.getClass().getDeclaredField("help");
            return f.getBoolean(command);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    // ---- shared plumbing

    Path databasePath() {
        String configured = env.get("MAILADM_DB");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path def = Path.of(DEFAULT_DB);
        if (!Files.isDirectory(def.getParent()) || !Files.isWritable(def.getParent())) {
            throw new Refused("MAILADM_DB is not set and the default database " + DEFAULT_DB
                    + " is not writable: set MAILADM_DB=/path/to/mailadm.db");
        }
        return def;
    }

    SqliteStorage storage() {
        return SqliteStorage.open(databasePath(), clock);
    }

    Settings settings(Storage storage) {
        return storage.settings()
                .orElseThrow(
                        () -> new Refused("database " + databasePath() + " is not initialized: run `mailadm init`"));
    }

    CliComponent component() {
        SqliteStorage storage = storage();
        Settings settings = settings(storage);
        return DaggerCliComponent.factory().create(settings, clock, storage.file());
    }

    void printToken(Token t, Settings settings) {
        TokenLinks links = new TokenLinks(settings.webEndpoint());
        out.println("token:" + t.name());
        out.println("  prefix = " + t.prefix());
        out.println("  expiry = " + t.expiry());
        out.println("  maxuse = " + t.maxUse());
        out.println("  usecount = " + t.useCount());
        out.println("  token = " + t.secret().value());
        out.println("  " + links.webUrl(t));
        out.println("  " + links.qrPayload(t));
    }

    static TokenName tokenName(String raw) {
        try {
            return new TokenName(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid token name '" + printable(raw) + "': " + e.getMessage());
        }
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }

    // ---- commands

    @Parameters(commandDescription = "write the configuration into the database (creating it if missing)")
    static final class Init implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(names = "--web-endpoint", description = "public URL Delta Chat posts to (default: $WEB_ENDPOINT)")
        String webEndpoint;

        @Parameter(names = "--mail-domain", description = "domain of created addresses (default: $MAIL_DOMAIN)")
        String mailDomain;

        @Parameter(
                names = "--mailcow-endpoint",
                description = "mailcow API URL, …/api/v1/ (default: $MAILCOW_ENDPOINT)")
        String mailcowEndpoint;

        @Parameter(names = "--mailcow-token", description = "mailcow read-write API key (default: $MAILCOW_TOKEN)")
        String mailcowToken;

        @Override
        public int run(Cli cli) {
            String web = value(cli, webEndpoint, "--web-endpoint", "WEB_ENDPOINT");
            String domain = value(cli, mailDomain, "--mail-domain", "MAIL_DOMAIN");
            String mcEndpoint = value(cli, mailcowEndpoint, "--mailcow-endpoint", "MAILCOW_ENDPOINT");
            String mcToken = value(cli, mailcowToken, "--mailcow-token", "MAILCOW_TOKEN");
            Settings settings = new Settings(
                    EmailAddressDomain.check(domain),
                    Settings.parseHttpUrl("web endpoint", web),
                    Settings.parseHttpUrl("mailcow endpoint", mcEndpoint),
                    new ApiKey(mcToken.trim()));
            Path db = cli.databasePath();
            cli.out.println("initializing database " + db.toAbsolutePath());
            SqliteStorage storage = cli.storage();
            storage.saveSettings(settings);
            if (!"https".equalsIgnoreCase(settings.webEndpoint().getScheme())) {
                cli.err.println(
                        "WARNING: the web endpoint " + settings.webEndpoint() + " is not https://: Delta Chat only"
                                + " follows https:// token URLs, so QR codes for it will not work in the app");
            }
            return 0;
        }

        private static String value(Cli cli, String option, String flag, String variable) {
            String v = option != null ? option : cli.env.get(variable);
            if (v == null || v.isBlank()) {
                throw new Refused("missing " + flag + ": give it or set " + variable);
            }
            return v;
        }
    }

    /** Domain check with a message naming the setting. */
    static final class EmailAddressDomain {
        static String check(String domain) {
            return EmailAddress.checkDomain(domain.trim().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Parameters(commandDescription = "print version, database path and configuration (the API key masked)")
    static final class ConfigCmd implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Override
        public int run(Cli cli) {
            SqliteStorage storage = cli.storage();
            cli.out.println("** mailadm version: " + version());
            cli.out.println("** mailadm database path: " + storage.file());
            for (Storage.ConfigEntry e : storage.configEntries()) {
                String value = e.name().equals("mailcow_token") && !e.value().isBlank()
                        ? new ApiKey(e.value()).masked()
                        : e.value();
                cli.out.println(String.format("%-22s %s", e.name(), value));
            }
            return 0;
        }
    }

    @Parameters(commandDescription = "add a token and print it")
    static final class AddToken implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(description = "NAME", required = true, arity = 1)
        List<String> name = new ArrayList<>();

        @Parameter(names = "--expiry", description = "account lifetime: 30s, 12h, 1d, 2w, 1y or never")
        String expiry = "1d";

        @Parameter(names = "--maxuse", description = "how many accounts the token may create")
        int maxUse = Token.DEFAULT_MAX_USE;

        @Parameter(names = "--prefix", description = "address prefix of created accounts")
        String prefix = Token.DEFAULT_PREFIX;

        @Parameter(names = "--token", description = "the secret to use (default: generated)")
        String token;

        @Override
        public int run(Cli cli) {
            TokenName n = tokenName(name.get(0));
            Expiry e = Expiry.parse(expiry);
            Token.checkPrefix(prefix);
            Optional<TokenSecret> secret = Optional.ofNullable(token).map(TokenSecret::new);
            CliComponent c = cli.component();
            Settings settings = cli.settings(cli.storage());
            return switch (c.tokenAdmin().add(n, e, prefix, maxUse, secret)) {
                case AddTokenResult.Added a -> {
                    cli.printToken(a.token(), settings);
                    yield 0;
                }
                case AddTokenResult.NameTaken t ->
                    throw new Refused("token '" + n + "' exists already: change it with `mailadm mod-token " + n + "`");
                case AddTokenResult.SecretTaken t ->
                    throw new Refused("another token uses this --token secret: choose another");
            };
        }
    }

    @Parameters(commandDescription = "change a token's expiry, maxuse or prefix (the use count stays)")
    static final class ModToken implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(description = "NAME", required = true, arity = 1)
        List<String> name = new ArrayList<>();

        @Parameter(names = "--expiry", description = "account lifetime: 30s, 12h, 1d, 2w, 1y or never")
        String expiry;

        @Parameter(names = "--maxuse", description = "how many accounts the token may create")
        Integer maxUse;

        @Parameter(names = "--prefix", description = "address prefix of created accounts")
        String prefix;

        @Override
        public int run(Cli cli) {
            TokenName n = tokenName(name.get(0));
            CliComponent c = cli.component();
            Settings settings = cli.settings(cli.storage());
            return switch (c.tokenAdmin()
                    .modify(
                            n,
                            Optional.ofNullable(expiry).map(Expiry::parse),
                            Optional.ofNullable(prefix),
                            Optional.ofNullable(maxUse))) {
                case ModifyTokenResult.Modified m -> {
                    cli.printToken(m.token(), settings);
                    yield 0;
                }
                case ModifyTokenResult.NotFound f ->
                    throw new Refused("token '" + n + "' does not exist: see `mailadm list-tokens`");
            };
        }
    }

    @Parameters(commandDescription = "delete a token (with --force also its accounts and their mailboxes)")
    static final class DelToken implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(description = "NAME", required = true, arity = 1)
        List<String> name = new ArrayList<>();

        @Parameter(names = "--force", description = "also delete the token's accounts, mailboxes included")
        boolean force;

        @Override
        public int run(Cli cli) {
            TokenName n = tokenName(name.get(0));
            return switch (cli.component().tokenAdmin().delete(n, force)) {
                case DeleteTokenResult.Deleted d -> {
                    cli.out.println("deleted token " + n
                            + (d.accountsDeleted() > 0 ? " and its " + d.accountsDeleted() + " accounts" : ""));
                    yield 0;
                }
                case DeleteTokenResult.NotFound f -> throw new Refused("token '" + n + "' does not exist");
                case DeleteTokenResult.HasAccounts h ->
                    throw new Refused("token '" + n + "' still has " + h.accounts()
                            + " accounts: stop new ones with `mailadm mod-token " + n
                            + " --maxuse 0` and let them expire,"
                            + " or delete the token with its accounts and mailboxes: `mailadm del-token " + n
                            + " --force`");
                case DeleteTokenResult.AccountsNotDeleted a -> {
                    a.failures()
                            .forEach(f -> cli.err.println(
                                    "not deleted: " + f.account().address() + ": " + f.detail()));
                    throw new Refused(
                            a.failures().size() + " mailboxes could not be deleted; the token and those accounts"
                                    + " are kept: try again later");
                }
            };
        }
    }

    @Parameters(commandDescription = "list all tokens")
    static final class ListTokens implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Override
        public int run(Cli cli) {
            SqliteStorage storage = cli.storage();
            Settings settings = cli.settings(storage);
            for (Token t : storage.listTokens()) {
                cli.printToken(t, settings);
            }
            return 0;
        }
    }

    @Parameters(commandDescription = "create an account in mailcow and the database")
    static final class AddUser implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(description = "ADDR", required = true, arity = 1)
        List<String> addr = new ArrayList<>();

        @Parameter(names = "--password", description = "the password (default: generated)")
        String password;

        @Parameter(
                names = "--token",
                description = "the token to count it against (default: the one whose prefix matches)")
        String token;

        @Parameter(names = "--dryrun", description = "only show what would be created")
        boolean dryRun;

        @Override
        public int run(Cli cli) {
            EmailAddress a = EmailAddress.parse(addr.get(0));
            Optional<TokenName> t = Optional.ofNullable(token).map(Cli::tokenName);
            Optional<Password> pw = Optional.ofNullable(password).map(Password::new);
            return switch (cli.component().accountCreation().createForAdmin(a, t, pw, dryRun)) {
                case CreateAccountResult.Created c -> {
                    cli.out.println("Created " + c.account().address() + " with password: "
                            + c.password().value());
                    yield 0;
                }
                case CreateAccountResult.WouldCreate w -> {
                    cli.out.println("Would create " + w.address() + " with password "
                            + w.password().value());
                    yield 0;
                }
                case CreateAccountResult.TokenNotFound f ->
                    throw new Refused("token '" + token + "' does not exist: see `mailadm list-tokens`");
                case CreateAccountResult.TokenExhausted x ->
                    throw new Refused("token '" + x.token().name()
                            + "' has created " + x.token().useCount() + " of "
                            + x.token().maxUse() + " accounts: raise it with"
                            + " `mailadm mod-token " + x.token().name() + " --maxuse N`");
                case CreateAccountResult.AddressTaken x ->
                    throw new Refused(x.address() + " exists already in "
                            + (x.where() == org.mailadm.core.account.AccountCreation.Where.STORAGE
                                    ? "mailadm"
                                    : "mailcow"));
                case CreateAccountResult.ForeignDomain f ->
                    throw new Refused(
                            "address " + f.address() + " does not use the mail domain '" + f.mailDomain() + "'");
                case CreateAccountResult.NoMatchingToken m ->
                    throw new Refused("no token's prefix matches " + m.address() + ": name one with --token");
                case CreateAccountResult.ProviderRejected r ->
                    throw new Refused("mailcow refused to create " + a + " ("
                            + r.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.detail() + ")");
            };
        }
    }

    @Parameters(commandDescription = "delete an account in mailcow and the database")
    static final class DelUser implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(description = "ADDR", required = true, arity = 1)
        List<String> addr = new ArrayList<>();

        @Override
        public int run(Cli cli) {
            EmailAddress a = EmailAddress.parse(addr.get(0));
            return switch (cli.component().accountRemoval().delete(a)) {
                case DeleteAccountResult.Deleted d -> {
                    cli.out.println("deleted user " + a);
                    yield 0;
                }
                case DeleteAccountResult.NotFound f ->
                    throw new Refused("failed to delete e-mail account " + a
                            + ": it does not exist in mailadm (see `mailadm list-users`)");
                case DeleteAccountResult.Failed f ->
                    throw new Refused("mailcow did not delete " + a + " (" + f.detail()
                            + "); the account is kept: try again later");
            };
        }
    }

    @Parameters(commandDescription = "list accounts, cross-checked against mailcow")
    static final class ListUsers implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(names = "--token", description = "only the accounts of this token")
        String token;

        @Override
        public int run(Cli cli) {
            AccountListing.Listing l = cli.component()
                    .accountListing()
                    .list(Optional.ofNullable(token).map(Cli::tokenName));
            StringBuilder sb = new StringBuilder();
            for (AccountListing.Entry e : l.accounts()) {
                sb.append(e.account().address())
                        .append(" [")
                        .append(e.account().token())
                        .append(']');
                if (e.mailbox().isEmpty()) {
                    sb.append(" (missing in mailcow)");
                }
                sb.append('\n');
            }
            for (var m : l.onlyInProvider()) {
                sb.append(m.address())
                        .append(" [")
                        .append(m.mailadmToken().orElse(""))
                        .append("] (created in mailcow)\n");
            }
            cli.out.print(sb);
            return 0;
        }
    }

    @Parameters(commandDescription = "delete expired accounts")
    static final class Prune implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(names = "--dryrun", description = "only show what would be deleted")
        boolean dryRun;

        @Override
        public int run(Cli cli) {
            Pruner.PruneReport r = cli.component().pruner().prune(dryRun);
            for (var a : r.deleted()) {
                cli.out.println(
                        (r.dryRun() ? "would delete " : "pruned ") + a.address() + " (token " + a.token() + ")");
            }
            for (var f : r.failed()) {
                cli.err.println("not pruned " + f.account().address() + ": " + f.detail());
            }
            for (var k : r.keptUnknownLogin()) {
                cli.out.println("kept " + k.address() + " (token " + k.token() + "): expired, but mailcow does not know"
                        + " its last login; delete it with `mailadm del-user` if it is unused");
            }
            if (r.nothingToDo()) {
                cli.out.println("nothing to prune");
            } else {
                cli.out.println(
                        (r.dryRun() ? "would prune " : "pruned ") + r.deleted().size() + " accounts"
                                + (r.failed().isEmpty() ? "" : ", " + r.failed().size() + " failed"));
            }
            return r.failed().isEmpty() ? 0 : 1;
        }
    }

    @Parameters(commandDescription = "try mailadm: a database in a new folder with example settings and a demo token")
    static final class Demo implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Parameter(names = "--dir", description = "folder for the demo database (default: a new temporary folder)")
        String dir;

        @Override
        public int run(Cli cli) {
            Path folder;
            try {
                folder =
                        dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("mailadm-demo");
            } catch (java.io.IOException e) {
                throw new Refused("cannot create the demo folder: " + e.getMessage());
            }
            Path db = folder.resolve("mailadm.db");
            SqliteStorage storage = SqliteStorage.open(db, cli.clock);
            Settings settings = new Settings(
                    "example.org",
                    java.net.URI.create("https://mailadm.example.org/new_email"),
                    java.net.URI.create("http://127.0.0.1:1/api/v1/"),
                    new ApiKey("DEMO00-000000-000000-000000-000000"));
            storage.saveSettings(settings);
            CliComponent c = DaggerCliComponent.factory().create(settings, cli.clock, db);
            Token token = switch (c.tokenAdmin()
                    .add(new TokenName("demo"), Expiry.parse("1d"), "tmp.", 10, Optional.empty())) {
                case AddTokenResult.Added a -> a.token();
                case AddTokenResult.NameTaken t ->
                    storage.findToken(new TokenName("demo")).orElseThrow();
                case AddTokenResult.SecretTaken t -> throw new Refused("demo token secret clash; run again");
            };
            cli.out.println("demo database: " + db);
            cli.printToken(token, settings);
            cli.out.println();
            cli.out.println("Try more commands on it:");
            cli.out.println("  MAILADM_DB=" + db + " ./mailadm list-tokens");
            cli.out.println("  MAILADM_DB=" + db + " ./mailadm config");
            cli.out.println("Creating accounts needs a mail server: `mailadm init` with your mailcow's settings.");
            return 0;
        }
    }

    @Parameters(commandDescription = "migrate a pre-mailcow database (a backup is written first)")
    static final class MigrateDb implements Command {
        @Parameter(
                names = {"-h", "--help"},
                help = true)
        boolean help;

        @Override
        public int run(Cli cli) {
            Path db = cli.databasePath();
            if (!Files.exists(db)) {
                throw new Refused("database " + db + " does not exist: check MAILADM_DB");
            }
            Optional<Path> backup = SqliteStorage.migratePreMailcow(db, cli.clock);
            if (backup.isEmpty()) {
                cli.out.println("database " + db + " needs no migration");
            } else {
                cli.out.println("migrated " + db + " (backup: " + backup.get()
                        + "); now run `mailadm init` to configure mailcow");
            }
            return 0;
        }
    }
}
