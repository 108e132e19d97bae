package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Forwarded addresses as proxies write them: every client is told apart, none is misread. */
class ClientAddressTest {
    private static String read(String forwarded) {
        var a = ClientAddress.literal(forwarded);
        return a == null ? null : a.getHostAddress();
    }

    @Test
    void bracketsPortsAndZonesAreUnderstood() {
        assertThat(read("203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(read("203.0.113.5:4711")).isEqualTo("203.0.113.5");
        assertThat(read("2001:db8::2")).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(read("[2001:db8::2]")).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(read("[2001:db8::3]:443")).isEqualTo("2001:db8:0:0:0:0:0:3");
        assertThat(read("fe80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:1");
    }

    @Test
    void oldStyleOrNonAddresses_areNotMisread() {
        assertThat(read("1.2.3")).as("the JDK would read 1.2.0.3").isNull();
        assertThat(read("01.02.03.04")).isNull();
        assertThat(read("0x7f.1")).isNull();
        assertThat(read("unknown")).isNull();
        assertThat(read("")).isNull();
        assertThat(read("[2001:db8::2")).isNull();
    }
}
