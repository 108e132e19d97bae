package org.mailadm.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real Delta Chat core's test tools ({@code shared/tools/dcaccount-check}: dcaccount-check.sh,
 * dclogin-e2e.sh), which run deltachat-rpc-server from npm. They lie beside the repository (or
 * where DCACCOUNT_CHECK points) and need Node.js. Tests that use them are skipped where they are
 * missing, except when MAILADM_REQUIRE_DELTACHAT=1 (CI sets it): then a missing tool fails.
 */
public final class DeltaChatTools {
    /** What one run of a tool printed, and its exit code (0 = PASS). */
    public record Run(int code, String output) {}

    private final Path dir;

    private DeltaChatTools(Path dir) {
        this.dir = dir;
    }

    /** The tools, or a skipped (or, in CI, failed) test when they are not here. */
    public static DeltaChatTools require() {
        Optional<Path> found = find();
        boolean node = hasNode();
        if ("1".equals(System.getenv("MAILADM_REQUIRE_DELTACHAT")) && (found.isEmpty() || !node)) {
            throw new AssertionError("MAILADM_REQUIRE_DELTACHAT=1 but "
                    + (found.isEmpty()
                            ? "shared/tools/dcaccount-check is not beside the repository"
                            : "node is missing"));
        }
        assumeTrue(found.isPresent(), "shared/tools/dcaccount-check not found beside the repository");
        assumeTrue(node, "node is not installed");
        return new DeltaChatTools(found.get());
    }

    private static Optional<Path> find() {
        String configured = System.getenv("DCACCOUNT_CHECK");
        if (configured != null) {
            return Optional.of(Path.of(configured).getParent());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path candidate : List.of(
                    p.resolve("shared/tools/dcaccount-check"), p.resolveSibling("shared/tools/dcaccount-check"))) {
                if (Files.isRegularFile(candidate.resolve("dcaccount-check.sh"))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasNode() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** dcaccount-check.sh URL [options]: the core POSTs to a DCACCOUNT URL and reads the answer. */
    public Run dcaccountCheck(Path work, String url, String... options) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("sh", dir.resolve("dcaccount-check.sh").toString(), url));
        cmd.addAll(List.of(options));
        return run(work, cmd);
    }

    /** dclogin-e2e.sh QR_A QR_B: two accounts log in, join and exchange an encrypted message. */
    public Run dcloginE2e(Path work, String qrA, String qrB) throws IOException, InterruptedException {
        return run(work, List.of("sh", dir.resolve("dclogin-e2e.sh").toString(), qrA, qrB));
    }

    private static Run run(Path work, List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "deltachat-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 240 s: " + cmd + "\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println(output);
        return new Run(p.exitValue(), output);
    }
}
