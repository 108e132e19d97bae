package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings that would defeat a protection are refused with one line naming the variable. */
class ServerConfigTest {
    private static ServerConfig with(String name, String value) {
        return ServerConfig.fromEnvironment(Map.of(name, value));
    }

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.guard()).isEqualTo(ServerConfig.Guard.DEFAULTS);
        assertThat(c.mailcow().listTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(with("MAILCOW_COOLDOWN", "600").guard().cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(with("MAILCOW_QUEUE_WAIT", "0.5").guard().queueWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(with("MAILCOW_MAX_CALLS", "4").guard().maxCalls()).isEqualTo(4);
        assertThat(with("MAILCOW_COOLDOWN", "").guard().cooldown())
                .as("blank is the default, as for MAILCOW_LIST_TIMEOUT")
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aCooldownTooShortForFail2ban_isRefused() {
        assertThatThrownBy(() -> with("MAILCOW_COOLDOWN", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MAILCOW_COOLDOWN '0' is too short: at least 120 seconds");
        assertThatThrownBy(() -> with("MAILCOW_COOLDOWN", "60")).hasMessageContaining("fail2ban");
    }

    @Test
    void zeroOrNonsense_isRefused_inTheRightUnit() {
        assertThatThrownBy(() -> with("MAILCOW_MAX_CALLS", "0"))
                .hasMessage("MAILCOW_MAX_CALLS '0' is not a whole number from 1 to 1000");
        assertThatThrownBy(() -> with("MAILCOW_MAX_CALLS", "-3")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> with("MAILCOW_LIST_TIMEOUT", "0"))
                .hasMessage("MAILCOW_LIST_TIMEOUT '0' is not a number of seconds (1 to 86400)");
        assertThatThrownBy(() -> with("MAILADM_RATE_LIMIT", "0/min"))
                .hasMessageContaining("allows nothing")
                .hasMessageContaining("off");
        assertThatThrownBy(() -> with("MAILCOW_QUEUE_WAIT", "xyz")).hasMessageContaining("MAILCOW_QUEUE_WAIT");
        assertThat(with("MAILADM_RATE_LIMIT", "off").createLimit().enabled()).isFalse();
    }
}
