package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;

/** The .tar.gz as an operator gets it: unpacked, its launchers run against a fake mailcow. */
class ArchiveIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path work;

    static Path home;
    static FakeMailcowServer mailcow;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("mailadm.archive"));
        assertThat(archive).exists();
        Proc.Result r = Proc.run(work, Map.of(), MINUTE, "tar", "-xzf", archive.toString());
        assertThat(r.code()).as(r.out()).isZero();
        try (Stream<Path> s = Files.list(work)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("mailadm-"))
                    .findFirst()
                    .orElseThrow();
        }
        mailcow = new FakeMailcowServer().start();
        measureATrainingInTheForeground();
    }

    @AfterAll
    static void stop() {
        mailcow.close();
    }

    private Map<String, String> env(Path data) {
        Map<String, String> env = new HashMap<>();
        env.put("MAILADM_DB", data.resolve("mailadm.db").toString());
        env.put("MAILADM_CACHE", work.resolve("cache").toString());
        return env;
    }

    private Proc.Result mailadm(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = home.resolve("bin/mailadm").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Proc.run(work, env, MINUTE, cmd);
    }

    @Test
    void layout_hasLaunchersNativeLibraryUnitsAndDocs() throws Exception {
        for (String f : List.of("bin/mailadm", "bin/mailadm-server", "install.sh")) {
            assertThat(Files.isExecutable(home.resolve(f))).as(f).isTrue();
        }
        assertThat(home.resolve("lib/native/Linux/x86_64/libsqlitejdbc.so")).exists();
        assertThat(home.resolve("lib/mailadm-cli-0.1.0-SNAPSHOT.jar")).exists();
        assertThat(home.resolve("systemd/mailadm.service")).exists();
        assertThat(home.resolve("systemd/mailadm-prune.timer")).exists();
        assertThat(home.resolve("examples/docker-compose.yml")).exists();
        assertThat(home.resolve("docs/configuration.md")).exists();
        assertThat(Files.readString(home.resolve("docs/nginx.md")))
                .as("examples/nginx-mailadm.conf is the site file docs/nginx.md explains")
                .contains(Files.readString(home.resolve("examples/nginx-mailadm.conf")));
        assertThat(Files.isExecutable(home.resolve("runtime/bin/java")))
                .as("its own Java runtime")
                .isTrue();
        assertThat(Files.readString(home.resolve("README.md")))
                .as("an operator's page, not the developers' README")
                .contains("./install.sh")
                .doesNotContain("./mvnw");
    }

    @Test
    void cliAndServer_createAnAccountAgainstMailcow(@TempDir Path data) throws Exception {
        Map<String, String> env = env(data);
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        // Where sqlite-jdbc would extract its library if the launcher did not point it at lib/native.
        env.put("MAILADM_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp + " -Dorg.sqlite.tmpdir=" + tmp);
        assertThat(mailadm(env, "--version").out()).contains("mailadm 0.1.0-SNAPSHOT");
        Proc.Result init = mailadm(env, Accounts.initArgs(mailcow));
        assertThat(init.code()).as(init.out()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("mailadm.db"))))
                .isEqualTo("rw-------");
        Proc.Result token = mailadm(env, "add-token", "oneday", "--expiry", "1d", "--prefix", "tmp.");
        assertThat(token.code()).as(token.out()).isZero();
        String secret = Accounts.secretFrom(token.out());
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("sqlite"));
        }

        env.put("MAILADM_PORT", "0"); // the server picks a port and says which: none is probed and handed on
        env.put("MAILADM_BIND", "127.0.0.1");
        try (Proc server =
                Proc.start(work, env, List.of(home.resolve("bin/mailadm-server").toString()))) {
            String listening = server.awaitLine(l -> l.contains("mailadm listening"), MINUTE);
            int port = Proc.listeningPort(listening);
            // One line says what runs where; no library announces itself.
            assertThat(listening)
                    .contains("version 0.1.0-SNAPSHOT")
                    .contains("endpoint /new_email")
                    .contains("database " + data.resolve("mailadm.db"))
                    .contains("mailcow " + mailcow.endpoint());
            assertThat(server.lines()).as("start-up output").hasSize(1);
            JsonNode json = Accounts.create("http://127.0.0.1:" + port + "/new_email?t=" + secret);
            assertThat(mailcow.hasMailbox(json.get("email").asText())).isTrue();
            assertThat(server.stop(MINUTE)).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(server.output()).as("graceful shutdown").contains("mailadm stopped");
            assertThat(server.output())
                    .doesNotContain(json.get("password").asText())
                    .doesNotContain(secret);
        }
        assertThat(mailadm(env, "list-users").out()).contains("tmp.");
    }

    @Test
    void server_answersHelpAndVersion_andRefusesArguments() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("MAILADM_JVM_CACHE", "0"));
        String server = home.resolve("bin/mailadm-server").toString();
        Proc.Result version = Proc.run(work, env, MINUTE, server, "--version");
        assertThat(version.code()).isZero();
        assertThat(version.out().strip()).isEqualTo("mailadm-server 0.1.0-SNAPSHOT");
        Proc.Result help = Proc.run(work, env, MINUTE, server, "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: mailadm-server").contains("MAILADM_DB");
        Proc.Result wrong = Proc.run(work, env, MINUTE, server, "-b", ":3691");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.out().strip()).hasLineCount(1).contains("unknown argument -b");
    }

    @Test
    void noJava21_saysSoAndWhatToInstall() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("MAILADM_JVM_DIRS", work.resolve("no-jvms").toString());
        env.put("JAVA_HOME", "");
        env.put("MAILADM_JAVA", "");
        // the archive's own runtime, if it was built with one, is what a broken copy would lack
        Path runtime = home.resolve("runtime");
        Path aside = home.resolve("runtime.aside");
        boolean bundled = Files.exists(runtime);
        if (bundled) {
            Files.move(runtime, aside);
        }
        try {
            Proc.Result r = mailadm(env, "--version");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("no Java 21 or newer found").contains("install one");
        } finally {
            if (bundled) {
                Files.move(aside, runtime);
            }
        }
    }

    @Test
    void classArchives_onePerRole_trainedInTheBackgroundAndReplacedWhenAJarChanges(@TempDir Path data)
            throws Exception {
        Map<String, String> env = env(data);
        Path cache = data.resolve("archive-cache");
        env.put("MAILADM_CACHE", cache.toString());
        long started = System.nanoTime();
        Proc.Result version = mailadm(env, "--version");
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        // Nothing but the answer: no JVM notice (the launcher turns Flight Recorder off for commands),
        // and no training inside the command (it runs in the background, the next command has it).
        assertThat(version.out().strip()).isEqualTo("mailadm 0.1.0-SNAPSHOT");
        List<Path> first = awaitArchives(cache, 1);
        assertThat(first).singleElement().asString().contains("mailadm-local-");
        assertThat(firstMs)
                .as("the first command did not wait for the training")
                .isLessThan(trainingMs);
        assertThat(mailadm(env, "--version").code()).isZero();
        assertThat(archives(cache)).isEqualTo(first);

        Path jar = home.resolve("lib/mailadm-core-0.1.0-SNAPSHOT.jar");
        FileTime before = Files.getLastModifiedTime(jar);
        try {
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(mailadm(env, "--version").out()).contains("mailadm 0.1.0-SNAPSHOT");
            List<Path> second = awaitArchives(cache, 1);
            assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
            assertThat(mailadm(env, "list-users", "--help").code()).isZero();
            Proc.Result web = mailadm(env, "web", "--help");
            assertThat(web.code()).as(web.out()).isZero();
            assertThat(awaitArchives(cache, 3))
                    .as("commands that call mailcow, and `web` (like the server and `demo`), have their own")
                    .hasSize(3)
                    .containsAll(second)
                    .anyMatch(p -> p.getFileName().toString().startsWith("mailadm-mailcow-"))
                    .anyMatch(p -> p.getFileName().toString().startsWith("mailadm-server-"));
        } finally {
            Files.setLastModifiedTime(jar, before);
        }
    }

    /**
     * The archive only speeds up the classes its training loaded: a command that talks to SQLite and
     * mailcow must find its classes there, not in the jars.
     */
    @Test
    void commandArchive_holdsTheClassesOfCommandsThatUseSqliteAndMailcow(@TempDir Path data) throws Exception {
        Map<String, String> env = env(data);
        Path cache = data.resolve("archive-cache");
        env.put("MAILADM_CACHE", cache.toString());
        assertThat(mailadm(env, Accounts.initArgs(mailcow)).code()).isZero();
        assertThat(mailadm(env, "add-token", "t", "--expiry", "1d", "--prefix", "tmp.")
                        .code())
                .isZero();
        // the first list-users has the mailcow role's archive trained in the background
        assertThat(mailadm(env, "list-users").code()).isZero();
        awaitArchives(cache, 2);
        Path log = data.resolve("classes.log");
        env.put("MAILADM_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        Proc.Result users = mailadm(env, "list-users");
        assertThat(users.code()).as(users.out()).isZero();
        assertThat(users.out()).as("no notice from SLF4J or the JVM").isEmpty();
        List<String> loaded = Files.readAllLines(log);
        for (String cls : List.of(
                "org.mailadm.sqlite.SqliteStorage",
                "org.mailadm.mailcow.MailcowMailProvider",
                "org.mailadm.cli.ListUsersCommand",
                "com.fasterxml.jackson.core.json.UTF8StreamJsonParser",
                "org.jdbi.v3.core.Jdbi")) {
            assertThat(loaded)
                    .as(cls + " comes from the archive")
                    .anyMatch(l -> l.contains(" " + cls + " source: shared objects file"));
        }
    }

    /** How long the local training took when the launcher was told to train in the foreground. */
    static long trainingMs;

    static void measureATrainingInTheForeground() throws Exception {
        Path cache = Files.createTempDirectory(work, "foreground-cache");
        Map<String, String> env = new HashMap<>(
                Map.of("MAILADM_CACHE", cache.toString(), "MAILADM_TRAIN", "foreground", "MAILADM_DB", "/nonexistent"));
        long started = System.nanoTime();
        assertThat(Proc.run(work, env, MINUTE, home.resolve("bin/mailadm").toString(), "--version")
                        .code())
                .isZero();
        trainingMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(archives(cache))
                .as("MAILADM_TRAIN=foreground trains before the command")
                .hasSize(1);
    }

    /** The archives once {@code n} are there: trainings run in the background, after the command. */
    private static List<Path> awaitArchives(Path cache, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (java.nio.file.WatchService events = cache.getFileSystem().newWatchService()) {
            // a training renames its archive into place and then removes its lock folder
            cache.register(
                    events,
                    java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                    java.nio.file.StandardWatchEventKinds.ENTRY_DELETE);
            while (System.nanoTime() < end) {
                List<Path> found = archives(cache);
                boolean training;
                try (Stream<Path> s = Files.list(cache)) {
                    training = s.anyMatch(p -> p.getFileName().toString().endsWith(".lock"));
                }
                if (found.size() >= n && !training) {
                    return found;
                }
                java.nio.file.WatchKey key = events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        throw new AssertionError("no " + n + " archives in " + cache + " within 3 minutes: " + archives(cache));
    }

    private static List<Path> archives(Path cache) throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("mailadm-(local|mailcow|server)-\\d+\\.(aot|jsa)"))
                    .toList();
        }
    }
}
