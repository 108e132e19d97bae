package org.mailadm.cli;

import com.beust.jcommander.ParametersDelegate;

/** What every command shares: its {@code -h/--help} flag. */
abstract class BaseCommand implements Command {
    @ParametersDelegate
    final HelpOption help = new HelpOption();

    @Override
    public final HelpOption help() {
        return help;
    }
}
