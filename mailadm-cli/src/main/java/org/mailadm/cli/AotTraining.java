package org.mailadm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workloads the launcher records the command line's AOT caches from (JDK 25+; AppCDS on 21-24).
 * A cache only helps with the classes its training run used, and a JDK 25 cache loads every class
 * it holds at each start: so commands are trained on what commands do, in two sets — {@link
 * Role#LOCAL}, the commands that only touch the database (tokens, QR codes, the audit log), and
 * {@link Role#MAILCOW}, those that also call mailcow — and not on the server.
 *
 * <p>In one JVM it runs the workload's commands through {@link Cli#run}, as a shell would, against a
 * new database in the given folder and a stand-in mailcow on the loopback interface that answers
 * add, edit, delete and list the way the recorded transcript does. It touches nothing outside that
 * folder and exits 0 only when every command ended as it must. Which commands a workload holds
 * follows their {@link Role}; {@code CommandRolesTest} checks that every command is trained.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=... -cp ... org.mailadm.cli.AotTraining local|mailcow
 * FOLDER}.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("local") || args[0].equals("mailcow"))) {
            System.err.println("usage: AotTraining local|mailcow FOLDER");
            System.exit(2);
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        Role workload = Role.valueOf(args[0].toUpperCase(Locale.ROOT));
        List<String> failed = run(workload, Path.of(args[1]), new Console(sink, sink));
        if (!failed.isEmpty()) {
            System.err.println("AOT training: these commands failed: " + failed);
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** Runs the workload; returns the command lines that did not end with the exit status they must. */
    static List<String> run(Role workload, Path folder, Console console) {
        try (StandInMailcow mailcow = StandInMailcow.start()) {
            Environment env = new Environment(
                    Map.of("MAILADM_DB", folder.resolve("mailadm.db").toString(), "USER", "aot-training"));
            List<String> failed = new ArrayList<>();
            for (Line line : commandLines(workload, folder, mailcow.endpoint())) {
                if (Cli.run(line.args().toArray(String[]::new), env, Clock.systemUTC(), console) != line.exit()) {
                    failed.add(String.join(" ", line.args()));
                }
            }
            return failed;
        }
    }

    /**
     * One command line of a training and the exit status it must end with (a refusal trains the
     * error path, e.g. {@code restore} of an account that is not disabled).
     */
    record Line(List<String> args, int exit) {
        Line(String... args) {
            this(List.of(args), 0);
        }

        /** The command this line runs. */
        String command() {
            return args.get(0);
        }
    }

    static List<Line> commandLines(Role workload, Path folder, String mailcowEndpoint) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(
                "init",
                "--mail-domain=example.org",
                "--web-endpoint=https://example.org/new_email",
                "--mailcow-endpoint=" + mailcowEndpoint,
                "--mailcow-token=TRAINING-KEY"));
        lines.add(new Line("add-token", "oneday", "--prefix", "tmp.", "--expiry", "1d", "--maxuse", "10"));
        lines.add(new Line("add-token", "graced", "--prefix", "g.", "--expiry", "1w", "--grace", "2d"));
        if (workload == Role.LOCAL) {
            lines.add(new Line("config"));
            lines.add(new Line("mod-token", "oneday", "--maxuse", "20", "--valid-until", "2999-01-01"));
            lines.add(new Line("rotate-token", "graced"));
            lines.add(new Line("list-tokens"));
            lines.add(new Line("list-tokens", "--json"));
            lines.add(new Line("gen-qr", "oneday", "--output", folder.toString()));
            lines.add(new Line("audit", "--limit", "5"));
            lines.add(new Line("backup", folder.resolve("backup.db").toString()));
            lines.add(new Line("migrate-db"));
            lines.add(new Line("list-tokens", "--help"));
            lines.add(new Line("--version"));
        } else {
            String user = "tmp.training1@example.org";
            lines.add(new Line("add-user", user));
            lines.add(new Line("add-user", "g.training2@example.org", "--json"));
            lines.add(new Line("list-users"));
            lines.add(new Line("list-users", "--json", "--token", "oneday"));
            lines.add(new Line(List.of("restore", user), 1)); // not disabled: refused
            lines.add(new Line("del-user", user));
            lines.add(new Line("prune", "--dryrun"));
            lines.add(new Line("prune"));
            lines.add(new Line("reconcile"));
            lines.add(new Line("del-token", "graced", "--force"));
        }
        return lines;
    }

    /**
     * Just enough of mailcow's API for the training, on the JDK's HTTP server: {@code add/mailbox},
     * {@code edit/mailbox}, {@code delete/mailbox} and {@code get/mailbox/reduced} (or {@code all}),
     * with answers shaped like the recorded transcript (two-entry success, a list of full mailbox
     * objects, {@code {}} when empty). The full fake, with its faults, is the testing module's.
     */
    static final class StandInMailcow implements Closeable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        /** Address to tag, as mailadm set it. */
        private final Map<String, String> mailboxes = new ConcurrentHashMap<>();

        private StandInMailcow(HttpServer server) {
            this.server = server;
        }

        static StandInMailcow start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                StandInMailcow s = new StandInMailcow(server);
                server.createContext("/api/v1/", s::handle);
                server.start();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] answer = answer(
                                exchange.getRequestMethod(),
                                path.substring("/api/v1/".length()),
                                exchange.getRequestBody().readAllBytes())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        }

        private String answer(String method, String route, byte[] body) throws IOException {
            if (method.equals("GET")
                    && (route.startsWith("get/mailbox/all") || route.startsWith("get/mailbox/reduced"))) {
                if (mailboxes.isEmpty()) {
                    return "{}";
                }
                ArrayNode all = JSON.createArrayNode();
                mailboxes.forEach((address, tag) -> all.add(mailbox(address, tag)));
                return all.toString();
            }
            JsonNode request = JSON.readTree(body);
            return switch (route) {
                case "add/mailbox" -> {
                    String address = request.path("local_part").asText() + "@"
                            + request.path("domain").asText();
                    mailboxes.put(address, request.path("tags").path(0).asText(""));
                    ArrayNode answer = JSON.createArrayNode();
                    answer.add(entry("ratelimit", "edit", "rl_saved", address, request));
                    answer.add(entry("mailbox", "add", "mailbox_added", address, request));
                    yield answer.toString();
                }
                case "edit/mailbox" -> {
                    ArrayNode answer = JSON.createArrayNode();
                    request.path("items")
                            .forEach(
                                    a -> answer.add(entry("mailbox", "edit", "mailbox_modified", a.asText(), request)));
                    yield answer.toString();
                }
                case "delete/mailbox" -> {
                    ArrayNode answer = JSON.createArrayNode();
                    request.forEach(a -> {
                        mailboxes.remove(a.asText());
                        answer.add(entry("mailbox", "delete", "mailbox_removed", a.asText(), request));
                    });
                    yield answer.isEmpty() ? "{\"type\":\"success\",\"msg\":\"Task completed\"}" : answer.toString();
                }
                default -> "{\"type\":\"error\",\"msg\":\"route not found\"}";
            };
        }

        /** A success entry as the transcript shows them: {@code log: [object, action, "mailbox", ...]}. */
        private static ObjectNode entry(String object, String action, String msg, String address, JsonNode request) {
            ObjectNode entry = JsonNodeFactory.instance.objectNode().put("type", "success");
            entry.putArray("log")
                    .add(object)
                    .add(action)
                    .add("mailbox")
                    .add(request)
                    .addNull();
            entry.putArray("msg").add(msg).add(address);
            return entry;
        }

        private static ObjectNode mailbox(String address, String tag) {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.put("username", address).put("active", 1).put("active_int", 1);
            m.put("domain", address.substring(address.indexOf('@') + 1)).put("name", "");
            m.put("local_part", address.substring(0, address.indexOf('@')))
                    .put("quota", 0)
                    .put("messages", 0);
            m.putObject("attributes").put("force_pw_update", "0").put("passwd_update", "2026-11-26 04:22:28");
            m.putArray("custom_attributes");
            m.put("quota_used", 0).put("percent_in_use", "- ").put("created", "2026-11-26 04:22:28");
            m.put("last_imap_login", 0).put("rl", false).put("rl_scope", "domain");
            m.putArray("sender_acl");
            m.putArray("tags").add(tag);
            return m;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
