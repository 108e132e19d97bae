package org.mailadm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Databases written by the original Python mailadm (copied from {@code shared/fixtures/}) and by
 * earlier schema versions of this one, handed out as fresh copies so tests can modify them.
 */
public final class Fixtures {
    /** Written by Python mailadm 1.0.0: 4 tokens, 4 users (see python-mailadm-1.0-transcript.md). */
    public static final String MAILADM_1_0 = "python-mailadm-1.0.db";
    /** The 0.10 series' pre-mailcow schema: 2 tokens, 3 users with hash_pw and homedir. */
    public static final String PRE_MAILCOW = "python-mailadm-0.10-premailcow.db";

    /**
     * Written by this project's schema 2 (commit 7d6c00d, before the token policy and the audit
     * log): tokens {@code oneday} (1d, tmp.) and {@code forever} (never, p., maxuse 3), one account
     * each, tmp.alice@example.org and p.bob@example.org.
     */
    public static final String SCHEMA_2 = "mailadm-java-0.1-schema2.db";

    private Fixtures() {}

    /** Copies a fixture database to {@code dir/mailadm.db} and returns that path. */
    public static Path copy(String fixture, Path dir) {
        Path target = dir.resolve("mailadm.db");
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
