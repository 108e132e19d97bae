package org.mailadm.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.mailadm.testing.FakeMailcowFaults.Quirk;
import org.mailadm.testing.FakeMailcowState.Box;
import org.mailadm.testing.FakeMailcowState.Domain;

/**
 * The fake mailcow's {@code get/mailbox}: one mailbox, a listing ({@code all}, {@code reduced}), or
 * a tag search, in the shapes of {@code shared/contracts/mailcow-api.md} §6 ({@code {}} or {@code
 * []} for none, the mailbox object of §6.2). Called with the state's lock held; listings are
 * rendered under it as snapshots and streamed after it.
 */
final class FakeMailcowReads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FakeMailcowState state;
    private final FakeMailcowFaults faults;

    FakeMailcowReads(FakeMailcowState state, FakeMailcowFaults faults) {
        this.state = state;
        this.faults = faults;
    }

    /**
     * {@code get/mailbox/{object}/{extra}}, {@code tags} from {@code ?tags=} (null without it).
     *
     * @throws JsonProcessingException never in practice: a single mailbox is written pretty
     */
    FakeMailcowAnswer get(String object, String extra, List<String> tags) throws JsonProcessingException {
        if (object.equals("reduced") && faults.has(Quirk.NO_REDUCED_LISTING)) {
            return new FakeMailcowAnswer(200, "{}"); // a mailcow before 2022-01 takes "reduced" for a username
        }
        if ((object.equals("all") || object.equals("reduced")) && faults.has(Quirk.LISTING_ANSWERS_EMPTY)) {
            return new FakeMailcowAnswer(200, "{}"); // mailcow when its domain lookup comes back empty
        }
        if (object.equals("all") || object.equals("reduced")) {
            List<String> wanted = extra.isEmpty()
                    ? List.of()
                    : List.of(extra.toLowerCase(Locale.ROOT).split(","));
            List<Box> selected = state.boxes().stream()
                    .filter(b ->
                            wanted.isEmpty() || !wanted.stream().anyMatch(state::isDomain) || wanted.contains(b.domain))
                    .filter(b -> tags == null || hasTagLike(b, tags))
                    .filter(b -> !faults.isOmittedFromListing(b.username))
                    .toList();
            return list(selected, object.equals("reduced"), true);
        }
        String u = object.toLowerCase(Locale.ROOT);
        if (tags != null) {
            return list(
                    state.boxes().stream()
                            .filter(b -> b.username.contains(u) && hasTagLike(b, tags))
                            .toList(),
                    false,
                    false);
        }
        if (faults.has(Quirk.BUG_2022_05)) {
            return list(List.copyOf(state.boxes()), false, true);
        }
        Box b = state.box(u);
        return new FakeMailcowAnswer(200, b == null ? "{}" : PRETTY.writeValueAsString(details(b, false)));
    }

    /**
     * A list of mailboxes, streamed; {@code {}} (or {@code []}) when empty, as mailcow answers.
     * The details are rendered now, under the lock, as compact per-mailbox snapshots.
     */
    private FakeMailcowAnswer list(List<Box> selected, boolean reduced, boolean emptyIsObject) {
        if (selected.isEmpty()) {
            return new FakeMailcowAnswer(200, emptyIsObject ? "{}" : "[]");
        }
        List<View> snapshot = new ArrayList<>(selected.size());
        for (Box b : selected) {
            snapshot.add(view(b));
        }
        return new FakeMailcowAnswer(200, null, g -> {
            g.writeStartArray();
            for (View v : snapshot) {
                write(g, v, reduced);
            }
            g.writeEndArray();
        });
    }

    /** mailcow's SQL {@code LIKE '%tag%'}: substring match, with {@code _} and {@code %} as wildcards. */
    private static boolean hasTagLike(Box b, List<String> tags) {
        for (String t : tags) {
            StringBuilder re = new StringBuilder(".*");
            for (char c : t.toLowerCase(Locale.ROOT).toCharArray()) {
                re.append(c == '_' ? "." : c == '%' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            re.append(".*");
            Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
            if (b.tags.stream()
                    .anyMatch(tag -> p.matcher(tag.toLowerCase(Locale.ROOT)).matches())) {
                return true;
            }
        }
        return false;
    }

    /** What a GET shows of a mailbox, copied under the lock so it can be written outside it. */
    private record View(
            String username,
            int active,
            String domain,
            String name,
            String localPart,
            long quotaBytes,
            String created,
            String modified,
            long lastImapLogin,
            long lastSmtpLogin,
            long maxNewQuota,
            List<String> tags) {}

    private View view(Box b) {
        Domain dom = state.domain(b.domain);
        long maxNew = Long.MAX_VALUE;
        if (dom != null && dom.totalQuotaMiB() > 0) {
            maxNew = (dom.totalQuotaMiB() - state.usedQuotaMiB(b.domain)) * 1048576L + b.quotaBytes;
        }
        if (dom != null && dom.maxQuotaMiB() > 0) {
            maxNew = Math.min(maxNew, dom.maxQuotaMiB() * 1048576L);
        }
        return new View(
                b.username,
                b.active,
                b.domain,
                b.name,
                b.localPart,
                b.quotaBytes,
                b.created,
                b.modified,
                b.lastImapLogin,
                b.lastSmtpLogin,
                maxNew == Long.MAX_VALUE ? 0 : maxNew,
                List.copyOf(b.tags));
    }

    private ObjectNode details(Box b, boolean reduced) {
        try {
            TokenBuffer buffer = new TokenBuffer(JSON, false);
            write(buffer, view(b), reduced);
            return (ObjectNode) JSON.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one mailbox with the keys, order and JSON types of a real mailcow (§6.2 of the contract). */
    private static void write(JsonGenerator g, View v, boolean reduced) throws IOException {
        g.writeStartObject();
        g.writeStringField("username", v.username());
        g.writeNumberField("active", v.active());
        g.writeNumberField("active_int", v.active());
        g.writeStringField("domain", v.domain());
        g.writeStringField("name", v.name());
        g.writeStringField("local_part", v.localPart());
        g.writeNumberField("quota", v.quotaBytes());
        g.writeNumberField("messages", 0);
        g.writeObjectFieldStart("attributes");
        for (String k : List.of("force_pw_update", "force_tfa", "tls_enforce_in", "tls_enforce_out")) {
            g.writeStringField(k, "0");
        }
        for (String k : List.of(
                "sogo_access",
                "imap_access",
                "pop3_access",
                "smtp_access",
                "sieve_access",
                "eas_access",
                "dav_access")) {
            g.writeStringField(k, "1");
        }
        g.writeStringField("relayhost", "0");
        g.writeStringField("passwd_update", v.created());
        g.writeStringField("mailbox_format", "maildir:");
        g.writeStringField("quarantine_notification", "hourly");
        g.writeStringField("quarantine_category", "reject");
        g.writeStringField("attribute_hash", "");
        g.writeEndObject();
        g.writeArrayFieldStart("custom_attributes");
        g.writeEndArray();
        g.writeNumberField("quota_used", 0);
        if (v.quotaBytes() == 0) {
            g.writeStringField("percent_in_use", "- ");
        } else {
            g.writeNumberField("percent_in_use", 0);
        }
        g.writeStringField("created", v.created());
        g.writeStringField("modified", v.modified());
        g.writeStringField("authsource", "mailcow");
        g.writeStringField("percent_class", v.quotaBytes() == 0 ? "info" : "success");
        g.writeNumberField("last_imap_login", v.lastImapLogin());
        g.writeNumberField("last_smtp_login", v.lastSmtpLogin());
        g.writeNumberField("last_pop3_login", 0);
        g.writeNumberField("last_sso_login", 0);
        if (!reduced) {
            g.writeNumberField("max_new_quota", v.maxNewQuota());
            g.writeNumberField("spam_aliases", 0);
            g.writeNumberField("pushover_active", 0);
            g.writeBooleanField("rl", false);
            g.writeStringField("rl_scope", "domain");
            g.writeNumberField("is_relayed", 0);
            g.writeArrayFieldStart("sender_acl");
            g.writeEndArray();
        }
        if (!v.tags().isEmpty()) {
            g.writeArrayFieldStart("tags");
            for (String t : v.tags()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
