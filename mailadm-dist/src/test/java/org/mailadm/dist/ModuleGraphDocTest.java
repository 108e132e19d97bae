package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md draws the module graph; it must be the one the poms declare. */
class ModuleGraphDocTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern MAILADM_ARTIFACT = Pattern.compile("<artifactId>(mailadm-[a-z]+)</artifactId>");
    private static final Pattern EDGE = Pattern.compile("^  (mailadm-[a-z]+) --> (mailadm-[a-z]+)$", Pattern.MULTILINE);

    /** Edges from each module's pom: its mailadm dependencies outside test scope. */
    private static Set<String> pomEdges() throws Exception {
        Set<String> edges = new TreeSet<>();
        try (Stream<Path> modules = Files.list(REPO)) {
            for (Path module : modules.filter(p ->
                            p.getFileName().toString().startsWith("mailadm-") && Files.exists(p.resolve("pom.xml")))
                    .toList()) {
                String pom = Files.readString(module.resolve("pom.xml"));
                String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
                Matcher d = DEPENDENCY.matcher(dependencies);
                while (d.find()) {
                    Matcher a = MAILADM_ARTIFACT.matcher(d.group(1));
                    if (a.find() && !d.group(1).contains("<scope>test</scope>")) {
                        edges.add(module.getFileName() + " --> " + a.group(1));
                    }
                }
            }
        }
        return edges;
    }

    @Test
    void architectureDocDrawsThePomsGraph() throws Exception {
        String doc = Files.readString(REPO.resolve("docs/architecture.md"));
        Set<String> drawn = new TreeSet<>();
        Matcher m = EDGE.matcher(doc);
        while (m.find()) {
            drawn.add(m.group(1) + " --> " + m.group(2));
        }
        assertThat(drawn).as("docs/architecture.md's module graph").isEqualTo(pomEdges());
    }
}
