package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;

/**
 * The behaviour every {@link org.mailadm.core.port.SettingsStore} must have, run by {@link StorageContract} against each whole
 * store.
 */
public interface SettingsStoreContract extends StorageFixture {
    @Test
    default void settings_roundTrip() {
        assertThat(storage().settings()).isEmpty();
        Settings s = new Settings(
                "example.org",
                URI.create("https://mailadm.example.org/new_email"),
                URI.create("https://mailcow.example.org/api/v1/"),
                new ApiKey("932848-324B2E-787E98-FCA29D-89789A"));
        storage().saveSettings(s);
        assertThat(storage().settings()).contains(s);
        assertThat(storage().configEntries())
                .extracting(Storage.ConfigEntry::name)
                .contains("dbversion", "mail_domain", "web_endpoint", "mailcow_endpoint", "mailcow_token");
    }
}
