package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta Chat only posts to https:// token URLs: every command that shows a token of an http:// web
 * endpoint says so, and gen-qr prints no QR code for one unless told to.
 */
class HttpEndpointTest {
    @TempDir
    Path dir;

    private CliHarness cli;

    @BeforeEach
    void initWithHttp() {
        cli = new CliHarness(dir).initialized();
        CliHarness.Result init = cli.run("init", "--web-endpoint", "http://mailadm.example.org/new_email");
        assertThat(init.code()).isZero();
        assertThat(init.err()).contains("is not https://");
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void tokenCommands_warnOnStandardError() {
        for (String[] command : new String[][] {
            {"add-token", "oneday", "--expiry", "1d"},
            {"list-tokens"},
            {"mod-token", "oneday", "--maxuse", "5"},
            {"rotate-token", "oneday"}
        }) {
            CliHarness.Result r = cli.run(command);
            assertThat(r.code()).as(String.join(" ", command)).isZero();
            assertThat(r.err())
                    .as(String.join(" ", command))
                    .contains("http://mailadm.example.org/new_email is not https://")
                    .contains("Delta Chat only follows https://");
            assertThat(r.out()).as("standard output stays the token").doesNotContain("WARNING");
        }
    }

    @Test
    void genQr_refusesUnlessAllowed() throws Exception {
        cli.ok("add-token", "oneday", "--expiry", "1d");
        String refused = cli.fail(1, "gen-qr", "oneday", "--output", dir.toString());
        assertThat(refused).contains("not printing a QR code for http://").contains("--allow-http");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png"))).isEmpty();
        }
        CliHarness.Result allowed = cli.run("gen-qr", "oneday", "--output", dir.toString(), "--allow-http");
        assertThat(allowed.code()).isZero();
        assertThat(allowed.err()).contains("is not https://");
    }

    @Test
    void initAgain_changesOneSettingAndKeepsTheOthers() {
        cli.ok("init", "--mail-domain", "example.net");
        assertThat(cli.ok("config"))
                .contains("http://mailadm.example.org/new_email")
                .containsPattern("mail_domain +example.net")
                .contains(cli.mailcow.endpoint().toString());
    }

    @Test
    void anHttpsEndpoint_getsNoWarning() {
        cli.ok("init", "--web-endpoint", "https://mailadm.example.org/new_email");
        CliHarness.Result r = cli.run("add-token", "oneday", "--expiry", "1d");
        assertThat(r.err()).isEmpty();
    }
}
