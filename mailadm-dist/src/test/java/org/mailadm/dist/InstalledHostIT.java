package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;

/**
 * The archive installed by install.sh on a host where no Java is visible, used as an operator does:
 * every command as the {@code mailadm} user, with the environment install.sh wrote, and nothing
 * but the tools of a minimal Debian on the PATH.
 */
class InstalledHostIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** The tools the launchers use; java is not one of them. */
    private static final List<String> TOOLS = List.of(
            "sh",
            "dash",
            "readlink",
            "dirname",
            "uname",
            "mktemp",
            "ls",
            "cksum",
            "rm",
            "mv",
            "mkdir",
            "id",
            "cat",
            "sed",
            "head",
            "setpriv",
            "env");

    @TempDir
    static Path root;

    @TempDir
    static Path logs;

    static Path prefix;
    static Path noJavaBin;
    static String uid;
    static String gid;
    static FakeMailcowServer mailcow;

    @BeforeAll
    static void install() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "install.sh creates a user and chowns: needs root");
        Path dist = Path.of(System.getProperty("mailadm.dist"));
        assumeTrue(Files.exists(dist.resolve("runtime/bin/java")), "the archive was built without its runtime");
        // @TempDir is 0700; an installed host's / is not
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        FakeRoot.etc(root);
        Proc.Result installed = Proc.run(dist, Map.of(), MINUTE, "sh", "install.sh", "--root", root.toString());
        assertThat(installed.code()).as(installed.out()).isZero();
        prefix = root.resolve("opt/mailadm");
        String[] user = Files.readString(root.resolve("etc/passwd"))
                .lines()
                .filter(l -> l.startsWith("mailadm:"))
                .findFirst()
                .orElseThrow()
                .split(":");
        uid = user[2];
        gid = user[3];
        // The installed env file, relocated into the temporary root.
        Path env = root.resolve("etc/mailadm/mailadm.env");
        Files.writeString(
                env,
                Files.readString(env)
                        .replace(
                                "/var/lib/mailadm",
                                root.resolve("var/lib/mailadm").toString())
                        .replace("MAILADM_PORT=3691", "MAILADM_PORT=0"));
        noJavaBin = Files.createDirectories(root.resolve("nojava-bin"));
        for (String tool : TOOLS) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(noJavaBin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        mailcow = new FakeMailcowServer().start();
    }

    @AfterAll
    static void stopMailcow() {
        if (mailcow != null) {
            mailcow.close();
        }
    }

    /** The environment of a shell on the installed host: no Java anywhere the launcher looks. */
    private static Map<String, String> hostEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", noJavaBin.toString());
        env.put("MAILADM_JVM_DIRS", root.resolve("no-jvms").toString());
        env.put("MAILADM_CONFIG", root.resolve("etc/mailadm/mailadm.env").toString());
        // the user exists in the temporary root only: the commands are started as it below
        env.put("MAILADM_USER", "");
        env.put("MAILADM_JVM_CACHE", "0");
        env.put("HOME", root.resolve("var/lib/mailadm").toString());
        return env;
    }

    /** Runs an installed program as the mailadm user, in {@code dir}. */
    private static Proc.Result asMailadm(Path dir, String program, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                "--clear-groups",
                prefix.resolve("bin/" + program).toString()));
        command.addAll(List.of(args));
        return Proc.runClean(dir, hostEnv(), MINUTE, logs, command.toArray(String[]::new));
    }

    @Test
    void withoutJavaOnTheHost_everyStepRunsAsTheMailadmUser() throws Exception {
        Path data = root.resolve("var/lib/mailadm");
        Proc.Result version = asMailadm(data, "mailadm", "--version");
        assertThat(version.code()).as(version.out()).isZero();
        assertThat(version.out()).contains("mailadm 0.1.0-SNAPSHOT");

        // The control: without the bundled runtime, this host has no Java for mailadm.
        Path runtime = prefix.resolve("runtime");
        Path aside = prefix.resolve("runtime.aside");
        Files.move(runtime, aside);
        try {
            Proc.Result none = asMailadm(data, "mailadm", "--version");
            assertThat(none.code()).isEqualTo(1);
            assertThat(none.out()).contains("no Java 21 or newer found");
        } finally {
            Files.move(aside, runtime);
        }

        Proc.Result init = asMailadm(data, "mailadm", Accounts.initArgs(mailcow));
        assertThat(init.code()).as(init.out()).isZero();
        Path db = data.resolve("mailadm.db");
        assertThat(Files.getAttribute(db, "unix:uid")).isEqualTo(Integer.parseInt(uid));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rw-------");

        Proc.Result token = asMailadm(data, "mailadm", "add-token", "oneday", "--expiry", "1d", "--prefix", "tmp.");
        assertThat(token.code()).as(token.out()).isZero();
        String secret = Accounts.secretFrom(token.out());

        // gen-qr where the mailadm user cannot write: one clear line, and the way out.
        Proc.Result qr = asMailadm(prefix, "mailadm", "gen-qr", "oneday");
        assertThat(qr.code()).isEqualTo(1);
        assertThat(qr.out()).contains("permission denied").contains("--output").doesNotContain("Exception");

        List<String> server = List.of(
                "/usr/bin/setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                "--clear-groups",
                prefix.resolve("bin/mailadm-server").toString());
        try (Proc p = Proc.startClean(data, hostEnv(), server, logs)) {
            int port = Proc.listeningPort(p.awaitLine(l -> l.contains("listening on"), MINUTE));
            JsonNode account = Accounts.create("http://127.0.0.1:" + port + "/new_email?t=" + secret);
            assertThat(account.get("email").asText()).startsWith("tmp.").endsWith("@example.org");
            assertThat(mailcow.hasMailbox(account.get("email").asText())).isTrue();
            assertThat(p.stop(MINUTE)).as("exit code after SIGTERM").isIn(0, 143);
        }
    }

    @Test
    void theCronLineOfTheDocs_runsWithCronsEnvironment() throws Exception {
        Path data = root.resolve("var/lib/mailadm");
        if (!Files.exists(data.resolve("mailadm.db"))) {
            assertThat(asMailadm(data, "mailadm", Accounts.initArgs(mailcow)).code())
                    .isZero();
        }
        Path docs = Path.of(System.getProperty("mailadm.repo")).resolve("docs/prune-schedule.md");
        String line = Files.readString(docs)
                .lines()
                .filter(l -> l.startsWith("0 * * * * mailadm /"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cron line for the installed archive in " + docs));
        String command = line.substring("0 * * * * mailadm ".length()).replace("/opt/mailadm", prefix.toString());
        // cron runs it with PATH=/usr/bin:/bin and little else; MAILADM_CONFIG only relocates the
        // env file into the temporary root
        Proc.Result r = Proc.runClean(
                data,
                Map.of(
                        "PATH", "/usr/bin:/bin",
                        "MAILADM_CONFIG",
                                root.resolve("etc/mailadm/mailadm.env").toString(),
                        "MAILADM_USER", "",
                        "MAILADM_JVM_CACHE", "0",
                        "HOME", data.toString()),
                MINUTE,
                logs,
                "/usr/bin/setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                "--clear-groups",
                "/bin/sh",
                "-c",
                command);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("nothing to prune");
    }

    @Test
    void runByRoot_runsAsMAILADM_USER_soItsFilesAreThatUsers() throws Exception {
        // The host's own unprivileged user stands in for mailadm (which exists in the temporary root only).
        Path folder = Files.createDirectories(root.resolve("nobody-data"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path env = Files.writeString(
                root.resolve("nobody.env"), "MAILADM_DB=" + folder.resolve("mailadm.db") + "\nMAILADM_USER=nobody\n");
        Map<String, String> asRoot = new HashMap<>(hostEnv());
        asRoot.remove("MAILADM_USER");
        asRoot.put("MAILADM_CONFIG", env.toString());
        Proc.Result init = Proc.runClean(
                folder,
                asRoot,
                MINUTE,
                logs,
                Accounts.initArgs(mailcow, prefix.resolve("bin/mailadm").toString()));
        assertThat(init.code()).as(init.out()).isZero();
        int nobody = Integer.parseInt(
                Proc.run(folder, Map.of(), MINUTE, "id", "-u", "nobody").out().strip());
        assertThat(Files.getAttribute(folder.resolve("mailadm.db"), "unix:uid")).isEqualTo(nobody);
    }
}
