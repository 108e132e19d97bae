package org.mailadm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * Workload#LOCAL}, the commands that only touch the database (tokens, QR codes, the audit log), and
 * {@link Workload#MAILCOW}, those that also call mailcow — and not on the server.
 *
 * <p>In one JVM it runs the workload's commands through {@link Cli#run}, as a shell would, against a
 * new database in the given folder and a stand-in mailcow on the loopback interface that answers
 * add, edit, delete and list the way the recorded transcript does. It touches nothing outside that
 * folder and exits 0 only when every command succeeded.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=... -cp ... org.mailadm.cli.AotTraining local|mailcow
 * FOLDER}.
 */
public final class AotTraining {
    private AotTraining() {}

    /** Which commands a training runs. */
    enum Workload {
        LOCAL,
        MAILCOW
    }

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("local") || args[0].equals("mailcow"))) {
            System.err.println("usage: AotTraining local|mailcow FOLDER");
            System.exit(2);
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        Workload workload = Workload.valueOf(args[0].toUpperCase(Locale.ROOT));
        List<String> failed = run(workload, Path.of(args[1]), new Console(sink, sink));
        if (!failed.isEmpty()) {
            System.err.println("AOT training: these commands failed: " + failed);
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** Runs the workload; returns the command lines that did not exit 0. */
    static List<String> run(Workload workload, Path folder, Console console) {
        try (StandInMailcow mailcow = StandInMailcow.start()) {
            Environment env = new Environment(
                    Map.of("MAILADM_DB", folder.resolve("mailadm.db").toString(), "USER", "aot-training"));
            List<String> failed = new ArrayList<>();
            for (List<String> line : commandLines(workload, folder, mailcow.endpoint())) {
                if (Cli.run(line.toArray(String[]::new), env, Clock.systemUTC(), console) != 0) {
                    failed.add(String.join(" ", line));
                }
            }
            return failed;
        }
    }

    static List<List<String>> commandLines(Workload workload, Path folder, String mailcowEndpoint) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of(
                "init",
                "--mail-domain=example.org",
                "--web-endpoint=https://example.org/new_email",
                "--mailcow-endpoint=" + mailcowEndpoint,
                "--mailcow-token=TRAINING-KEY"));
        lines.add(List.of("add-token", "oneday", "--prefix", "tmp.", "--expiry", "1d", "--maxuse", "10"));
        lines.add(List.of("add-token", "graced", "--prefix", "g.", "--expiry", "1w", "--grace", "2d"));
        if (workload == Workload.LOCAL) {
            lines.add(List.of("config"));
            lines.add(List.of("mod-token", "oneday", "--maxuse", "20", "--valid-until", "2999-01-01"));
            lines.add(List.of("list-tokens"));
            lines.add(List.of("list-tokens", "--json"));
            lines.add(List.of("gen-qr", "oneday", "--output", folder.toString()));
            lines.add(List.of("audit", "--limit", "5"));
            lines.add(List.of("del-token", "graced"));
            lines.add(List.of("list-tokens", "--help"));
            lines.add(List.of("--version"));
        } else {
            String user = "tmp.training1@example.org";
            lines.add(List.of("add-user", user));
            lines.add(List.of("add-user", "g.training2@example.org", "--json"));
            lines.add(List.of("list-users"));
            lines.add(List.of("list-users", "--json", "--token", "oneday"));
            lines.add(List.of("del-user", user));
            lines.add(List.of("prune", "--dryrun"));
            lines.add(List.of("prune"));
            lines.add(List.of("reconcile"));
            lines.add(List.of("del-token", "graced", "--force"));
        }
        return lines;
    }

    /**
     * Just enough of mailcow's API for the training: {@code add/mailbox}, {@code edit/mailbox},
     * {@code delete/mailbox} and {@code get/mailbox/reduced} (or {@code all}), with answers shaped like the recorded
     * transcript (two-entry success, a list of full mailbox objects, {@code {}} when empty).
     */
    static final class StandInMailcow implements Closeable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final ServerSocket socket;
        /** Address to tag, as mailadm set it. */
        private final Map<String, String> mailboxes = new ConcurrentHashMap<>();

        private StandInMailcow(ServerSocket socket) {
            this.socket = socket;
        }

        static StandInMailcow start() {
            try {
                StandInMailcow s = new StandInMailcow(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
                Thread accept = new Thread(s::accept, "aot-training-mailcow");
                accept.setDaemon(true);
                accept.start();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String endpoint() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/api/v1/";
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread t = new Thread(() -> serve(connection), "aot-training-mailcow-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket connection) {
            try (connection;
                    InputStream in = connection.getInputStream();
                    OutputStream out = connection.getOutputStream()) {
                while (true) {
                    String requestLine = line(in);
                    if (requestLine == null || requestLine.isEmpty()) {
                        return;
                    }
                    int length = 0;
                    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                        if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(header.substring(15).strip());
                        }
                    }
                    byte[] body = in.readNBytes(length);
                    String[] parts = requestLine.split(" ");
                    byte[] answer = answer(parts[0], parts[1], body).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(answer);
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // the client went away; the command reports what it could not do
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        private String answer(String method, String path, byte[] body) throws IOException {
            String route = path.substring(path.indexOf("/api/v1/") + "/api/v1/".length());
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
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to release
            }
        }
    }
}
