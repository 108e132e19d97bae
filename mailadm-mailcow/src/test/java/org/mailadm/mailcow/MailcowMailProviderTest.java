package org.mailadm.mailcow;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.MailProvider;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.MailProviderContract;

/** The provider contract, against the adapter talking real HTTP to the fake mailcow. */
class MailcowMailProviderTest extends MailProviderContract {
    private FakeMailcowServer mailcow;

    @Override
    protected MailProvider createProvider() {
        mailcow = new FakeMailcowServer().start();
        return new MailcowMailProvider(
                mailcow.endpoint(), new ApiKey(FakeMailcowServer.RW_KEY), MailcowOptions.DEFAULTS);
    }

    @Override
    protected void simulateLogin(EmailAddress address, Instant when) {
        mailcow.setLastImapLogin(address.toString(), when.getEpochSecond());
    }

    @AfterEach
    void stop() {
        mailcow.close();
    }
}
