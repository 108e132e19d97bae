package org.mailadm.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process started as an operator would start it, with its output collected line by line. */
final class Proc implements AutoCloseable {
    record Result(int code, String out) {}

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Proc(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a command; standard error is merged into the output. */
    static Proc start(Path dir, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new Proc(pb.start());
    }

    /** Runs a command to its end (at most the timeout). */
    static Result run(Path dir, Map<String, String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        try (Proc p = start(dir, env, List.of(command))) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "still running after " + timeout + ": " + String.join(" ", command) + "\n" + p.output());
            }
            p.reader.join(5000);
            return new Result(p.process.exitValue(), p.output());
        }
    }

    /** Waits until a line matches; fails with the output so far when the process ends or time runs out. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String line : lines) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                reader.join(2000);
                throw new AssertionError(
                        "process ended (exit " + process.exitValue() + ") before the expected line:\n" + output());
            }
            Thread.sleep(50); // polling the collected output of a child process
        }
        throw new AssertionError("no expected line within " + timeout + ":\n" + output());
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }

    String output() {
        return String.join("\n", lines);
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
