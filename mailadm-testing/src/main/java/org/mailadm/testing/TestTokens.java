package org.mailadm.testing;

import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenSecret;

/** Test data: {@code TestTokens.aToken().withMaxUse(1).build()}. */
public final class TestTokens {
    private String name = "oneday";
    private String secret = "1d_r84EW3N8hEKk";
    private Expiry expiry = Expiry.parse("1d");
    private String prefix = "tmp.";
    private int maxUse = 50;
    private int useCount = 0;

    private TestTokens() {}

    public static TestTokens aToken() {
        return new TestTokens();
    }

    public TestTokens named(String n) {
        this.name = n;
        return this;
    }

    public TestTokens withSecret(String s) {
        this.secret = s;
        return this;
    }

    public TestTokens withExpiry(String code) {
        this.expiry = Expiry.parse(code);
        return this;
    }

    public TestTokens withPrefix(String p) {
        this.prefix = p;
        return this;
    }

    public TestTokens withMaxUse(int m) {
        this.maxUse = m;
        return this;
    }

    public TestTokens withUseCount(int u) {
        this.useCount = u;
        return this;
    }

    public TestTokens withPolicy(org.mailadm.core.token.TokenPolicy p) {
        this.policy = p;
        return this;
    }

    private org.mailadm.core.token.TokenPolicy policy = org.mailadm.core.token.TokenPolicy.NONE;

    public Token build() {
        return new Token(new TokenName(name), new TokenSecret(secret), expiry, prefix, maxUse, useCount, policy);
    }
}
