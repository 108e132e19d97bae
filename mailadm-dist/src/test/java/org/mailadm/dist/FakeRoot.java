package org.mailadm.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary folder made to look like a host's / to useradd --prefix and dpkg --root. */
final class FakeRoot {
    private FakeRoot() {}

    /** Writes the account files useradd edits: only root in them. */
    static void etc(Path root) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Files.writeString(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(etc.resolve("gshadow"), "root:*::\n");
    }
}
