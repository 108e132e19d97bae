package org.mailadm.mailcow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.MailboxDeletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes mailboxes with {@code POST delete/mailbox} in batches sized and timed by {@link
 * DeletionPace}, up to {@link #DELETE_CONCURRENCY} batches at a time, and reads each answer with
 * {@link DeleteAnswer}: {@code ["mailbox_removed", address]} is a deletion, any other entry a failure
 * ({@code access_denied} also for a mailbox that does not exist, {@code
 * shared/contracts/mailcow-api.md} §5). A batch whose answer is lost is an unknown outcome, since
 * mailcow goes on deleting after the client gave up (§8.1). Thread-safe; one per provider.
 */
final class DeletionBatches {
    /** Deletion batches in flight at once: mailcow works on one while mailadm reads another's answer. */
    static final int DELETE_CONCURRENCY = 3;

    // Logged under the adapter's name, as before this class was split from it.
    private static final Logger LOG = LoggerFactory.getLogger(MailcowMailProvider.class);

    private final MailcowRequests requests;
    private final DeletionPace pace;

    DeletionBatches(MailcowRequests requests) {
        this.requests = requests;
        MailcowOptions options = requests.options();
        this.pace = new DeletionPace(options.requestTimeout(), options.deleteBatchSize());
    }

    /** See {@link MailcowMailProvider#deleteMailboxes}: one result per address, in the order given. */
    List<MailboxDeletion> delete(List<EmailAddress> addresses) {
        List<MailboxDeletion> out = new ArrayList<>(addresses.size());
        int done = 0;
        if (!pace.measured() && !addresses.isEmpty()) {
            out.addAll(deleteMeasured(addresses.subList(0, 1)));
            done = 1;
        }
        int size = pace.batchSize();
        List<List<EmailAddress>> batches = new ArrayList<>();
        for (int i = done; i < addresses.size(); i += size) {
            batches.add(addresses.subList(i, Math.min(addresses.size(), i + size)));
        }
        if (batches.size() <= 1) {
            batches.forEach(b -> out.addAll(deleteMeasured(b)));
            return out;
        }
        Semaphore slots = new Semaphore(DELETE_CONCURRENCY);
        List<Future<List<MailboxDeletion>>> futures = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<EmailAddress> batch : batches) {
                slots.acquireUninterruptibly();
                futures.add(pool.submit(() -> {
                    try {
                        return deleteMeasured(batch);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        RuntimeException failure = null;
        for (var f : futures) {
            try {
                out.addAll(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MailProviderException(Kind.OTHER, "interrupted while deleting mailboxes", true, e);
            }
        }
        if (failure != null) {
            throw failure; // a refusal (key, address): the caller keeps every row it could not verify
        }
        return out;
    }

    /** One batch, timed for {@link DeletionPace}; a lost answer becomes unknown outcomes. */
    private List<MailboxDeletion> deleteMeasured(List<EmailAddress> batch) {
        long start = System.nanoTime();
        try {
            List<MailboxDeletion> result = deleteBatch(batch);
            pace.answered(batch.size(), Duration.ofNanos(System.nanoTime() - start));
            return result;
        } catch (MailProviderException e) {
            if (!e.outcomeUnknown()) {
                throw e;
            }
            if (e instanceof MailProviderUnavailableException) {
                pace.timedOut(batch.size(), Duration.ofNanos(System.nanoTime() - start));
            }
            LOG.warn("mailcow's answer to deleting {} mailboxes was lost: {}", batch.size(), e.getMessage());
            return batch.stream()
                    .map(a -> MailboxDeletion.unknown(a, e.getMessage()))
                    .toList();
        }
    }

    private List<MailboxDeletion> deleteBatch(List<EmailAddress> batch) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        batch.forEach(a -> items.add(a.toString()));
        Duration timeout = pace.timeout(batch.size());
        HttpResponse<byte[]> resp = requests.send(
                requests.postRequest("delete/mailbox", items, timeout),
                "delete/mailbox",
                true,
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] bytes = resp.body() == null ? new byte[0] : resp.body();
        int first = 0;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) {
            first++;
        }
        if (resp.statusCode() != 200 || first == bytes.length || bytes[first] != '[') {
            String body = new String(bytes, StandardCharsets.UTF_8);
            throw MailcowAnswers.unexpected(
                    "delete/mailbox",
                    MailcowAnswers.checkedTree(resp.statusCode(), body, "delete/mailbox", true),
                    true);
        }
        Set<String> removed = new HashSet<>();
        String failure = "mailcow did not confirm the deletion";
        List<DeleteAnswer.Entry> entries;
        try {
            entries = DeleteAnswer.entries(bytes);
        } catch (IOException e) {
            throw MailcowAnswers.badJson(
                    "delete/mailbox", new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8), true);
        }
        for (DeleteAnswer.Entry e : entries) {
            List<String> msg = e.msg();
            if (e.type().equals("success") && msg.size() > 1 && msg.get(0).equals("mailbox_removed")) {
                removed.add(msg.get(1).toLowerCase(Locale.ROOT));
            } else if (e.type().equals("danger")) {
                failure = "mailcow answered " + String.join(" ", msg);
            }
        }
        List<MailboxDeletion> out = new ArrayList<>(batch.size());
        for (EmailAddress a : batch) {
            out.add(removed.contains(a.toString()) ? MailboxDeletion.deleted(a) : MailboxDeletion.failed(a, failure));
        }
        return out;
    }
}
