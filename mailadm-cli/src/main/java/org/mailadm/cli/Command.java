package org.mailadm.cli;

/**
 * One {@code mailadm} command. Its JCommander-annotated fields are filled by parsing before
 * {@link #run()} is called once.
 */
public interface Command {
    /**
     * Runs the command.
     *
     * @return the exit code: 0 done, 1 refused or failed
     * @throws CliException for a refusal the user can act on (exit 1)
     * @throws UsageException for wrong arguments (exit 2)
     */
    int run();

    /** What the command needs, as its {@link CommandRole} declares. */
    default Role role() {
        return getClass().getAnnotation(CommandRole.class).value();
    }

    /** Whether the command may run before the database exists, as its {@link CommandRole} declares. */
    default boolean createsDatabase() {
        return getClass().getAnnotation(CommandRole.class).createsDatabase();
    }

    /** The command's {@code -h/--help} flag. */
    HelpOption help();
}
