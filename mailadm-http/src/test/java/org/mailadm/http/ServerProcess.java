package org.mailadm.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts {@link HttpMain} as its own JVM, as deployed, on a free port of 127.0.0.1, without rate limits. */
final class ServerProcess {
    private ServerProcess() {}

    private static final java.util.regex.Pattern LISTENING =
            java.util.regex.Pattern.compile("mailadm listening on http://[^ ]+:(\\d+)/");

    /**
     * The port a server started on port 0 listens on, from its "mailadm listening" line in the log
     * (the newest one: a restarted server appends to the same log). No port is probed and handed on,
     * so no other process can take it in between.
     */
    static int awaitPort(Process p, Path log, long fromOffset) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(log)) {
                String text = java.nio.file.Files.readString(log);
                java.util.regex.Matcher m =
                        LISTENING.matcher(text.substring((int) Math.min(fromOffset, text.length())));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError(
                        "the server ended before it listened:\n" + java.nio.file.Files.readString(log));
            }
            p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the server did not say which port it listens on");
    }

    static Process start(Path db, int port, Path log, Map<String, String> extraEnv, String... jvmFlags)
            throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HttpMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = new HashMap<>(Map.of(
                "MAILADM_DB",
                db.toString(),
                "MAILADM_PORT",
                String.valueOf(port),
                "MAILADM_BIND",
                "127.0.0.1",
                "MAILADM_RATE_LIMIT",
                "off",
                "MAILADM_INVALID_TOKEN_LIMIT",
                "off"));
        env.putAll(extraEnv);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }
}
