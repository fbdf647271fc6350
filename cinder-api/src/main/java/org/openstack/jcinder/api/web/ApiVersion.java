package org.openstack.jcinder.api.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.CinderException;

/**
 * A volume API microversion ({@code 3.N}). Requests state it in {@code OpenStack-API-Version: volume 3.N};
 * no header means the minimum, {@code latest} means the maximum.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    public static final ApiVersion MIN = new ApiVersion(3, 0);
    /** The highest microversion whose behaviour this service implements for the resources it serves. */
    public static final ApiVersion MAX = new ApiVersion(3, 70);

    private static final Pattern FORMAT = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");

    public static ApiVersion parseHeader(String header) {
        if (header == null || header.isBlank()) {
            return MIN;
        }
        String value = null;
        for (String item : header.split(",")) {
            String[] parts = item.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equalsIgnoreCase("volume")) {
                value = parts[1];
            }
        }
        if (value == null) {
            return MIN;
        }
        if (value.equalsIgnoreCase("latest")) {
            return MAX;
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new CinderException(400, "API Version String " + value + " is of invalid format. Must be of "
                    + "format MajorNum.MinorNum.");
        }
        // Cinder's numbers are unbounded; past nine digits a part is out of range whatever its value.
        if (m.group(1).length() > 9 || m.group(2).length() > 9) {
            throw notSupported(value);
        }
        ApiVersion v = new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0) {
            throw notSupported(v.toString());
        }
        return v;
    }

    private static CinderException notSupported(String version) {
        return new CinderException(406, "Version " + version + " is not supported by the API. Minimum is " + MIN
                + " and maximum is " + MAX + ".");
    }

    public boolean atLeast(int minorVersion) {
        return minor >= minorVersion;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
