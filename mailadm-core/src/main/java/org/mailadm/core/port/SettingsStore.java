package org.mailadm.core.port;

import java.util.List;
import java.util.Optional;
import org.mailadm.core.config.Settings;

/**
 * Where {@code init} keeps the mailcow settings, and the raw configuration rows ({@code config} table) for display.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException} ({@link
 * StorageBusyException} when another writer holds the store too long); expected outcomes are return
 * values.
 */
public interface SettingsStore {
    /** The settings written by {@code init}, or empty when they are missing or incomplete. */
    Optional<Settings> settings();

    /** Stores the settings, replacing earlier ones. */
    void saveSettings(Settings settings);

    /** Every raw configuration entry, in name order, for display (including the schema version). */
    List<ConfigEntry> configEntries();

    /** One raw configuration row. */
    record ConfigEntry(String name, String value) {}
}
