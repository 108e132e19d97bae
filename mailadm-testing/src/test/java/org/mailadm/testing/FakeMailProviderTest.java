package org.mailadm.testing;

import java.time.Instant;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.MailProvider;

class FakeMailProviderTest extends MailProviderContract {
    private FakeMailProvider fake;

    @Override
    protected MailProvider createProvider() {
        fake = new FakeMailProvider("example.org");
        return fake;
    }

    @Override
    protected void simulateLogin(EmailAddress address, Instant when) {
        fake.setLastLogin(address, when);
    }
}
