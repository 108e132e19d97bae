package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.TestTokens;

/**
 * The real Delta Chat core (shared/tools/dcaccount-check, deltachat-rpc-server from npm) against a
 * running server: it must read the credentials of a valid token, and show our reason for an invalid
 * and an exhausted one. Runs where the tool lies beside the repository and Node.js is installed
 * (CI); skipped elsewhere.
 */
class DeltaChatCoreTest {
    @TempDir
    static Path dir;

    static ServerHarness h;
    static Path tool;

    static Optional<Path> findTool() {
        String configured = System.getenv("DCACCOUNT_CHECK");
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/tools/dcaccount-check/dcaccount-check.sh");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
            Path sibling = p.resolveSibling("shared/tools/dcaccount-check/dcaccount-check.sh");
            if (Files.isRegularFile(sibling)) {
                return Optional.of(sibling);
            }
        }
        return Optional.empty();
    }

    static boolean hasNode() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @BeforeAll
    static void start() {
        Optional<Path> found = findTool();
        assumeTrue(found.isPresent(), "shared/tools/dcaccount-check not found beside the repository");
        assumeTrue(hasNode(), "node is not installed");
        tool = found.get();
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
        List<String> cmd = new ArrayList<>(List.of("sh", tool.toString(), url));
        cmd.addAll(List.of(options));
        Path log = dir.resolve("dcaccount-check-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS))
                .as("dcaccount-check finished")
                .isTrue();
        String output = Files.readString(log);
        System.out.println(output);
        return p.exitValue();
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
