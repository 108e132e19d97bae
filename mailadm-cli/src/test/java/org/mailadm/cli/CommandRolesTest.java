package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each command declares its {@link Role} once; the launcher's role lists and the class-data
 * trainings must follow it. A command added without them would start with the wrong flags and an
 * archive that lacks its classes.
 */
class CommandRolesTest {
    private static final Path LAUNCHER =
            Path.of("").toAbsolutePath().getParent().resolve("mailadm-dist/src/main/dist/lib/launcher.sh");

    private static Map<String, Role> roles() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CliComponent component = DaggerCliComponent.factory()
                .create(new Environment(Map.of()), Clock.systemUTC(), new Console(sink, sink));
        Map<String, Role> roles = new TreeMap<>();
        component
                .commands()
                .forEach((name, command) -> roles.put(name, command.get().role()));
        return roles;
    }

    private static Set<String> withRole(Role role) {
        return roles().entrySet().stream()
                .filter(e -> e.getValue() == role)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The commands the launcher's {@code case} gives {@code _role=<role>}. */
    private static Set<String> launcherList(String role) throws Exception {
        String line = Files.readAllLines(LAUNCHER).stream()
                .filter(l -> l.contains("_role=" + role + " ;;") && l.contains("*:"))
                .findFirst()
                .orElseThrow();
        Set<String> commands = new TreeSet<>();
        Matcher m = Pattern.compile("\\*:([a-z-]+)").matcher(line);
        while (m.find()) {
            commands.add(m.group(1));
        }
        return commands;
    }

    @Test
    void everyCommandDeclaresItsRole() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        DaggerCliComponent.factory()
                .create(new Environment(Map.of()), Clock.systemUTC(), new Console(sink, sink))
                .commands()
                .forEach((name, command) -> assertThat(command.get().getClass().getAnnotation(CommandRole.class))
                        .as("@CommandRole on %s", name)
                        .isNotNull());
    }

    @Test
    void theLauncherListsTheCommandsOfEachRole() throws Exception {
        assertThat(launcherList("mailcow")).isEqualTo(withRole(Role.MAILCOW));
        assertThat(launcherList("server")).isEqualTo(withRole(Role.SERVER));
    }

    @Test
    void eachTrainingRunsEveryCommandOfItsRole_andNoMailcowCommandIsTrainedAsLocal() {
        Set<String> local = AotTraining.commandLines(Role.LOCAL, Path.of("/tmp"), "http://127.0.0.1:1/api/v1/").stream()
                .map(AotTraining.Line::command)
                .collect(Collectors.toSet());
        Set<String> mailcow =
                AotTraining.commandLines(Role.MAILCOW, Path.of("/tmp"), "http://127.0.0.1:1/api/v1/").stream()
                        .map(AotTraining.Line::command)
                        .collect(Collectors.toSet());
        assertThat(local).containsAll(withRole(Role.LOCAL)).doesNotContainAnyElementsOf(withRole(Role.MAILCOW));
        assertThat(mailcow).containsAll(withRole(Role.MAILCOW));
    }
}
