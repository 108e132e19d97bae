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
}
