package org.mailadm.cli;

/**
 * What a command needs, declared once on each command ({@link Command#role()}). The launcher picks
 * its JVM flags and class-data archive by it (lib/launcher.sh lists the commands of each role, which
 * {@code CommandRolesTest} checks against these declarations), and {@link AotTraining} trains each
 * archive on the commands of its role.
 */
public enum Role {
    /** Only the database: tokens, QR codes, settings, the audit log. */
    LOCAL,
    /** The database and mailcow's API. */
    MAILCOW,
    /** Runs the web API (a long-running process, trained and tuned as the server). */
    SERVER
}
