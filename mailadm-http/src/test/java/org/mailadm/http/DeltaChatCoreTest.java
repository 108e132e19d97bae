package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.DeltaChatTools;
import org.mailadm.testing.TestTokens;

/**
 * The real Delta Chat core (shared/tools/dcaccount-check, deltachat-rpc-server from npm) against a
 * running server: it must read the credentials of a valid token, and show our reason for an invalid
 * and an exhausted one. Runs where the tool is available (see {@link DeltaChatTools}).
 */
class DeltaChatCoreTest {
    @TempDir
    static Path dir;

    static ServerHarness h;
    static DeltaChatTools tools;

    @BeforeAll
    static void start() {
        tools = DeltaChatTools.require();
        h = new ServerHarness(
                dir,
                TestTokens.aToken().build(),
                TestTokens.aToken()
                        .named("used")
                        .withSecret("1d_usedup")
                        .withMaxUse(0)
                        .build());
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    static int check(String url, String... options) throws Exception {
        return tools.dcaccountCheck(dir, url, options).code();
    }

    @Test
    void validToken_theCoreReadsTheCredentials() throws Exception {
        int code = check("http://127.0.0.1:" + h.server.port() + "/new_email?t=1d_r84EW3N8hEKk&n=oneday");
        assertThat(code).as("dcaccount-check PASS").isZero();
        assertThat(h.storage.listAccounts()).hasSize(1);
    }

    @Test
    void invalidToken_theCoreShowsOurReason() throws Exception {
        assertThat(check("http://127.0.0.1:" + h.server.port() + "/new_email?t=nonsense&n=x", "--expect", "error"))
                .isZero();
    }

    @Test
    void exhaustedToken_theCoreShowsOurReason() throws Exception {
        assertThat(check("http://127.0.0.1:" + h.server.port() + "/new_email?t=1d_usedup&n=used", "--expect", "error"))
                .isZero();
    }

    @Test
    void keyRejected_theCoreShowsWhenToComeBack() throws Exception {
        try (ServerHarness sick = new ServerHarness(
                java.nio.file.Files.createDirectories(dir.resolve("sick")),
                TestTokens.aToken().build())) {
            sick.mailcow.removeKey(org.mailadm.testing.FakeMailcowServer.RW_KEY);
            assertThat(sick.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(503);
            DeltaChatTools.Run run = tools.dcaccountCheck(
                    dir,
                    "http://127.0.0.1:" + sick.server.port() + "/new_email?t=1d_r84EW3N8hEKk&n=oneday",
                    "--expect",
                    "error");
            assertThat(run.code())
                    .as("the core showed our reason:\n%s", run.output())
                    .isZero();
            assertThat(run.output()).contains("the server cannot create accounts right now; try again in 5 minutes");
        }
    }

    @Test
    void rateLimited_theCoreShowsWhenToComeBack() throws Exception {
        ServerConfig limited = ServerHarness.testConfig().withLimits(RateLimit.parse("t", "1/h"), RateLimit.OFF);
        try (ServerHarness busy = new ServerHarness(
                java.nio.file.Files.createDirectories(dir.resolve("busy")),
                limited,
                TestTokens.aToken().build())) {
            assertThat(busy.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(200);
            DeltaChatTools.Run run = tools.dcaccountCheck(
                    dir,
                    "http://127.0.0.1:" + busy.server.port() + "/new_email?t=1d_r84EW3N8hEKk&n=oneday",
                    "--expect",
                    "error");
            assertThat(run.code())
                    .as("the core showed our reason:\n%s", run.output())
                    .isZero();
            assertThat(run.output()).containsPattern("too many requests from your address; try again in \\d+ minutes");
        }
    }
}
