package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;

/**
 * The Debian package installed with dpkg into a temporary root (dpkg --root; its maintainer script
 * runs outside a chroot with DPKG_ROOT, as dpkg supports), then upgraded in place.
 */
class DebPackageIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path root;

    @TempDir
    Path logs;

    private Proc.Result dpkg(Path deb) throws Exception {
        // The temporary root has no packages: its dependencies (passwd, util-linux) are the host's.
        return Proc.run(
                root,
                Map.of(),
                MINUTE,
                "dpkg",
                "--root=" + root,
                "--force-script-chrootless",
                "--force-depends",
                "--force-confold",
                "--log=" + logs.resolve("dpkg.log"),
                "-i",
                deb.toString());
    }

    private String installedVersion() throws Exception {
        return Proc.run(
                        root,
                        Map.of(),
                        MINUTE,
                        "dpkg-query",
                        "--admindir=" + root.resolve("var/lib/dpkg"),
                        "-W",
                        "-f=${Version}",
                        "mailadm")
                .out()
                .strip();
    }

    @Test
    void installsLikeInstallSh_thenUpgradesKeepingConfigAndDatabase() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg --root and a system user: needs root");
        Path deb = Path.of(System.getProperty("mailadm.deb"));
        assumeTrue(Files.exists(Path.of("/usr/bin/dpkg-deb")), "dpkg-deb is not installed");
        assertThat(deb).as("the build made the .deb").exists();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        FakeRoot.etc(root);
        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        Files.writeString(admin.resolve("status"), "");
        Files.writeString(admin.resolve("available"), "");

        Proc.Result first = dpkg(deb);
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(installedVersion()).isEqualTo("0.1.0~snapshot-1");

        Path prefix = root.resolve("opt/mailadm");
        assertThat(Files.isExecutable(prefix.resolve("runtime/bin/java"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/mailadm")))
                .isEqualTo(Path.of("/opt/mailadm/bin/mailadm"));
        assertThat(Files.readString(root.resolve("lib/systemd/system/mailadm.service")))
                .contains("ExecStart=/opt/mailadm/bin/mailadm-server")
                .doesNotContain("@PREFIX@");
        String[] user = Files.readString(root.resolve("etc/passwd"))
                .lines()
                .filter(l -> l.startsWith("mailadm:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mailadm user:\n" + first.out()))
                .split(":");
        assertThat(Integer.parseInt(user[2])).as("a system user").isBetween(1, 999);
        Path data = root.resolve("var/lib/mailadm");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(Integer.parseInt(user[2]));
        Path env = root.resolve("etc/mailadm/mailadm.env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
                .isEqualTo("rw-r-----");

        // The operator's setup: a changed env file, and a database made as the mailadm user.
        Files.writeString(
                env,
                Files.readString(env)
                        .replace("MAILADM_PORT=3691", "MAILADM_PORT=4000")
                        .replace("/var/lib/mailadm", data.toString()));
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            List<String> asMailadm = List.of(
                    "/usr/bin/setpriv",
                    "--reuid=" + user[2],
                    "--regid=" + user[3],
                    "--clear-groups",
                    prefix.resolve("bin/mailadm").toString());
            Map<String, String> shell = Map.of(
                    "PATH", "/usr/bin:/bin",
                    "MAILADM_CONFIG", env.toString(),
                    "MAILADM_USER", "",
                    "MAILADM_JVM_CACHE", "0",
                    "HOME", data.toString());
            String[] init = java.util.stream.Stream.concat(
                            asMailadm.stream(), List.of(Accounts.initArgs(mailcow)).stream())
                    .toArray(String[]::new);
            Proc.Result made = Proc.runClean(data, shell, MINUTE, logs, init);
            assertThat(made.code()).as(made.out()).isZero();
        }
        assertThat(data.resolve("mailadm.db")).exists();

        // An upgrade: the next revision of the same package, installed over it.
        Path next = logs.resolve("mailadm-next.deb");
        Proc.Result built = Proc.run(
                logs,
                Map.of(),
                MINUTE,
                "bash",
                System.getProperty("mailadm.deb.builder"),
                System.getProperty("mailadm.dist"),
                next.toString(),
                "0.1.0-SNAPSHOT",
                "2");
        assertThat(built.code()).as(built.out()).isZero();
        Proc.Result upgrade = dpkg(next);
        assertThat(upgrade.code()).as(upgrade.out()).isZero();
        assertThat(installedVersion()).isEqualTo("0.1.0~snapshot-2");
        assertThat(Files.readString(env)).as("the operator's env file").contains("MAILADM_PORT=4000");
        assertThat(data.resolve("mailadm.db")).as("the database").exists();
        assertThat(Files.readString(root.resolve("etc/passwd")).lines().filter(l -> l.startsWith("mailadm:")))
                .hasSize(1);
    }
}
