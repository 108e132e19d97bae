package org.mailadm.testing;

import static org.mailadm.testing.FakeMailcowAnswer.entries;
import static org.mailadm.testing.FakeMailcowAnswer.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.mailadm.testing.FakeMailcowFaults.DangerButCreated;
import org.mailadm.testing.FakeMailcowFaults.Quirk;
import org.mailadm.testing.FakeMailcowState.Box;
import org.mailadm.testing.FakeMailcowState.Domain;

/**
 * The fake mailcow's {@code add/mailbox}, {@code edit/mailbox} and {@code delete/mailbox}, answered
 * with the status entries of {@code shared/contracts/mailcow-api.md} §3-5 and §7: checks in
 * mailcow's order ({@code functions.mailbox.inc.php}), {@code log} echoing the request with passwords
 * as {@code "*"}. Called with the state's lock held, except for slow deletions.
 */
final class FakeMailcowWrites {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern EMAIL_LOCAL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}");

    private final FakeMailcowState state;
    private final FakeMailcowFaults faults;

    FakeMailcowWrites(FakeMailcowState state, FakeMailcowFaults faults) {
        this.state = state;
        this.faults = faults;
    }

    // ---- add (contract §4)

    FakeMailcowAnswer add(JsonNode attr) {
        if (!attr.isObject()) {
            return error(200, "Cannot add item");
        }
        ObjectNode echo = attr.deepCopy();
        if (echo.has("password")) {
            echo.put("password", "*");
        }
        if (echo.has("password2")) {
            echo.put("password2", "*");
        }
        ArrayNode log = F.arrayNode().add("mailbox").add("add").add("mailbox");
        log.add(echo);
        log.addNull();

        String localPart = text(attr, "local_part").trim().toLowerCase(Locale.ROOT);
        String domain = text(attr, "domain").trim().toLowerCase(Locale.ROOT);
        String username = localPart + "@" + domain;
        if (!EMAIL_LOCAL.matcher(localPart).matches() || !HOST.matcher(domain).matches() || localPart.isEmpty()) {
            return entries(entry("danger", log, F.textNode("mailbox_invalid")));
        }
        Domain dom = state.domain(domain);
        if (dom == null) {
            return entries(entry("danger", log, F.textNode("access_denied")));
        }
        if (state.box(username) != null) {
            return entries(entry("danger", log, msg("object_exists", username)));
        }
        String pw = text(attr, "password");
        String pw2 = text(attr, "password2");
        if (pw.isEmpty() || pw2.isEmpty()) {
            return entries(entry("danger", passwordLog(), F.textNode("password_complexity")));
        }
        if (!pw.equals(pw2)) {
            return entries(entry("danger", passwordLog(), F.textNode("password_mismatch")));
        }
        if (!state.passwordOk(pw)) {
            return entries(entry("danger", passwordLog(), F.textNode("password_complexity")));
        }
        // Counting walks every mailbox: only when the domain has a limit (mailcow counts with an index).
        long count = dom.maxMailboxes() < Integer.MAX_VALUE ? state.count(domain) : 0;
        if (count >= dom.maxMailboxes()) {
            return entries(entry("danger", log, msg("max_mailbox_exceeded", (int) count, dom.maxMailboxes())));
        }
        long quotaMiB = attr.has("quota") ? attr.get("quota").asLong(0) : 0;
        if (quotaMiB > 0 && dom.maxQuotaMiB() > 0 && quotaMiB > dom.maxQuotaMiB()) {
            return entries(entry("danger", log, msg("mailbox_quota_exceeded", (int) dom.maxQuotaMiB())));
        }
        long usedMiB = quotaMiB > 0 && dom.totalQuotaMiB() > 0 ? state.usedQuotaMiB(domain) : 0;
        if (quotaMiB > 0 && dom.totalQuotaMiB() > 0 && usedMiB + quotaMiB > dom.totalQuotaMiB()) {
            return entries(
                    entry("danger", log, msg("mailbox_quota_left_exceeded", (int) (dom.totalQuotaMiB() - usedMiB))));
        }
        Box b = new Box(username, pw, List.of(), state.now());
        b.name = attr.has("name") ? attr.get("name").asText().replace("<", "").replace(">", "") : "";
        b.quotaBytes = quotaMiB * 1048576L;
        b.active =
                attr.has("active") ? attr.get("active").asInt(attr.get("active").asBoolean() ? 1 : 0) : 1;
        addTags(b, attr.get("tags"));
        state.put(b);
        ObjectNode added = entry("success", log, msg("mailbox_added", username));
        Optional<DangerButCreated> dangerButCreated = faults.dangerButCreated();
        if (dangerButCreated.isPresent()) {
            // mailcow #5292: an error reported, the mailbox created all the same
            ObjectNode danger = entry(
                    "danger", passwordLog(), F.textNode(dangerButCreated.get().msgKey()));
            return dangerButCreated.get().alsoSaysAdded() ? entries(danger, added) : entries(danger);
        }
        if (faults.has(Quirk.PRE_2022_12)) {
            return entries(added);
        }
        ObjectNode rl =
                F.objectNode().put("object", username).put("rl_frame", "s").put("rl_value", "");
        ArrayNode rlLog =
                F.arrayNode().add("ratelimit").add("edit").add("mailbox").add(rl);
        return entries(entry("success", rlLog, msg("rl_saved", username)), added);
    }

    // ---- delete (contract §5)

    /** Deletes each item for which {@code remove} (given the lower-cased username) says it removed one. */
    FakeMailcowAnswer delete(JsonNode items, Predicate<String> remove) {
        List<JsonNode> list = new ArrayList<>();
        if (items.isArray()) {
            items.forEach(list::add);
        } else {
            list.add(items);
        }
        if (list.isEmpty()) {
            return new FakeMailcowAnswer(
                    200,
                    F.objectNode()
                            .put("type", "success")
                            .put("msg", "Task completed")
                            .toString());
        }
        // mailcow echoes what it was given: a list as is, a single string wrapped, an object as is.
        JsonNode usernames =
                items.isArray() || items.isObject() ? items : F.arrayNode().add(items);
        // Every entry echoes the whole list in "log", as mailcow does: the answer grows with the square
        // of the batch. The echo is serialised once and copied, the same bytes as a tree would give.
        String log = "[\"mailbox\",\"delete\",\"mailbox\"," + F.objectNode().set("username", usernames) + ",null]";
        StringBuilder out = new StringBuilder(list.size() * (log.length() + 96)).append('[');
        for (JsonNode item : list) {
            if (out.length() > 1) {
                out.append(',');
            }
            String u = item.isTextual() ? item.asText().toLowerCase(Locale.ROOT) : "";
            boolean removed = remove.test(u);
            out.append("{\"type\":\"")
                    .append(removed ? "success" : "danger")
                    .append("\",\"log\":")
                    .append(log)
                    .append(",\"msg\":")
                    .append(removed ? msg("mailbox_removed", u).toString() : "\"access_denied\"")
                    .append('}');
        }
        return new FakeMailcowAnswer(200, out.append(']').toString());
    }

    // ---- edit (contract §7)

    FakeMailcowAnswer edit(JsonNode body) {
        JsonNode itemsNode = body.get("items");
        JsonNode attr = body.has("attr") ? body.get("attr") : F.objectNode();
        List<String> items = new ArrayList<>();
        if (itemsNode != null && itemsNode.isArray()) {
            itemsNode.forEach(i -> items.add(i.asText()));
        } else if (itemsNode != null) {
            items.add(itemsNode.asText());
        }
        ObjectNode echo = F.objectNode();
        ArrayNode names = F.arrayNode();
        items.forEach(names::add);
        echo.set("username", names);
        attr.fields()
                .forEachRemaining(
                        e -> echo.set(e.getKey(), e.getKey().startsWith("password") ? F.textNode("*") : e.getValue()));
        ArrayNode out = F.arrayNode();
        for (String item : items) {
            ArrayNode log =
                    F.arrayNode().add("mailbox").add("edit").add("mailbox").add(echo.deepCopy());
            log.addNull();
            String u = item.toLowerCase(Locale.ROOT);
            if (!u.contains("@")) {
                out.add(entry("danger", log, msg("username_invalid", item)));
                continue;
            }
            Box b = state.box(u);
            if (b == null) {
                out.add(entry("danger", log, F.textNode("access_denied")));
                continue;
            }
            String pw = text(attr, "password");
            if (!pw.isEmpty()) {
                if (!pw.equals(text(attr, "password2")) || !state.passwordOk(pw)) {
                    out.add(entry(
                            "danger",
                            passwordLog(),
                            F.textNode(
                                    pw.equals(text(attr, "password2")) ? "password_complexity" : "password_mismatch")));
                    continue;
                }
                b.password = pw;
            }
            if (attr.has("active")) {
                JsonNode a = attr.get("active");
                b.active = a.isBoolean() ? (a.asBoolean() ? 1 : 0) : a.asInt();
            }
            addTags(b, attr.get("tags"));
            b.modified = state.now();
            out.add(entry("success", log, msg("mailbox_modified", u)));
        }
        return new FakeMailcowAnswer(200, out.toString());
    }

    // ---- the shapes of status entries

    private static ObjectNode entry(String type, ArrayNode log, JsonNode msg) {
        ObjectNode o = F.objectNode();
        o.put("type", type);
        o.set("log", log);
        o.set("msg", msg);
        return o;
    }

    /** {@code [key, args...]}: numbers stay numbers, anything else becomes a string. */
    private static ArrayNode msg(String key, Object... args) {
        ArrayNode a = F.arrayNode().add(key);
        for (Object arg : args) {
            if (arg instanceof Integer i) {
                a.add(i);
            } else if (arg instanceof Long l) {
                a.add(l);
            } else {
                a.add(String.valueOf(arg));
            }
        }
        return a;
    }

    /** The {@code log} of a password failure: {@code ["password_check", null, null]}. */
    private static ArrayNode passwordLog() {
        return F.arrayNode().add("password_check").addNull().addNull();
    }

    /** Tags are added, never removed (contract §7). */
    private static void addTags(Box b, JsonNode tags) {
        if (tags != null && tags.isArray()) {
            tags.forEach(t -> b.tags.add(t.asText()));
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }
}
