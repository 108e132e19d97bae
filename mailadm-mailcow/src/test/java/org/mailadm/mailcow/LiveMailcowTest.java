package org.mailadm.mailcow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Secrets;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenName;

/**
 * Runs only against a real mailcow: set MAILCOW_ENDPOINT, MAILCOW_TOKEN (read-write) and
 * MAIL_DOMAIN. Creates one mailbox of its own, checks it, and deletes it again.
 */
@EnabledIfEnvironmentVariable(named = "MAILCOW_ENDPOINT", matches = ".+")
@EnabledIfEnvironmentVariable(named = "MAILCOW_TOKEN", matches = ".+")
@EnabledIfEnvironmentVariable(named = "MAIL_DOMAIN", matches = ".+")
class LiveMailcowTest {
    @Test
    void createFindListDelete_onARealMailcow() {
        MailcowMailProvider p = new MailcowMailProvider(
                URI.create(System.getenv("MAILCOW_ENDPOINT")),
                new ApiKey(System.getenv("MAILCOW_TOKEN")),
                MailcowOptions.DEFAULTS);
        Secrets secrets = new Secrets(new SecureRandom()::nextInt);
        EmailAddress a = new EmailAddress(secrets.localPart("mailadm-livetest."), System.getenv("MAIL_DOMAIN"));
        p.checkHealth();
        assertThat(p.createMailbox(new NewMailbox(a, secrets.password(), new TokenName("livetest"), 0)))
                .isInstanceOf(CreateMailboxResult.Created.class);
        try {
            assertThat(p.findMailbox(a).orElseThrow().mailadmToken()).contains("livetest");
            assertThat(p.listMailboxes()).anyMatch(m -> m.address().equals(a));
        } finally {
            assertThat(p.deleteMailboxes(List.of(a)).get(0).deleted()).isTrue();
        }
        assertThat(p.findMailbox(a)).isEmpty();
    }
}
