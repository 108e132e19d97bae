package org.mailadm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.MutableClock;

/** Runs {@link Cli} in-process with captured streams (the equivalent of Python's run_ok/run_fail). */
final class CliHarness implements AutoCloseable {
    final Path dir;
    final Path db;
    final FakeMailcowServer mailcow = new FakeMailcowServer().start();
    final MutableClock clock = MutableClock.atFixedStart();
    final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {}

    CliHarness(Path dir) {
        this.dir = dir;
        this.db = dir.resolve("mailadm.db");
        env.put("MAILADM_DB", db.toString());
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                args,
                new Environment(env),
                clock,
                new Console(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and expects exit 0. */
    String ok(String... args) {
        Result r = run(args);
        if (r.code() != 0) {
            throw new AssertionError(
                    "exit " + r.code() + " for " + String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        }
        return r.out();
    }

    /** Runs and expects a non-zero exit, returning standard error. */
    String fail(int expectedCode, String... args) {
        Result r = run(args);
        if (r.code() != expectedCode) {
            throw new AssertionError("expected exit " + expectedCode + " but got " + r.code() + " for "
                    + String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        }
        return r.err();
    }

    /** init against the fake mailcow. */
    CliHarness initialized() {
        ok(
                "init",
                "--web-endpoint",
                "https://mailadm.example.org/new_email",
                "--mail-domain",
                "example.org",
                "--mailcow-endpoint",
                mailcow.endpoint().toString(),
                "--mailcow-token",
                FakeMailcowServer.RW_KEY);
        return this;
    }

    @Override
    public void close() {
        mailcow.close();
    }
}
