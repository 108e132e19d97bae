package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.Fixtures;

class CliTest {
    @TempDir
    Path dir;

    CliHarness cli;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir);
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    // ---- init / config

    @Test
    void init_thenConfig_masksTheApiKey() {
        String out = cli.initialized().ok("config");
        assertThat(out).contains("** mailadm database path: " + cli.db);
        assertThat(out).containsPattern("mail_domain +example.org");
        assertThat(out).containsPattern("web_endpoint +https://mailadm.example.org/new_email");
        assertThat(out).containsPattern("dbversion +4");
        assertThat(out).doesNotContain(FakeMailcowServer.RW_KEY).contains("0001");
    }

    @Test
    void init_readsEnvironmentVariables_andCanBeRerun() {
        cli.env.put("WEB_ENDPOINT", "https://a.example.org/new_email");
        cli.env.put("MAIL_DOMAIN", "Example.ORG");
        cli.env.put("MAILCOW_ENDPOINT", cli.mailcow.endpoint().toString());
        cli.env.put("MAILCOW_TOKEN", FakeMailcowServer.RW_KEY);
        assertThat(cli.ok("init")).isEqualTo("initializing database " + cli.db + "\n");
        cli.ok("init", "--web-endpoint", "https://b.example.org/new_email");
        assertThat(cli.ok("config"))
                .contains("https://b.example.org/new_email")
                .containsPattern("mail_domain +example.org");
    }

    @Test
    void init_validatesWhatItStores() {
        assertThat(cli.fail(
                        1,
                        "init",
                        "--web-endpoint",
                        "mailadm.example.org/new_email",
                        "--mail-domain",
                        "example.org",
                        "--mailcow-endpoint",
                        "https://m.example.org/api/v1/",
                        "--mailcow-token",
                        "K"))
                .contains("web endpoint")
                .contains("absolute")
                .contains("nothing was written");
        assertThat(cli.fail(
                        1,
                        "init",
                        "--web-endpoint",
                        "https://x.org/n",
                        "--mail-domain",
                        "not a domain",
                        "--mailcow-endpoint",
                        "https://m.example.org/api/v1/",
                        "--mailcow-token",
                        "K"))
                .contains("invalid domain");
        assertThat(cli.fail(
                        1,
                        "init",
                        "--web-endpoint",
                        "https://x.org/n",
                        "--mail-domain",
                        "example.org",
                        "--mailcow-endpoint",
                        "https://m.example.org/api/v1/"))
                .contains("missing --mailcow-token: give it or set MAILCOW_TOKEN");
        assertThat(Files.exists(cli.db)).isFalse();
    }

    @Test
    void init_warnsLoudlyAboutHttpEndpoints() {
        CliHarness.Result r = cli.run(
                "init",
                "--web-endpoint",
                "http://mailadm.example.org/new_email",
                "--mail-domain",
                "example.org",
                "--mailcow-endpoint",
                cli.mailcow.endpoint().toString(),
                "--mailcow-token",
                "K");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("WARNING").contains("Delta Chat only follows https://");
    }

    @Test
    void uninitializedDatabase_saysToRunInit() {
        org.mailadm.sqlite.SqliteStorage.open(cli.db, cli.clock);
        assertThat(cli.fail(1, "list-tokens"))
                .isEqualTo("error: database " + cli.db + " is not initialized: run `mailadm init`\n");
    }

    @Test
    void missingDatabase_isNotCreatedByAccident() {
        assertThat(cli.fail(1, "list-users")).contains("database " + cli.db + " does not exist: run `mailadm init`");
        assertThat(Files.exists(cli.db)).isFalse();
    }

    @Test
    void noMailadmDb_andNoDefault_namesTheVariable() {
        cli.env.remove("MAILADM_DB");
        assertThat(cli.fail(1, "list-tokens")).contains("MAILADM_DB is not set");
    }

    // ---- tokens

    @Test
    void addToken_printsTheOriginalLayout() {
        cli.initialized();
        assertThat(cli.ok("add-token", "oneday", "--expiry", "1d", "--prefix=tmp.", "--token", "1d_r84EW3N8hEKk"))
                .isEqualTo("""
                        token:oneday
                          prefix = tmp.
                          expiry = 1d
                          maxuse = 50
                          usecount = 0
                          token = 1d_r84EW3N8hEKk
                          https://mailadm.example.org/new_email?t=1d_r84EW3N8hEKk&n=oneday
                          DCACCOUNT:https://mailadm.example.org/new_email?t=1d_r84EW3N8hEKk&n=oneday
                        """);
    }

    @Test
    void addToken_defaultsAndGeneratedSecret() {
        cli.initialized();
        String out = cli.ok("add-token", "t1");
        assertThat(out).contains("prefix = tmp.").contains("expiry = 1d").contains("maxuse = 50");
        assertThat(out).containsPattern("token = 1d_[2345789acdefghjkmnpqrstuvwxyz]{15}\n");
    }

    @Test
    void addToken_refusals() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        assertThat(cli.fail(1, "add-token", "oneday")).contains("token 'oneday' exists already");
        assertThat(cli.fail(1, "add-token", "bad/name")).contains("no /, ?, %, or # allowed in the token name");
        assertThat(cli.fail(1, "add-token", ".dot")).contains("must not start with a dot");
        assertThat(cli.fail(1, "add-token", "x", "--expiry", "3x"))
                .contains("invalid expiry '3x'")
                .contains("w (weeks)");
        assertThat(cli.fail(1, "add-token", "x", "--maxuse", "-1")).contains("--maxuse must not be negative");
        assertThat(cli.fail(1, "add-token", "x", "--prefix", "a b")).contains("invalid prefix");
        assertThat(cli.fail(2, "add-token", "x", "--maxuse", "many")).contains("--maxuse");
        assertThat(cli.fail(2, "add-token")).contains("expected exactly one token NAME");
        assertThat(cli.fail(2, "add-token", "a", "b")).contains("expected exactly one token NAME");
        assertThat(cli.ok("list-tokens")).contains("token:oneday").doesNotContain("token:x");
    }

    @Test
    void modToken_changesOnlyGivenFields_andKeepsUseCount() {
        cli.initialized();
        cli.ok("add-token", "oneweek", "--expiry", "1w", "--maxuse", "10", "--prefix", "tmpw.");
        cli.ok("add-user", "tmpw.fix02@example.org");
        cli.ok("add-user", "tmpw.fix03@example.org");
        String out = cli.ok("mod-token", "oneweek", "--maxuse", "20");
        assertThat(out)
                .contains("maxuse = 20")
                .contains("usecount = 2")
                .contains("prefix = tmpw.")
                .contains("expiry = 1w");
        assertThat(cli.fail(1, "mod-token", "nosuch", "--maxuse", "1")).contains("token 'nosuch' does not exist");
    }

    @Test
    void delToken_withAccounts_refusedUnlessForced() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        cli.ok("add-user", "tmp.abcde@example.org");
        assertThat(cli.fail(1, "del-token", "oneday"))
                .contains("still has 1 accounts")
                .contains("--force")
                .contains("--maxuse 0");
        assertThat(cli.mailcow.hasMailbox("tmp.abcde@example.org")).isTrue();
        assertThat(cli.ok("del-token", "oneday", "--force")).isEqualTo("deleted token oneday and its 1 accounts\n");
        assertThat(cli.mailcow.hasMailbox("tmp.abcde@example.org")).isFalse();
        assertThat(cli.ok("list-users")).isEmpty();
        assertThat(cli.fail(1, "del-token", "oneday")).contains("does not exist");
        cli.ok("add-token", "empty");
        assertThat(cli.ok("del-token", "empty")).isEqualTo("deleted token empty\n");
    }

    @Test
    void pythonFixture_listTokensAndUsersAsTheOriginalRecorded() {
        Fixtures.copy(Fixtures.MAILADM_1_0, dir);
        String tokens = cli.ok("list-tokens");
        assertThat(tokens).startsWith("token:forever\n  prefix = \n  expiry = never\n  maxuse = 3\n  usecount = 2\n");
        assertThat(tokens).contains("token:oneweek\n  prefix = tmpw.\n  expiry = 1w\n  maxuse = 20\n  usecount = 0\n");
        assertThat(tokens).contains("  https://mailadm.example.org/new_email?t=30d_qrstuvwxyz2345&n=pytest:web\n");
        // the users, cross-checked against a mailcow that has them (the fixture points at 127.0.0.1:18655)
        cli.initialized();
        for (String a : List.of(
                "tmp.fix01@example.org", "tmpw.fix02@example.org", "tmpw.fix03@example.org", "plainname@example.org")) {
            cli.mailcow.putMailbox(a, "FixturePassword", List.of());
        }
        assertThat(cli.ok("list-users", "--token", "oneweek"))
                .isEqualTo("tmpw.fix02@example.org [oneweek]\ntmpw.fix03@example.org [oneweek]\n");
        assertThat(cli.ok("list-users")).isEqualTo("""
                plainname@example.org [forever]
                tmp.fix01@example.org [oneday]
                tmpw.fix02@example.org [oneweek]
                tmpw.fix03@example.org [oneweek]
                """);
    }

    // ---- users

    @Test
    void addUser_createsInMailcowAndDatabase() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        String out = cli.ok("add-user", "tmp.fix01@example.org", "--password", "FixturePassword1");
        assertThat(out).isEqualTo("Created tmp.fix01@example.org with password: FixturePassword1\n");
        assertThat(cli.mailcow.passwordOf("tmp.fix01@example.org")).isEqualTo("FixturePassword1");
        assertThat(cli.mailcow.usernamesTagged("mailadm:oneday")).containsExactly("tmp.fix01@example.org");
        assertThat(cli.ok("list-users")).isEqualTo("tmp.fix01@example.org [oneday]\n");
        assertThat(cli.ok("list-tokens")).contains("usecount = 1");
    }

    /**
     * A command that talked to mailcow stops its HTTP client when it ends: a JVM waits up to 300 ms
     * at exit for a selector thread still blocked in the kernel, on every command.
     */
    @Test
    void commandsThatCallMailcow_leaveNoHttpClientThreadRunning() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        Set<Thread> before = httpClientThreads();
        cli.ok("add-user", "tmp.fix01@example.org");
        cli.ok("list-users");
        cli.ok("prune");
        assertThat(httpClientThreads()).isSubsetOf(before);
    }

    private static Set<Thread> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void addUser_generatedPasswordIsStrong() {
        cli.initialized();
        cli.mailcow.setPasswordPolicy(16, true, true, true, true);
        cli.ok("add-token", "oneday");
        String out = cli.ok("add-user", "tmp.fix01@example.org");
        assertThat(out).matches("Created tmp.fix01@example.org with password: [A-Za-z0-9._~-]{31}\n");
    }

    @Test
    void addUser_badAddresses_refusedBeforeAnyMailcowCall() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        int before = cli.mailcow.totalRequests();
        assertThat(cli.fail(1, "add-user", "bad@other.org")).contains("does not use the mail domain 'example.org'");
        assertThat(cli.fail(1, "add-user", "tmp.x@example.org@evil.org")).contains("exactly one @");
        assertThat(cli.fail(1, "add-user", "tmp x@example.org")).contains("invalid local part");
        assertThat(cli.fail(1, "add-user", "zzz@example.org", "--token", "nosuch"))
                .contains("token 'nosuch' does not exist");
        assertThat(cli.fail(1, "add-user", "zzz@example.org")).contains("no token's prefix matches");
        assertThat(cli.mailcow.totalRequests()).isEqualTo(before);
    }

    @Test
    void addUser_dryRun_changesNothing() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        assertThat(cli.ok("add-user", "tmp.fix06@example.org", "--dryrun", "--password", "x"))
                .isEqualTo("Would create tmp.fix06@example.org with password x\n");
        assertThat(cli.mailcow.usernames()).isEmpty();
        assertThat(cli.ok("list-users")).isEmpty();
    }

    @Test
    void addUser_existingAndExhausted() {
        cli.initialized();
        cli.ok("add-token", "one", "--maxuse", "1", "--prefix", "one.");
        cli.ok("add-user", "one.a@example.org");
        assertThat(cli.fail(1, "add-user", "one.a@example.org")).contains("exists already in mailadm");
        assertThat(cli.fail(1, "add-user", "one.b@example.org"))
                .contains("has created 1 of 1 accounts")
                .contains("--maxuse");
        cli.ok("add-token", "two", "--prefix", "two.");
        cli.mailcow.putMailbox("two.x@example.org", "pw", List.of());
        assertThat(cli.fail(1, "add-user", "two.x@example.org")).contains("exists already in mailcow");
        assertThat(cli.ok("list-tokens"))
                .contains("token:two\n  prefix = two.\n  expiry = 1d\n  maxuse = 50\n  usecount = 0");
    }

    @Test
    void delUser_deletesMailboxAndRow() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        cli.ok("add-user", "tmp.fix01@example.org");
        assertThat(cli.ok("del-user", "tmp.fix01@example.org")).isEqualTo("deleted user tmp.fix01@example.org\n");
        assertThat(cli.mailcow.hasMailbox("tmp.fix01@example.org")).isFalse();
        assertThat(cli.fail(1, "del-user", "tmp.nosuch@example.org"))
                .contains("failed to delete e-mail account tmp.nosuch@example.org")
                .contains("does not exist");
    }

    @Test
    void listUsers_marksBothKindsOfMismatch() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        cli.ok("add-user", "tmp.aaaaa@example.org");
        cli.ok("add-user", "tmp.bbbbb@example.org");
        cli.mailcow.putMailbox("tmp.ccccc@example.org", "pw", List.of("mailadm:oneday"));
        cli.mailcow.putMailbox("admin@example.org", "pw", List.of());
        cli.mailcow.removeMailbox("tmp.bbbbb@example.org");
        assertThat(cli.ok("list-users")).isEqualTo("""
                tmp.aaaaa@example.org [oneday]
                tmp.bbbbb@example.org [oneday] (missing in mailcow)
                tmp.ccccc@example.org [oneday] (created in mailcow)
                """);
    }

    // ---- prune

    @Test
    void prune_deletesExpiredAccounts_dryRunFirst() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        cli.ok("add-token", "oneyear", "--expiry", "1y", "--prefix", "y.");
        cli.ok("add-user", "tmp.aaaaa@example.org");
        cli.ok("add-user", "y.aaaaa@example.org");
        assertThat(cli.ok("prune")).isEqualTo("nothing to prune\n");
        cli.clock.advance(Duration.ofDays(2));
        assertThat(cli.ok("prune", "--dryrun"))
                .isEqualTo("would delete tmp.aaaaa@example.org (token oneday)\nwould prune 1 accounts\n");
        assertThat(cli.mailcow.hasMailbox("tmp.aaaaa@example.org")).isTrue();
        assertThat(cli.ok("prune")).isEqualTo("pruned tmp.aaaaa@example.org (token oneday)\npruned 1 accounts\n");
        assertThat(cli.mailcow.hasMailbox("tmp.aaaaa@example.org")).isFalse();
        assertThat(cli.mailcow.hasMailbox("y.aaaaa@example.org")).isTrue();
        assertThat(cli.ok("list-users")).isEqualTo("y.aaaaa@example.org [oneyear]\n");
    }

    @Test
    void prune_mailcowDown_keepsRowsAndSaysSo() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        cli.ok("add-user", "tmp.aaaaa@example.org");
        cli.clock.advance(Duration.ofDays(2));
        cli.mailcow.failNext(1, new FakeMailcowServer.Fault.Status(500, "<html>oops</html>"));
        assertThat(cli.fail(1, "prune")).contains("mailcow failed with HTTP 500");
        assertThat(cli.ok("prune")).contains("pruned tmp.aaaaa@example.org");
    }

    @Test
    void concurrentPrunes_deleteEachAccountOnce() throws Exception {
        cli.initialized();
        cli.ok("add-token", "oneday", "--maxuse", "100");
        for (int i = 0; i < 40; i++) {
            cli.ok("add-user", "tmp.u" + i + "@example.org");
        }
        cli.clock.advance(Duration.ofDays(2));
        cli.mailcow.setLatency(Duration.ofMillis(20));
        var a = CompletableFuture.supplyAsync(() -> cli.run("prune"));
        var b = CompletableFuture.supplyAsync(() -> cli.run("prune"));
        String outs = a.get().out() + b.get().out();
        assertThat(a.get().code()).isZero();
        assertThat(b.get().code()).isZero();
        assertThat(outs.lines().filter(l -> l.startsWith("pruned tmp.")).count())
                .isEqualTo(40);
        assertThat(cli.mailcow.usernames()).isEmpty();
        // one call of a single address measures mailcow's pace, then one batch takes the other 39
        assertThat(cli.mailcow.requests("delete/mailbox")).isEqualTo(2);
    }

    // ---- gen-qr

    @Test
    void genQr_writesAPngThatDecodesToTheExactUrl() throws Exception {
        cli.initialized();
        cli.ok("add-token", "pytest:web", "--token", "30d_qrstuvwxyz2345", "--expiry", "30d", "--prefix", "web.");
        cli.env.put("PWD", dir.toString());
        String out = cli.ok("gen-qr", "pytest:web", "--output", dir.toString());
        assertThat(out).isEqualTo("dcaccount-example.org-pytest:web.png written for token 'pytest:web'\n");
        Path png = dir.resolve("dcaccount-example.org-pytest:web.png");
        var image = ImageIO.read(png.toFile());
        var result = new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))));
        assertThat(result.getText())
                .isEqualTo("DCACCOUNT:https://mailadm.example.org/new_email?t=30d_qrstuvwxyz2345&n=pytest:web");
        assertThat(image.getHeight()).isGreaterThan(image.getWidth());
    }

    @Test
    void genQr_terminalAndErrors() {
        cli.initialized();
        cli.ok("add-token", "oneday");
        String out = cli.ok("gen-qr", "oneday", "--terminal");
        assertThat(out).contains("█").contains("DCACCOUNT:https://mailadm.example.org/new_email?t=");
        assertThat(cli.fail(1, "gen-qr", "nosuch")).contains("token 'nosuch' does not exist");
        assertThat(cli.fail(
                        1, "gen-qr", "oneday", "--output", dir.resolve("nope").toString()))
                .contains("is not a folder");
    }

    @Test
    void genQr_fileNameNeverLeavesTheFolder() {
        assertThat(GenQrCommand.fileName("example.org", new org.mailadm.core.token.TokenName("a..b\\c")))
                .isEqualTo("dcaccount-example.org-a..b_c.png");
    }

    // ---- migrate-db

    @Test
    void migrateDb_preMailcowFixture_keepsEveryone() {
        Fixtures.copy(Fixtures.PRE_MAILCOW, dir);
        assertThat(cli.fail(1, "list-tokens")).contains("pre-mailcow").contains("mailadm migrate-db");
        assertThat(cli.ok("migrate-db")).startsWith("migrated " + cli.db + " (backup: " + cli.db + ".v0-");
        cli.initialized();
        assertThat(cli.ok("list-tokens"))
                .contains("token:oneday")
                .contains("usecount = 3")
                .contains("token:oneyear");
        assertThat(cli.ok("list-users"))
                .contains("tmp.ab2cd@example.org [oneday] (missing in mailcow)")
                .contains("y.jk4mn@example.org [oneyear]");
        assertThat(cli.ok("migrate-db")).contains("needs no pre-mailcow migration");
    }

    // ---- general

    @Test
    void versionHelpAndUsageErrors() {
        cli.initialized();
        assertThat(cli.ok("--version")).startsWith("mailadm ");
        assertThat(cli.ok("--help")).contains("add-token").contains("prune").contains("gen-qr");
        assertThat(cli.ok("add-token", "--help"))
                .contains("--expiry")
                .contains("--maxuse")
                .contains("--prefix");
        assertThat(cli.ok("prune", "-h")).contains("--dryrun");
        assertThat(cli.fail(2, "nosuch")).contains("nosuch");
        assertThat(cli.fail(2)).contains("Usage");
        assertThat(cli.fail(2, "add-token", "x", "--nosuch")).contains("--nosuch");
    }

    @Test
    void json_onCommandsThatPrintData() throws Exception {
        cli.initialized();
        JsonNode t = json.readTree(cli.ok("add-token", "oneday", "--json", "--token", "1d_abc"));
        assertThat(t.get("name").asText()).isEqualTo("oneday");
        assertThat(t.get("usecount").asInt()).isZero();
        assertThat(t.get("qr").asText()).isEqualTo("DCACCOUNT:https://mailadm.example.org/new_email?t=1d_abc&n=oneday");
        JsonNode u = json.readTree(cli.ok("add-user", "tmp.aaaaa@example.org", "--json"));
        assertThat(u.get("address").asText()).isEqualTo("tmp.aaaaa@example.org");
        assertThat(u.get("password").asText()).hasSize(31);
        JsonNode list = json.readTree(cli.ok("list-users", "--json"));
        assertThat(list.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(list.get(0).get("expires").asText()).isEqualTo("2026-11-27T00:00:00Z");
        assertThat(json.readTree(cli.ok("list-tokens", "--json"))
                        .get(0)
                        .get("usecount")
                        .asInt())
                .isEqualTo(1);
        assertThat(json.readTree(cli.ok("config", "--json"))
                        .get("config")
                        .get("mailcow_token")
                        .asText())
                .doesNotContain(FakeMailcowServer.RW_KEY);
        cli.clock.advance(Duration.ofDays(2));
        JsonNode prune = json.readTree(cli.ok("prune", "--json"));
        assertThat(prune.get("deleted").get(0).get("address").asText()).isEqualTo("tmp.aaaaa@example.org");
    }

    @Test
    void wrongMailcowKey_oneClearLine_noSecret() {
        cli.ok(
                "init",
                "--web-endpoint",
                "https://mailadm.example.org/new_email",
                "--mail-domain",
                "example.org",
                "--mailcow-endpoint",
                cli.mailcow.endpoint().toString(),
                "--mailcow-token",
                "WRONG-KEY-123456");
        cli.ok("add-token", "oneday");
        String err = cli.fail(1, "add-user", "tmp.aaaaa@example.org");
        assertThat(err)
                .contains("authentication failed")
                .contains("MAILCOW_TOKEN")
                .doesNotContain("WRONG-KEY-123456");
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(cli.ok("list-tokens")).contains("usecount = 0");
    }
}
