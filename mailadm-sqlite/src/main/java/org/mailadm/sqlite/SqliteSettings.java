package org.mailadm.sqlite;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.SettingsStore;
import org.mailadm.core.port.StorageException;

/** {@link SettingsStore} on the {@code config} table, with the original's names for the settings. */
final class SqliteSettings implements SettingsStore {
    private static final List<String> SETTING_NAMES =
            List.of("mail_domain", "web_endpoint", "mailcow_endpoint", "mailcow_token");

    private final Database db;

    SqliteSettings(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Settings> settings() {
        Map<String, String> c = db.read(h -> h
                .createQuery("SELECT name, value FROM config WHERE value IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("value")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        if (!c.keySet().containsAll(SETTING_NAMES)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Settings(
                    c.get("mail_domain"),
                    URI.create(c.get("web_endpoint")),
                    URI.create(c.get("mailcow_endpoint")),
                    new ApiKey(c.get("mailcow_token"))));
        } catch (IllegalArgumentException e) {
            throw new StorageException(
                    "the stored configuration is invalid (" + e.getMessage() + "); run `mailadm init`");
        }
    }

    @Override
    public void saveSettings(Settings s) {
        db.write(h -> {
            PreparedBatch b = h.prepareBatch("INSERT OR REPLACE INTO config (name, value) VALUES (:name, :value)");
            add(b, "mail_domain", s.mailDomain());
            add(b, "web_endpoint", s.webEndpoint().toString());
            add(b, "mailcow_endpoint", s.mailcowEndpoint().toString());
            add(b, "mailcow_token", s.mailcowToken().value());
            b.execute();
            return null;
        });
    }

    private static void add(PreparedBatch b, String name, String value) {
        b.bind("name", name).bind("value", value).add();
    }

    @Override
    public List<ConfigEntry> configEntries() {
        return db.read(h -> h.createQuery("SELECT name, value FROM config ORDER BY name")
                .map((rs, ctx) -> new ConfigEntry(
                        rs.getString("name"), rs.getString("value") == null ? "" : rs.getString("value")))
                .list());
    }
}
