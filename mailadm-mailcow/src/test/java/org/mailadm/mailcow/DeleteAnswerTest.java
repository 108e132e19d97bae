package org.mailadm.mailcow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteAnswerTest {
    private static List<DeleteAnswer.Entry> read(String json) throws IOException {
        return DeleteAnswer.entries(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordedAnswer_typesAndMessages() throws Exception {
        // From the transcript: two addresses, one removed, one unknown; each log echoes both.
        String log =
                "[\"mailbox\",\"delete\",\"mailbox\",{\"username\":[\"m4@example.org\",\"nobody@example.org\"]},null]";
        assertThat(read("[{\"type\":\"success\",\"log\":" + log + ",\"msg\":[\"mailbox_removed\",\"m4@example.org\"]},"
                        + "{\"type\":\"danger\",\"log\":" + log + ",\"msg\":\"access_denied\"}]"))
                .containsExactly(
                        new DeleteAnswer.Entry("success", List.of("mailbox_removed", "m4@example.org")),
                        new DeleteAnswer.Entry("danger", List.of("access_denied")));
    }

    @Test
    void escapesBracketsAndUnicodeInsideSkippedValues_doNotConfuseIt() throws Exception {
        String tricky = "{\"type\":\"success\",\"log\":[\"a\\\"]}\",{\"x\":\"\\\\\"},\"ü€ [{\"],"
                + "\"msg\":[\"mailbox_removed\",\"x@example.org\"]}";
        assertThat(read("[" + tricky + "]"))
                .containsExactly(new DeleteAnswer.Entry("success", List.of("mailbox_removed", "x@example.org")));
    }

    @Test
    void whitespaceAndKeyOrder_areFree() throws Exception {
        assertThat(read(" [\n  {\n \"msg\" : [ \"mailbox_removed\" , \"y@example.org\" ] ,\n \"log\" : null ,"
                        + " \"type\" : \"success\" , \"n\" : 12.5e3 }\n ] \n"))
                .containsExactly(new DeleteAnswer.Entry("success", List.of("mailbox_removed", "y@example.org")));
        assertThat(read("[]")).isEmpty();
        assertThat(read("[{}]")).containsExactly(new DeleteAnswer.Entry("", List.of()));
    }

    @Test
    void garbage_isAnIOException_neverAnotherError() {
        for (String bad : new String[] {
            "",
            "[",
            "[{",
            "[{\"type\":",
            "[{\"type\":\"success\"",
            "[{\"type\":\"succ",
            "[1]",
            "[{\"a\" 1}]",
            "[{\"type\":\"success\"}] trailing",
            "[{\"log\":[[[[}]",
            "{\"type\":\"error\"}",
            "[{\"type\":}]"
        }) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
