package org.mailadm.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process started as an operator would start it. Its output (standard error merged) goes to a file,
 * not a pipe: the JDK can drop what a child writes to a pipe in the moment it exits, and the last
 * lines (a graceful shutdown's) are the ones that matter.
 */
final class Proc implements AutoCloseable {
    record Result(int code, String out) {}

    private final Process process;
    private final Path log;

    private Proc(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a command in a folder, with these variables added to the environment. */
    static Proc start(Path dir, Map<String, String> env, List<String> command) throws IOException {
        return start(dir, env, command, false, dir);
    }

    /**
     * Starts a command with only these variables in its environment (as cron or a clean login
     * would), its output logged in {@code logDir}.
     */
    static Proc startClean(Path dir, Map<String, String> env, List<String> command, Path logDir) throws IOException {
        return start(dir, env, command, true, logDir);
    }

    private static Proc start(Path dir, Map<String, String> env, List<String> command, boolean clean, Path logDir)
            throws IOException {
        Path log = Files.createTempFile(logDir, "proc-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (clean) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        return new Proc(pb.start(), log);
    }

    /** {@link #startClean} to its end (at most the timeout). */
    static Result runClean(Path dir, Map<String, String> env, Duration timeout, Path logDir, String... command)
            throws IOException, InterruptedException {
        try (Proc p = startClean(dir, env, List.of(command), logDir)) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "still running after " + timeout + ": " + String.join(" ", command) + "\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    /** Runs a command to its end (at most the timeout). */
    static Result run(Path dir, Map<String, String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        try (Proc p = start(dir, env, List.of(command))) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "still running after " + timeout + ": " + String.join(" ", command) + "\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    /** Waits until a line matches; fails with the output so far when the process ends or time runs out. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            boolean alive = process.isAlive();
            for (String line : lines()) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!alive) {
                throw new AssertionError(
                        "process ended (exit " + process.exitValue() + ") before the expected line:\n" + output());
            }
            Thread.sleep(50); // polling a child process's log file
        }
        throw new AssertionError("no expected line within " + timeout + ":\n" + output());
    }

    List<String> lines() {
        return output().lines().toList();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** The process's resident memory now ({@code VmRSS}), in KiB. */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** SIGTERM, as systemd and docker stop do; returns the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not stop within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The port in a server's "mailadm listening on http://127.0.0.1:PORT/" line. */
    static int listeningPort(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on http://[^ ]+:(\\d+)/")
                .matcher(line);
        if (!m.find()) {
            throw new AssertionError("no port in: " + line);
        }
        return Integer.parseInt(m.group(1));
    }
}
