package org.mailadm.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts {@link HttpMain} as its own JVM, as deployed, on a free port of 127.0.0.1, without rate limits. */
final class ServerProcess {
    private ServerProcess() {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
