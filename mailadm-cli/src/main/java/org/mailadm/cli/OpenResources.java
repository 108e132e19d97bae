package org.mailadm.cli;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.LoggerFactory;

/** What a command opened on the way (the mailcow client); {@link Cli} closes it when the command ends. */
@Singleton
final class OpenResources {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @Inject
    OpenResources() {}

    synchronized <T extends AutoCloseable> T register(T resource) {
        open.push(resource);
        return resource;
    }

    /** Closes everything registered, last first; a failure to close is logged, not thrown. */
    synchronized void closeAll() {
        while (!open.isEmpty()) {
            AutoCloseable resource = open.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(OpenResources.class)
                        .debug("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
