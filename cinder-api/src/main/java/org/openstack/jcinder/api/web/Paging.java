package org.openstack.jcinder.api.web;

import java.util.Map;

import org.openstack.jcinder.common.exception.CinderException;

/**
 * {@code limit} and {@code offset} of a list request, read as Cinder's {@code api/common.py} reads them, with
 * its messages (plain 400s there, without the "Invalid input received" prefix).
 */
public final class Paging {

    /** Cinder's {@code DB_MAX_INT}, the largest offset it accepts. */
    static final int MAX_OFFSET = 0x7FFFFFFF;

    private Paging() {
    }

    /** The page size: {@code limit}, at most {@code maxLimit}; {@code maxLimit} when absent. */
    public static int limit(Map<String, String> params, int maxLimit) {
        String raw = params.get("limit");
        if (raw == null) {
            return maxLimit;
        }
        long limit;
        try {
            limit = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            // Python's int() takes any number of digits; a longer one is above every maximum anyway.
            if (!raw.strip().matches("[+-]?\\d+")) {
                throw new CinderException(400, "limit param must be an integer");
            }
            limit = raw.strip().startsWith("-") ? -1 : Long.MAX_VALUE;
        }
        if (limit < 0) {
            throw new CinderException(400, "limit param must be positive");
        }
        return (int) Math.min(limit, maxLimit);
    }

    /** Rows to skip after the marker (or from the start); 0 when absent. */
    public static int offset(Map<String, String> params) {
        String raw = params.get("offset");
        if (raw == null) {
            return 0;
        }
        String s = raw.strip();
        if (!s.matches("[+-]?\\d+")) {
            throw new CinderException(400, "offset must be an integer");
        }
        if (s.startsWith("-") && !s.matches("-0+")) {
            throw new CinderException(400, "offset must be >= 0");
        }
        String digits = s.replaceFirst("^[+-]?0*", "");
        if (digits.length() > 10 || (!digits.isEmpty() && Long.parseLong(digits) > MAX_OFFSET)) {
            throw new CinderException(400, "offset must be <= " + MAX_OFFSET);
        }
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
