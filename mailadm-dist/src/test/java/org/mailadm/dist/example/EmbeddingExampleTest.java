package org.mailadm.dist.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.MutableClock;

/** The embedding page's example runs, and the page shows it as it is. */
class EmbeddingExampleTest {
    @TempDir
    Path dir;

    @Test
    void example_createsAnAccountInMailcowAndTheDatabase() {
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = dir.resolve("mailadm.db");
            String address = EmbeddingExample.run(db, mailcow.endpoint(), FakeMailcowServer.RW_KEY);
            assertThat(address).startsWith("tmp.").endsWith("@example.org");
            assertThat(mailcow.hasMailbox(address)).isTrue();
            try (SqliteStorage storage = SqliteStorage.open(db, MutableClock.atFixedStart())) {
                assertThat(storage.listAccounts())
                        .extracting(a -> a.address().toString())
                        .containsExactly(address);
            }
            // Run again on the same file: the token exists, a second account is made.
            EmbeddingExample.run(db, mailcow.endpoint(), FakeMailcowServer.RW_KEY);
            assertThat(mailcow.usernamesTagged("mailadm:oneday")).hasSize(2);
        }
    }

    @Test
    void docsShowTheExampleVerbatim() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        List<String> source = Files.readAllLines(
                repo.resolve("mailadm-dist/src/test/java/org/mailadm/dist/example/EmbeddingExample.java"));
        String example = source
                .subList(source.indexOf("        // example:start") + 1, source.indexOf("        // example:end"))
                .stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(repo.resolve("docs/embedding.md")))
                .as("docs/embedding.md shows EmbeddingExample's code; copy it again")
                .contains(example);
    }
}
