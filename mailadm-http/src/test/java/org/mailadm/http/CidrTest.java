package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void equalNetworksAreEqual_andPrintAsWritten() throws Exception {
        assertThat(Cidr.parse("t", "10.0.0.0/8")).isEqualTo(Cidr.parse("t", "10.0.0.0/8"));
        assertThat(Cidr.parse("t", "10.0.0.0/8").hashCode())
                .isEqualTo(Cidr.parse("t", "10.0.0.0/8").hashCode());
        assertThat(Cidr.parse("t", "10.0.0.0/8")).isNotEqualTo(Cidr.parse("t", "10.0.0.0/16"));
        assertThat(Cidr.parse("t", "10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("t", "::1")).hasToString("0:0:0:0:0:0:0:1/128");
        assertThat(Cidr.parse("t", "fd00::/8").contains(InetAddress.getByName("fd12::5")))
                .isTrue();
        assertThat(Cidr.parse("t", "10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1")))
                .isFalse();
        assertThatThrownBy(() -> Cidr.parse("MAILADM_TRUSTED_PROXIES", "proxy.example.org"))
                .hasMessageContaining("MAILADM_TRUSTED_PROXIES");
    }
}
