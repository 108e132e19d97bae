package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/** The log (slf4j-simple, redirected to a file by the surefire configuration) never holds a secret. */
class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void oneLinePerRequest_withoutTokenPasswordOrApiKey() throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        // slf4j-simple truncates its file when it starts: start it before measuring where we begin.
        org.slf4j.LoggerFactory.getLogger(AccessLogTest.class).info("access log test starts");
        long before = Files.exists(log) ? Files.size(log) : 0;
        String password;
        try (ServerHarness h = new ServerHarness(
                dir, TestTokens.aToken().withSecret("1d_SECRETSECRET").build())) {
            password = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(h.post("/new_email?t=1d_SECRETSECRET&n=oneday").body())
                    .get("password")
                    .asText();
            h.post("/new_email?t=WRONGSECRETGUESS");
            h.mailcow.failNext(1, new FakeMailcowServer.Fault.Status(500, "<html>boom</html>"));
            h.post("/new_email?t=1d_SECRETSECRET");
        }
        String written = Files.readString(log).substring((int) before);
        assertThat(written).contains("\"POST /new_email\" 200").contains(" created token=oneday");
        assertThat(written).contains("\"POST /new_email\" 403").contains("token_invalid");
        assertThat(written).contains("\"POST /new_email\" 500");
        assertThat(written)
                .doesNotContain("SECRETSECRET")
                .doesNotContain("WRONGSECRETGUESS")
                .doesNotContain(password)
                .doesNotContain(FakeMailcowServer.RW_KEY);
    }
}
