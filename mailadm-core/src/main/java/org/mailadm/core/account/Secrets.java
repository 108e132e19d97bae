package org.mailadm.core.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.TokenSecret;

/**
 * Draws token secrets, passwords and local parts from a {@link SecretGenerator}, by the rules of the
 * original: local parts and token secrets from an alphabet without look-alike characters.
 */
public final class Secrets {
    /** Characters of random local parts and token secrets: no 0/o, 1/l/i, 6/b. */
    public static final String LOCAL_PART_ALPHABET = "2345789acdefghjkmnpqrstuvwxyz";
    /** Length of the random part of a local part. */
    public static final int LOCAL_PART_LENGTH = 5;
    /** Length of the random part of a generated token secret. */
    public static final int TOKEN_SECRET_LENGTH = 15;

    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    /** URL-unreserved specials: safe in JSON, URLs, shells' double quotes and mailcow's policy. */
    static final String SPECIALS = "-_.~";

    static final String PASSWORD_ALPHABET = UPPER + LOWER + DIGITS + SPECIALS;
    /** 27 characters from 66 carry 163 bits; one of each class is added on top. */
    static final int PASSWORD_RANDOM_LENGTH = 27;

    private final SecretGenerator generator;

    public Secrets(SecretGenerator generator) {
        this.generator = Objects.requireNonNull(generator, "generator == null");
    }

    /** {@code prefix} followed by five random characters. */
    public String localPart(String prefix) {
        return prefix + draw(LOCAL_PART_ALPHABET, LOCAL_PART_LENGTH);
    }

    /** {@code <expiry>_<15 random characters>}, as the original generates them. */
    public TokenSecret tokenSecret(Expiry expiry) {
        return new TokenSecret(expiry.code() + "_" + draw(LOCAL_PART_ALPHABET, TOKEN_SECRET_LENGTH));
    }

    /**
     * A password of at least 160 random bits that contains an upper-case letter, a lower-case
     * letter, a digit and one of {@code - _ . ~}, so any mailcow password policy accepts it. It never
     * contains {@code + & # %}, spaces or quotes.
     */
    public Password password() {
        List<Character> chars = new ArrayList<>();
        for (char c : draw(PASSWORD_ALPHABET, PASSWORD_RANDOM_LENGTH).toCharArray()) {
            chars.add(c);
        }
        for (String required : List.of(UPPER, LOWER, DIGITS, SPECIALS)) {
            char c = required.charAt(generator.nextInt(required.length()));
            chars.add(generator.nextInt(chars.size() + 1), c);
        }
        StringBuilder sb = new StringBuilder(chars.size());
        chars.forEach(sb::append);
        return new Password(sb.toString());
    }

    private String draw(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(generator.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
