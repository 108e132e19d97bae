package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The container image from the build's tar, unpacked layer by layer and started through its own
 * entry point under chroot as its own user (uid 1000), the way a container runtime would, with a
 * host folder mounted as the data volume. Needs root for chroot and mounts (CI has it).
 */
class ImageIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Path root;
    static JsonNode config;
    static Path volume;
    static FakeMailcowServer mailcow;
    static final List<Path> mounts = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        assumeFalse(Boolean.getBoolean("mailadm.image.skip"), "image not built (-Dmailadm.image.skip=true)");
        Path tar = Path.of(System.getProperty("mailadm.image.tar"));
        assertThat(tar).exists();
        Path x = Files.createDirectories(work.resolve("x"));
        root = Files.createDirectories(work.resolve("root"));
        check(Proc.run(work, Map.of(), MINUTE, "tar", "-xf", tar.toString(), "-C", x.toString()));
        JsonNode manifest = JSON.readTree(x.resolve("manifest.json").toFile()).get(0);
        for (JsonNode layer : manifest.get("Layers")) {
            check(Proc.run(
                    work,
                    Map.of(),
                    MINUTE,
                    "tar",
                    "--warning=no-unknown-keyword",
                    "-xzf",
                    x.resolve(layer.asText()).toString(),
                    "-C",
                    root.toString()));
        }
        config = JSON.readTree(x.resolve(manifest.get("Config").asText()).toFile())
                .get("config");
        mailcow = new FakeMailcowServer().start();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (int i = mounts.size() - 1; i >= 0; i--) {
            Proc.run(work, Map.of(), MINUTE, "umount", "-l", mounts.get(i).toString());
        }
        if (mailcow != null) {
            mailcow.close();
        }
    }

    private static void check(Proc.Result r) {
        assertThat(r.code()).as(r.out()).isZero();
    }

    private static void mountForRuntime() throws Exception {
        if (!mounts.isEmpty()) {
            return;
        }
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "chroot and mounts need root; the image's configuration was still checked");
        volume = Files.createDirectories(work.resolve("docker-data"));
        check(Proc.run(work, Map.of(), MINUTE, "chown", "1000:1000", volume.toString()));
        mount(root.resolve("dev"), "--bind", "/dev");
        mount(root.resolve("proc"), "-t", "proc", "proc");
        mount(root.resolve("mailadm/docker-data"), "--bind", volume.toString());
    }

    private static void mount(Path target, String... how) throws Exception {
        Files.createDirectories(target);
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(how));
        cmd.add(target.toString());
        check(Proc.run(work, Map.of(), MINUTE, cmd.toArray(String[]::new)));
        mounts.add(target);
    }

    /** The image's environment, as a runtime sets it, plus these variables. */
    private static Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : config.get("Env")) {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        }
        env.putAll(more);
        return env;
    }

    /** chroot as the image's user, in its working directory, through its entry point. */
    private static List<String> inImage(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                "chroot",
                "--userspec=" + config.get("User").asText(),
                root.toString(),
                "/bin/sh",
                "-c",
                "cd \"$0\" && exec \"$@\"",
                config.get("WorkingDir").asText()));
        config.get("Entrypoint").forEach(e -> cmd.add(e.asText()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Proc.Result run(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(inImage(args)).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env(Map.of()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Proc.Result(p.exitValue(), out);
    }

    @Test
    void configuration_matchesTheOriginalsUsage() {
        assertThat(config.get("User").asText()).isEqualTo("1000:1000");
        assertThat(config.get("ExposedPorts").has("3691/tcp")).isTrue();
        assertThat(config.get("Env").toString()).contains("MAILADM_DB=/mailadm/docker-data/mailadm.db");
        assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("/opt/mailadm/bin/docker-entrypoint");
        assertThat(root.resolve("opt/java/bin/java")).exists();
        assertThat(root.resolve("bin/sh")).exists();
        assertThat(root.resolve("opt/mailadm/native/libsqlitejdbc.so")).exists();
    }

    @Test
    void entrypoint_versionInitTokenQrAndAnAccountOverHttp() throws Exception {
        mountForRuntime();
        Proc.Result version = run("mailadm", "--version");
        assertThat(version.out()).as(version.out()).contains("mailadm 0.1.0-SNAPSHOT");
        check(run(Accounts.initArgs(mailcow, "mailadm")));
        Path db = volume.resolve("mailadm.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rw-------");
        assertThat(Files.getAttribute(db, "unix:uid"))
                .as("owned by the image's user")
                .isEqualTo(1000);
        Proc.Result token = run("mailadm", "add-token", "oneday", "--expiry", "1d", "--prefix", "tmp.");
        check(token);
        String secret = Accounts.secretFrom(token.out());
        check(run("mailadm", "gen-qr", "oneday"));
        assertThat(volume.resolve("dcaccount-example.org-oneday.png")).exists();

        try (Proc server = Proc.start(work, env(Map.of("MAILADM_PORT", "0")), inImage())) {
            int port = Proc.listeningPort(server.awaitLine(l -> l.contains("mailadm listening"), MINUTE));
            JsonNode json = Accounts.create("http://127.0.0.1:" + port + "/new_email?t=" + secret);
            assertThat(mailcow.hasMailbox(json.get("email").asText())).isTrue();
            int code = server.stop(MINUTE);
            assertThat(server.output()).as("exit %d", code).contains("mailadm stopped");
            assertThat(code).as("exit after SIGTERM").isIn(0, 143);
        }
    }
}
