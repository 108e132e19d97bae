package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/cli.md carries the real --help output of every command; this test fails when they drift.
 * Regenerate with {@code ./mvnw -pl mailadm-cli -am verify -Dtest=CliReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmailadm.updateDocs=true}.
 */
class CliReferenceTest {
    static final List<String> COMMANDS = List.of(
            "init",
            "config",
            "add-token",
            "mod-token",
            "del-token",
            "list-tokens",
            "gen-qr",
            "add-user",
            "del-user",
            "list-users",
            "prune",
            "migrate-db",
            "web",
            "demo",
            "rotate-token",
            "restore",
            "reconcile",
            "audit",
            "backup");
    static final String BEGIN = "<!-- BEGIN GENERATED HELP: do not edit, see CliReferenceTest -->";
    static final String END = "<!-- END GENERATED HELP -->";

    @TempDir
    Path dir;

    String generated() {
        CliHarness cli = new CliHarness(dir);
        StringBuilder sb = new StringBuilder();
        sb.append("### mailadm --help\n\n```\n").append(cli.ok("--help")).append("```\n");
        for (String c : COMMANDS) {
            sb.append("\n### mailadm ")
                    .append(c)
                    .append("\n\n```\n")
                    .append(cli.ok(c, "--help"))
                    .append("```\n");
        }
        cli.close();
        return sb.toString();
    }

    @Test
    void docsShowTheRealHelpOfEveryCommand() throws Exception {
        Path doc = Path.of("..", "docs", "cli.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("docs/cli.md has the generated section").isNotNegative();
        String expected = generated();
        if (Boolean.getBoolean("mailadm.updateDocs")) {
            Files.writeString(
                    doc, text.substring(0, begin + BEGIN.length()) + "\n\n" + expected + "\n" + text.substring(end));
            return;
        }
        assertThat(text.substring(begin + BEGIN.length(), end).strip())
                .as("docs/cli.md is out of date: regenerate it (see CliReferenceTest)")
                .isEqualTo(expected.strip());
    }
}
