package org.mailadm.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Strict parsing of a raw query string: malformed percent-encoding or UTF-8 is an error, not a guess. */
final class Query {
    private Query() {}

    /** A query that cannot be decoded. */
    static final class MalformedException extends Exception {
        MalformedException() {
            super("malformed query", null, false, false);
        }
    }

    /** Every value of the parameter, in order. */
    static List<String> values(String rawQuery, String name) throws MalformedException {
        List<String> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                out.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    /** The single value of the parameter, empty if absent; more than one is an error for the caller. */
    static Optional<String> single(List<String> values) {
        return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }

    static String decode(String s) throws MalformedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new MalformedException();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedException();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException();
        }
    }
}
