package org.mailadm.core.config;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.SettingsStore;
import org.mailadm.core.port.SettingsStore.ConfigEntry;

/**
 * Reads and changes mailadm's settings ({@code init}, {@code config}, the demo). Every change is
 * audited with the names of the settings that changed, never the API key itself.
 */
public final class Configuration {
    /** The stored name of the API key, which {@link #entries()} masks (the original's name). */
    static final String API_KEY_ENTRY = "mailcow_token";

    private final SettingsStore store;
    private final Audit audit;

    @Inject
    public Configuration(SettingsStore store, Audit audit) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** The settings, or empty when {@code init} has not run (or left them incomplete). */
    public Optional<Settings> current() {
        return store.settings();
    }

    /**
     * Stores {@code settings}, replacing the earlier ones, and audits which of them changed.
     *
     * @return the names of the settings that changed ({@code mail_domain}, {@code web_endpoint},
     *     {@code mailcow_endpoint}, {@code mailcow_token}), empty when nothing did
     */
    public List<String> save(Settings settings) {
        Optional<Settings> before = store.settings();
        List<String> changed = new ArrayList<>();
        if (before.map(b -> !b.mailDomain().equals(settings.mailDomain())).orElse(true)) {
            changed.add("mail_domain");
        }
        if (before.map(b -> !b.webEndpoint().equals(settings.webEndpoint())).orElse(true)) {
            changed.add("web_endpoint");
        }
        if (before.map(b -> !b.mailcowEndpoint().equals(settings.mailcowEndpoint()))
                .orElse(true)) {
            changed.add("mailcow_endpoint");
        }
        if (before.map(b ->
                        !b.mailcowToken().value().equals(settings.mailcowToken().value()))
                .orElse(true)) {
            changed.add(API_KEY_ENTRY);
        }
        store.saveSettings(settings);
        audit.record(
                AuditAction.SETTINGS_CHANGED,
                "",
                Optional.empty(),
                changed.isEmpty() ? AuditOutcome.ok("nothing changed") : AuditOutcome.ok(String.join(", ", changed)));
        return List.copyOf(changed);
    }

    /**
     * Every stored configuration row, in name order, for display: the schema version ({@code
     * dbversion}) included, the API key masked ({@link ApiKey#masked()}).
     */
    public List<ConfigEntry> entries() {
        return store.configEntries().stream()
                .map(e -> e.name().equals(API_KEY_ENTRY) && !e.value().isBlank()
                        ? new ConfigEntry(e.name(), new ApiKey(e.value()).masked())
                        : e)
                .toList();
    }
}
