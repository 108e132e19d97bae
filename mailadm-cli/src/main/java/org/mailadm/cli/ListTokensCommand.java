package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin;

@Parameters(commandDescription = "List all tokens")
@CommandRole(Role.LOCAL)
final class ListTokensCommand extends BaseCommand {

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<TokenAdmin> tokens;
    private final Lazy<Settings> settings;
    private final Output output;

    @Inject
    ListTokensCommand(Lazy<TokenAdmin> tokens, Lazy<Settings> settings, Output output) {
        this.tokens = tokens;
        this.settings = settings;
        this.output = output;
    }

    @Override
    public int run() {
        Settings s = settings.get();
        output.warnIfNotHttps(s);
        var tokens = this.tokens.get().list();
        if (json) {
            ArrayNode a = output.mapper().createArrayNode();
            tokens.forEach(t -> a.add(output.tokenJson(t, s)));
            output.printJson(a);
            return 0;
        }
        for (Token t : tokens) {
            output.printToken(t, s);
        }
        return 0;
    }
}
