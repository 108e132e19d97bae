package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.FakeMailcowServer;

/** Commands never retry a key mailcow rejected: its fail2ban bans after 10 rejections (issue 13). */
class RejectedKeyTest {
    @TempDir
    Path dir;

    @Test
    void reconcileFixAndPrune_withARejectedKey_sendOneCallEach_andSayWhatToDo() {
        try (CliHarness cli = new CliHarness(dir).initialized()) {
            cli.ok("add-token", "oneday", "--maxuse", "50");
            for (int i = 0; i < 5; i++) {
                cli.ok("add-user", "tmp.k" + i + "@example.org");
            }
            // five interrupted creations, due for settling
            cli.mailcow.setDangerButCreated("password_complexity", false);
            for (int i = 0; i < 5; i++) {
                cli.run("add-user", "tmp.p" + i + "@example.org");
            }
            cli.mailcow.setDangerButCreated(null, false);
            cli.clock.advance(Duration.ofDays(2));
            cli.mailcow.removeKey(FakeMailcowServer.RW_KEY);

            for (String[] command : new String[][] {{"reconcile", "--fix"}, {"prune"}, {"list-users"}}) {
                int before = cli.mailcow.totalRequests();
                CliHarness.Result r = cli.run(command);
                assertThat(r.code()).isEqualTo(1);
                assertThat(r.err())
                        .as(String.join(" ", command))
                        .contains("mailcow rejected the API key")
                        .contains("MAILCOW_TOKEN");
                assertThat(r.err().lines()).hasSize(1);
                assertThat(cli.mailcow.totalRequests() - before)
                        .as("%s sends one rejected call, never one per account", String.join(" ", command))
                        .isEqualTo(1);
            }
        }
    }
}
