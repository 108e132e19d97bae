package org.mailadm.cli;

import com.beust.jcommander.Parameter;

/** {@code -h/--help}, shared by every command through {@code @ParametersDelegate}. */
public final class HelpOption {
    @Parameter(
            names = {"-h", "--help"},
            help = true,
            description = "Show this help and exit")
    boolean help;
}
