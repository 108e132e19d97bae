package org.mailadm.http;

import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address of the client, for rate limits and the access log: the peer, unless the peer is a
 * trusted proxy, then the X-Real-IP header, or the right-most untrusted X-Forwarded-For entry.
 */
final class ClientAddress {
    private final List<Cidr> trusted;

    ClientAddress(List<Cidr> trusted) {
        this.trusted = trusted;
    }

    String of(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return "unknown";
        }
        if (!isTrusted(address)) {
            return address.getHostAddress();
        }
        String forwarded = exchange.getRequestHeaders().getLast("X-Forwarded-For");
        if (forwarded != null) {
            String[] hops = forwarded.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    break;
                }
                if (!isTrusted(hop) || i == 0) {
                    return hop.getHostAddress();
                }
            }
        }
        InetAddress real = literal(exchange.getRequestHeaders().getFirst("X-Real-IP"));
        return real != null ? real.getHostAddress() : address.getHostAddress();
    }

    private boolean isTrusted(InetAddress a) {
        return trusted.stream().anyMatch(c -> c.contains(a));
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    /**
     * Parses an IP literal as proxies write them, without DNS: {@code 203.0.113.5}, {@code
     * 203.0.113.5:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]}, {@code [2001:db8::1]:443},
     * {@code fe80::1%eth0} (the zone is dropped). IPv4 must be four plain decimal numbers (no {@code
     * 1.2.3} or {@code 01.02.03.04}, which the JDK would read as other addresses). Null for anything
     * else, such as {@code unknown}.
     */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return null;
            }
            s = s.substring(1, end);
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
            s = s.substring(0, s.indexOf(':')); // IPv4 with a port
        }
        int zone = s.indexOf('%');
        if (zone > 0 && s.contains(":")) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || s.length() > 45 || !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        if (!s.contains(":") && !IPV4.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
