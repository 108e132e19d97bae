package org.mailadm.greenmail;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.MailProvider;
import org.mailadm.testing.MailProviderContract;

class GreenMailProviderContractTest extends MailProviderContract {
    private EmbeddedMailServer server;
    private GreenMailProvider greenMail;

    @Override
    protected MailProvider createProvider() {
        server = EmbeddedMailServer.start(EmbeddedMailServer.Options.anyPorts("example.org"));
        greenMail = new GreenMailProvider(server);
        return greenMail;
    }

    @Override
    protected void simulateLogin(EmailAddress address, Instant when) {
        greenMail.recordLogin(address, when);
    }

    @AfterEach
    void stop() {
        server.close();
    }
}
