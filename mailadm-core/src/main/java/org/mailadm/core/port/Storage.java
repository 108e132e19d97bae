package org.mailadm.core.port;

/**
 * A whole store: every storage port, implemented by one adapter on one database (SQLite, the
 * in-memory fake). Use cases depend on the ports they use ({@link TokenStore}, {@link
 * AccountStore}, ...), never on this; entry points and adapter modules use it to bind them all to one
 * store and to close it.
 *
 * <p>The ports' common contract: every method is atomic; implementations are safe for many threads
 * and, for file-based stores, for several processes on one file; failures of the store itself throw
 * {@link StorageException}.
 */
public interface Storage extends SettingsStore, TokenStore, AccountStore, LeaseStore, AuditLog {}
