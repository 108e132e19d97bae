package org.mailadm.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.mailadm.core.port.Storage;

/** What every server component exposes, whichever mail provider it is wired with. */
public interface HttpGraph {
    MailadmServer server();

    Storage storage();

    PrometheusMeterRegistry registry();
}
