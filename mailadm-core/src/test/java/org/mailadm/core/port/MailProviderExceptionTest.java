package org.mailadm.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** "Unavailable" and "held back" are expressed one way each: by their class (issue 12, finding 9). */
class MailProviderExceptionTest {
    @Test
    void unavailableAndHeldBack_onlyThroughTheirClasses() {
        assertThatThrownBy(() -> new MailProviderException(MailProviderException.Kind.UNAVAILABLE, "x", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailProviderException(MailProviderException.Kind.HELD_BACK, "x", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new MailProviderUnavailableException("down", true, null).kind())
                .isEqualTo(MailProviderException.Kind.UNAVAILABLE);
        MailProviderHeldBackException held = new MailProviderHeldBackException(
                MailProviderHeldBackException.Why.KEY_REJECTED, "paused", Duration.ofMillis(10), null);
        assertThat(held.kind()).isEqualTo(MailProviderException.Kind.HELD_BACK);
        assertThat(held.retryAfter()).as("at least a second").isEqualTo(Duration.ofSeconds(1));
        assertThat(held.stopsTheRun()).isTrue();
        assertThat(new MailProviderException(MailProviderException.Kind.BAD_RESPONSE, "x", false).stopsTheRun())
                .isFalse();
    }
}
