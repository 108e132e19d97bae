package org.mailadm.http;

import java.util.Map;

/**
 * Reading the server's environment variables: each value checked, and a message that names the
 * variable and what it takes when it is wrong ({@link IllegalArgumentException}; the server prints
 * it as one line and exits 2).
 */
final class EnvVariables {
    private EnvVariables() {}

    static int parsePort(String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("MAILADM_PORT '" + value + "' is not a port number (0-65535)");
    }

    /** A variable's value; unset or blank gives the default, as for MAILCOW_TIMEOUT. */
    static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static int parseCount(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a whole number from " + min + " to " + max);
    }

    static double parseDecimalSeconds(String name, String value) {
        try {
            double s = Double.parseDouble(value.trim());
            if (s >= 0 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a number of seconds (e.g. 2 or 0.5)");
    }

    static long parseSeconds(String name, String value) {
        try {
            long s = Long.parseLong(value.trim());
            if (s >= 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a number of seconds");
    }
}
