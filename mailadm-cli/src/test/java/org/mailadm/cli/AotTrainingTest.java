package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher keeps the AOT cache only when the training exits 0, and the cache only helps with
 * what the training ran: so every training command must really succeed, against the real SQLite
 * adapter and the real mailcow adapter talking to the stand-in over HTTP.
 */
class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void localWorkload_everyCommandSucceeds() throws Exception {
        String printed = run(Role.LOCAL);
        assertThat(printed).contains("token:oneday", "DCACCOUNT:https://example.org/new_email?t=");
        try (var pngs = Files.list(dir)) {
            assertThat(pngs.filter(p -> p.toString().endsWith(".png"))).hasSize(1);
        }
    }

    @Test
    void mailcowWorkload_everyCommandSucceeds() throws Exception {
        String printed = run(Role.MAILCOW);
        // add-user created both mailboxes through the stand-in, list-users found them there again
        assertThat(printed).contains("tmp.training1@example.org", "g.training2@example.org");
        assertThat(printed).doesNotContain("missing in mailcow", "missing-in-mailcow");
    }

    private String run(Role workload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> failed = AotTraining.run(
                workload,
                dir,
                new Console(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(failed).as("failed commands; standard error:\n%s", err).isEmpty();
        assertThat(dir.resolve("mailadm.db")).exists();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void standInAnswersAnEmptyListingAsMailcowDoes() throws Exception {
        try (AotTraining.StandInMailcow mailcow = AotTraining.StandInMailcow.start()) {
            var client = java.net.http.HttpClient.newHttpClient();
            var answer = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(mailcow.endpoint() + "get/mailbox/all"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{}");
        }
    }
}
