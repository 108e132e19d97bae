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

    /** Parses an IP literal without DNS; null for anything else. */
    private static InetAddress literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
