package org.mailadm.cli;

import java.io.PrintStream;

/** Where commands print: results to {@code out}, errors and warnings to {@code err}. */
public record Console(PrintStream out, PrintStream err) {}
