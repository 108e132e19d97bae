package org.mailadm.cli;

import java.util.concurrent.CountDownLatch;

/** For commands that serve until Ctrl-C or SIGTERM ({@code web}, {@code demo}). */
final class UntilStopped {
    private UntilStopped() {}

    /** Blocks until the JVM is asked to stop, running {@code stop} (which closes servers) first. */
    static void await(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
