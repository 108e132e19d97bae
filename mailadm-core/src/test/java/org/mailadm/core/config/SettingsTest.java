package org.mailadm.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final ApiKey KEY = new ApiKey("932848-324B2E-787E98-FCA29D-89789A");

    @Test
    void mailcowEndpoint_getsTrailingSlash() {
        Settings s = new Settings(
                "example.org",
                URI.create("https://m.example.org/new_email"),
                URI.create("https://mailcow.example.org/api/v1"),
                KEY);
        assertThat(s.mailcowEndpoint().toString()).isEqualTo("https://mailcow.example.org/api/v1/");
    }

    @Test
    void toString_hidesApiKey() {
        Settings s = new Settings(
                "example.org",
                URI.create("https://m.example.org/new_email"),
                URI.create("https://mailcow.example.org/api/v1/"),
                KEY);
        assertThat(s.toString()).doesNotContain("324B2E").contains("example.org");
        assertThat(KEY.toString()).doesNotContain("324B2E");
        assertThat(KEY.masked()).endsWith("789A").doesNotContain("324B2E");
    }

    @Test
    void parseHttpUrl_refusesRelativeAndOtherSchemes() {
        assertThatThrownBy(() -> Settings.parseHttpUrl("web endpoint", "mailadm.example.org/new_email"))
                .hasMessageContaining("web endpoint")
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> Settings.parseHttpUrl("web endpoint", "ftp://x.org/"))
                .hasMessageContaining("http");
        assertThatThrownBy(() -> Settings.parseHttpUrl("web endpoint", "https://x.org/a?t=1"))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> Settings.parseHttpUrl("web endpoint", "https://x .org/"))
                .hasMessageContaining("not a valid URL");
    }

    @Test
    void badDomain_refused() {
        assertThatThrownBy(() -> new Settings(
                        "not a domain",
                        URI.create("https://m.example.org/"),
                        URI.create("https://mailcow.example.org/api/v1/"),
                        KEY))
                .hasMessageContaining("invalid domain");
    }
}
