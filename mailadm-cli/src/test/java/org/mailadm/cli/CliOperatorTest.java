package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;

/** The commands and options of issue 7, end to end against the fake mailcow. */
class CliOperatorTest {
    @TempDir
    Path dir;

    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir).initialized();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    private static JsonNode json(String out) throws Exception {
        return new ObjectMapper().readTree(out);
    }

    private String created(String out) {
        return out.substring("Created ".length(), out.indexOf(" with password"));
    }

    @Test
    void tokenSettings_shownOnlyWhenSet_andChangeable() throws Exception {
        cli.ok("add-token", "plain", "--token", "1d_plainplainplain");
        assertThat(cli.ok("list-tokens")).doesNotContain("valid_until").doesNotContain("grace =");

        String out = cli.ok(
                "add-token",
                "event",
                "--valid-from",
                "2026-12-01",
                "--valid-until",
                "2026-12-31",
                "--grace",
                "7d",
                "--quota",
                "500M");
        assertThat(out)
                .contains("  valid_from = 2026-12-01T00:00:00Z\n")
                .contains("  valid_until = 2027-01-01T00:00:00Z\n")
                .contains("  grace = 7d\n")
                .contains("  quota = 500M\n");
        JsonNode j = json(cli.ok("mod-token", "event", "--valid-until", "none", "--quota", "2G", "--json"));
        assertThat(j.get("valid_until").isNull()).isTrue();
        assertThat(j.get("valid_from").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(j.get("quota_mib").asInt()).isEqualTo(2048);
        assertThat(j.get("grace").asText()).isEqualTo("7d");
    }

    @Test
    void badTokenSettings_clearErrors_nothingStored() {
        assertThat(cli.fail(1, "add-token", "x", "--valid-until", "31.12.2026")).contains("use 2026-12-31");
        assertThat(cli.fail(1, "add-token", "x", "--valid-from", "2027-01-01", "--valid-until", "2026-12-31"))
                .contains("--valid-from must be before --valid-until");
        assertThat(cli.fail(1, "add-token", "x", "--quota", "lots")).contains("invalid quota 'lots'");
        assertThat(cli.fail(1, "add-token", "x", "--grace", "never")).contains("use a duration");
        assertThat(cli.ok("list-tokens")).doesNotContain("token:x");
    }

    @Test
    void addUser_withATokenOutsideItsWindow_saysWhyAndHowToChangeIt() {
        cli.ok("add-token", "old", "--token", "1d_oldoldoldoldold", "--prefix", "old.", "--valid-until", "2001-01-01");
        assertThat(cli.fail(1, "add-user", "old.alice@example.org"))
                .contains("token 'old' is no longer valid (--valid-until 2001-01-02T00:00:00Z)")
                .contains("mailadm mod-token old");
        assertThat(cli.mailcow.hasMailbox("old.alice@example.org")).isFalse();
    }

    @Test
    void rotateToken_newSecretPrinted_oldOneGone_auditSaysSo() throws Exception {
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk");
        String out = cli.ok("rotate-token", "oneday");
        assertThat(out)
                .contains("token:oneday")
                .doesNotContain("1d_r84EW3N8hEKk")
                .contains("The old secret no longer works");
        assertThat(out).containsPattern("token = 1d_[a-z0-9]{15}");
        assertThat(cli.ok("list-tokens")).doesNotContain("1d_r84EW3N8hEKk");
        assertThat(cli.fail(1, "rotate-token", "nosuch")).contains("does not exist");
        assertThat(cli.ok("audit"))
                .contains("token.rotated oneday [oneday]: ok")
                .doesNotContain("1d_");
    }

    @Test
    void addUserQr_printsAndWritesADcloginCodeReadableByOwnerOnly() throws Exception {
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk");
        Path png = dir.resolve("alice.png");
        String out = cli.ok(
                "add-user", "tmp.alice@example.org", "--password", "se+cret&pw", "--qr", "--qr-output", png.toString());
        assertThat(out).contains("█").contains("QR code written to " + png);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(png)))
                .isEqualTo("rw-------");
        var image = ImageIO.read(png.toFile());
        String text = new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
        assertThat(text).isEqualTo("dclogin:tmp.alice@example.org?p=se%2Bcret%26pw&v=1");
        assertThat(URLDecoder.decode(
                        text.substring(text.indexOf("p=") + 2, text.indexOf("&v=")), StandardCharsets.UTF_8))
                .isEqualTo("se+cret&pw");
        assertThat(json(cli.ok("add-user", "tmp.bob@example.org", "--json"))
                        .get("dclogin")
                        .asText())
                .startsWith("dclogin:tmp.bob@example.org?p=");
    }

    @Test
    void grace_pruneDisables_restoreBringsBack_thenPruneDeletesLater() throws Exception {
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk", "--grace", "7d");
        String addr = created(cli.ok("add-user", "tmp.alice@example.org"));
        cli.clock.advance(Duration.ofDays(2));

        String pruned = cli.ok("prune");
        assertThat(pruned).contains("disabled " + addr + " (token oneday)").contains("mailadm restore " + addr);
        assertThat(cli.mailcow.isActive(addr)).isFalse();
        assertThat(cli.ok("list-users")).contains(addr + " [oneday] (disabled ");

        assertThat(cli.ok("restore", addr)).contains("restored " + addr);
        assertThat(cli.mailcow.isActive(addr)).isTrue();
        assertThat(cli.fail(1, "restore", addr)).contains("is not disabled");

        cli.clock.advance(Duration.ofDays(2));
        cli.ok("prune");
        cli.clock.advance(Duration.ofDays(8));
        assertThat(cli.ok("prune")).contains("pruned " + addr);
        assertThat(cli.mailcow.hasMailbox(addr)).isFalse();
        assertThat(cli.fail(1, "restore", addr)).contains("is not a mailadm account");
        assertThat(cli.ok("audit", "--token", "oneday"))
                .contains("account.disabled " + addr)
                .contains("account.restored " + addr)
                .contains("account.pruned " + addr);
    }

    @Test
    void reconcile_reportsThenFixesWhatIsSafe() throws Exception {
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk");
        String gone = created(cli.ok("add-user", "tmp.gone@example.org"));
        String fine = created(cli.ok("add-user", "tmp.fine@example.org"));
        cli.mailcow.removeMailbox(gone);
        cli.mailcow.putMailbox(
                "tmp.orphan@example.org", "Aa1-xxxxxxxxxxxxxxxxxxxxxxxxxx", java.util.List.of("mailadm:oneday"));
        cli.clock.advance(Duration.ofMinutes(6)); // past the in-flight window: accounts that young are left alone

        CliHarness.Result look = cli.run("reconcile");
        assertThat(look.code()).isEqualTo(1);
        assertThat(look.out())
                .contains("no mailbox " + gone + " [oneday]: gone from mailcow; --fix removes the row")
                .contains("untracked tmp.orphan@example.org [oneday]");
        assertThat(cli.ok("list-users")).contains(gone);

        JsonNode fixed = json(cli.run("reconcile", "--fix", "--json").out());
        assertThat(fixed.get("without_mailbox").get(0).get("address").asText()).isEqualTo(gone);
        assertThat(cli.ok("list-users")).doesNotContain(gone + " [").contains(fine);
        assertThat(cli.mailcow.hasMailbox("tmp.orphan@example.org")).isTrue();
    }

    @Test
    void audit_filtersAndJson_neverASecret() throws Exception {
        cli.ok("add-token", "oneday", "--token", "1d_r84EW3N8hEKk");
        cli.ok("add-token", "other", "--token", "1d_otherotherother");
        cli.clock.advance(Duration.ofDays(3));
        cli.ok("add-user", "tmp.alice@example.org", "--password", "Secret-Pw-1234567890");
        assertThat(cli.ok("audit", "--since", "1d"))
                .contains("account.created tmp.alice@example.org")
                .doesNotContain("token.added");
        JsonNode all = json(cli.ok("audit", "--token", "other", "--json"));
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("actor").asText()).startsWith("cli:");
        assertThat(all.get(0).get("action").asText()).isEqualTo("token.added");
        assertThat(cli.ok("audit") + cli.ok("audit", "--json"))
                .doesNotContain("Secret-Pw")
                .doesNotContain("1d_r84EW3N8hEKk")
                .doesNotContain(FakeMailcowServer.RW_KEY);
        assertThat(cli.fail(2, "audit", "--since", "last week")).contains("invalid --since");
    }
}
