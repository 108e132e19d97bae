package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install.sh from the unpacked archive, into a temporary root: what it installs and with which modes. */
class InstallScriptIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path target;

    static Path dist;

    @BeforeAll
    static void prepareRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "install.sh creates a user and chowns: needs root");
        dist = Path.of(System.getProperty("mailadm.dist"));
        FakeRoot.etc(target);
    }

    private static Proc.Result install() throws Exception {
        return Proc.run(
                dist, Map.of(), MINUTE, "sh", dist.resolve("install.sh").toString(), "--root", target.toString());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void installsFilesUserFoldersAndUnits_andCanBeRunAgain() throws Exception {
        Proc.Result first = install();
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(first.out()).contains("systemctl enable --now mailadm.service mailadm-prune.timer");

        Path prefix = target.resolve("opt/mailadm");
        assertThat(Files.isExecutable(prefix.resolve("bin/mailadm"))).isTrue();
        assertThat(prefix.resolve("lib/native/Linux/x86_64/libsqlitejdbc.so")).exists();
        assertThat(Files.readSymbolicLink(target.resolve("usr/local/bin/mailadm")))
                .isEqualTo(Path.of("/opt/mailadm/bin/mailadm"));

        String passwd = Files.readString(target.resolve("etc/passwd"));
        assertThat(passwd).containsPattern("(?m)^mailadm:x:\\d+:\\d+:mailadm:/var/lib/mailadm:/usr/sbin/nologin$");
        int uid = Integer.parseInt(passwd.lines()
                .filter(l -> l.startsWith("mailadm:"))
                .findFirst()
                .orElseThrow()
                .split(":")[2]);
        assertThat(uid).as("a system user").isLessThan(1000).isGreaterThan(0);

        Path data = target.resolve("var/lib/mailadm");
        assertThat(mode(data)).isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(uid);
        Path env = target.resolve("etc/mailadm/mailadm.env");
        assertThat(mode(env)).isEqualTo("rw-r-----");
        assertThat(Files.readString(env)).contains("MAILADM_DB=/var/lib/mailadm/mailadm.db");

        Path units = target.resolve("etc/systemd/system");
        String service = Files.readString(units.resolve("mailadm.service"));
        assertThat(service)
                .doesNotContain("@PREFIX@")
                .contains("ExecStart=/opt/mailadm/bin/mailadm-server")
                .contains("User=mailadm")
                .contains("UMask=0077");
        assertThat(Files.readString(units.resolve("mailadm-prune.service")))
                .contains("ExecStart=/opt/mailadm/bin/mailadm prune");
        assertThat(Files.readString(units.resolve("mailadm-prune.timer"))).contains("OnCalendar=hourly");

        // The installed launcher runs from its new place.
        Proc.Result version = Proc.run(
                target,
                Map.of("MAILADM_JVM_CACHE", "0"),
                MINUTE,
                prefix.resolve("bin/mailadm").toString(),
                "--version");
        assertThat(version.out()).contains("mailadm 0.1.0-SNAPSHOT");

        // Again: same user, the operator's env file kept.
        Files.writeString(env, "MAILADM_PORT=4000\n", java.nio.file.StandardOpenOption.APPEND);
        Proc.Result second = install();
        assertThat(second.code()).as(second.out()).isZero();
        assertThat(Files.readString(target.resolve("etc/passwd")).lines().filter(l -> l.startsWith("mailadm:")))
                .hasSize(1);
        assertThat(Files.readString(env)).contains("MAILADM_PORT=4000");
    }

    @Test
    void aPrefixHoldingOtherSoftware_isRefusedAndKept(@TempDir Path other) throws Exception {
        Path tool = Files.createDirectories(other.resolve("usr/local/bin")).resolve("othertool");
        Files.writeString(tool, "#!/bin/sh\n");
        FakeRoot.etc(other);
        Proc.Result r = Proc.run(
                dist,
                Map.of(),
                MINUTE,
                "sh",
                dist.resolve("install.sh").toString(),
                "--root",
                other.toString(),
                "--prefix",
                "/usr/local");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("is not a mailadm installation");
        assertThat(tool).exists();
    }

    @Test
    void unknownOption_isAUsageError() throws Exception {
        Proc.Result r = Proc.run(
                dist, Map.of(), MINUTE, "sh", dist.resolve("install.sh").toString(), "--prefx", "/x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("unknown option --prefx");
    }
}
