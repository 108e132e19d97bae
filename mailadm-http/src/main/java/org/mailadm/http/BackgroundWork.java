package org.mailadm.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailadm.core.account.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does besides answering: settles pending accounts past the in-flight window at
 * start and every {@code reconcileInterval}, and probes mailcow every {@code healthProbe} for
 * {@code /health}. Each on a thread of its own; neither ever delays an answer or the start, and a
 * failure is one log line, tried again at the next turn.
 */
final class BackgroundWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailadmServer.class);

    private final Reconciler reconciler;
    private final HealthCheck health;
    private final Duration reconcileEvery;
    private final Duration probeEvery;
    private ScheduledExecutorService settling;
    private ScheduledExecutorService probing;

    BackgroundWork(Reconciler reconciler, HealthCheck health, Duration reconcileEvery, Duration probeEvery) {
        this.reconciler = reconciler;
        this.health = health;
        this.reconcileEvery = reconcileEvery;
        this.probeEvery = probeEvery;
    }

    void start() {
        settling = single("mailadm-reconcile");
        settling.execute(() -> settle("start-up reconcile"));
        settling.scheduleWithFixedDelay(
                () -> settle("background reconcile"),
                reconcileEvery.toMillis(),
                reconcileEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        probing = single("mailadm-health-probe");
        if (probeEvery.isPositive()) {
            probing.scheduleWithFixedDelay(health::probe, 0, probeEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Settles pending accounts past the window; one log line when there were any. */
    private void settle(String what) {
        try {
            Reconciler.PendingReport report = reconciler.settlePending();
            if (report.total() > 0) {
                LOG.info(
                        "{}: {} pending accounts confirmed, {} released, {} discarded (nobody received their"
                                + " credentials), {} left for later",
                        what,
                        report.confirmed().size(),
                        report.released().size(),
                        report.discarded().size(),
                        report.unresolved().size());
            }
        } catch (RuntimeException e) {
            LOG.warn("{} failed, tried again in a minute: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (settling != null) {
            settling.shutdownNow();
            probing.shutdownNow();
        }
    }
}
