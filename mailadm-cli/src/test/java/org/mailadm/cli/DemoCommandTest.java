package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailadm demo --exit}: in-process; the long-running form is tested from the launcher. */
class DemoCommandTest {
    @TempDir
    Path dir;

    private CliHarness cli;

    private CliHarness cli() {
        cli = new CliHarness(dir);
        cli.env.put("MAILADM_DB", dir.resolve("demo/mailadm.db").toString());
        return cli;
    }

    @AfterEach
    void close() {
        if (cli != null) {
            cli.close();
        }
    }

    private String demo(String... more) {
        String[] base = {
            "demo",
            "--dir",
            dir.resolve("demo").toString(),
            "--port",
            "0",
            "--smtp-port",
            "0",
            "--imap-port",
            "0",
            "--exit"
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return cli().ok(args);
    }

    @Test
    void accountsCreatedThroughTheWebApi_arePrintedWithDcloginAndRecorded() {
        String out = demo("--accounts", "2");
        assertThat(out)
                .containsPattern("curl -X POST 'http://127\\.0\\.0\\.1:\\d+/new_email\\?t=1d_[a-z0-9]+&n=demo'")
                .contains("token:demo")
                .contains("embedded GreenMail");
        var m = Pattern.compile("account created: (tmp\\.[a-z0-9]+@example\\.org)\\n  (dclogin:\\S+)")
                .matcher(out);
        int n = 0;
        while (m.find()) {
            n++;
            assertThat(m.group(2))
                    .startsWith("dclogin:" + m.group(1) + "?p=")
                    .containsPattern("&v=1&ih=127\\.0\\.0\\.1&ip=\\d+&is=plain&sh=127\\.0\\.0\\.1&sp=\\d+&ss=plain$");
        }
        assertThat(n).isEqualTo(2);
        assertThat(cli.ok("list-tokens")).contains("usecount = 2");
    }

    @Test
    void rerunOnTheSameFolder_keepsTheTokenAndItsCount() {
        String first = demo("--accounts", "1");
        String second = demo();
        String url = "\\?t=(1d_[a-z0-9]+)&";
        var a = Pattern.compile(url).matcher(first);
        var b = Pattern.compile(url).matcher(second);
        assertThat(a.find() && b.find()).isTrue();
        assertThat(b.group(1)).isEqualTo(a.group(1));
        assertThat(second).contains("usecount = 1");
    }

    @Test
    void takenPort_clearErrorNamingTheWayOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliHarness.Result r = cli().run(
                            "demo",
                            "--dir",
                            dir.resolve("demo").toString(),
                            "--port",
                            "0",
                            "--smtp-port",
                            String.valueOf(taken.getLocalPort()),
                            "--exit");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("SMTP port " + taken.getLocalPort()).contains("0 for any free port");
            assertThat(r.err()).doesNotContain("Exception");
        }
    }

    @Test
    void badAccountCount_usageError() {
        assertThat(cli().fail(2, "demo", "--accounts", "-1", "--exit")).contains("--accounts");
    }
}
