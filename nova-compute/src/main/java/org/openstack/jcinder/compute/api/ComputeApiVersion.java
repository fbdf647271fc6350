package org.openstack.jcinder.compute.api;

import org.openstack.jcinder.compute.exception.NovaException;

/**
 * A compute API microversion {@code 2.N}. Requests name it in {@code OpenStack-API-Version: compute 2.N} or
 * the older {@code X-OpenStack-Nova-API-Version: 2.N}; without either a request gets 2.1, as with Nova.
 */
public record ComputeApiVersion(int minor) {

    public static final ComputeApiVersion MIN = new ComputeApiVersion(1);
    /** Through 2.96 nothing this service implements changes shape after 2.89 (volume attachment ids). */
    public static final ComputeApiVersion MAX = new ComputeApiVersion(96);

    public static ComputeApiVersion negotiate(String openstackHeader, String novaHeader) {
        String value = null;
        if (openstackHeader != null) {
            for (String part : openstackHeader.split(",")) {
                String p = part.strip();
                if (p.startsWith("compute ")) {
                    value = p.substring("compute ".length()).strip();
                }
            }
        }
        if (value == null && novaHeader != null) {
            value = novaHeader.strip();
        }
        if (value == null || value.isEmpty()) {
            return MIN;
        }
        if (value.equals("latest")) {
            return MAX;
        }
        String[] parts = value.split("\\.");
        int minor;
        try {
            if (parts.length != 2 || !parts[0].equals("2")) {
                throw new NumberFormatException();
            }
            minor = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new NovaException(400, "Invalid API version request: " + value);
        }
        if (minor < MIN.minor || minor > MAX.minor) {
            throw new NovaException(406, "Version " + value + " is not supported by the API. Minimum is " + MIN
                    + " and maximum is " + MAX + ".");
        }
        return new ComputeApiVersion(minor);
    }

    public boolean atLeast(int otherMinor) {
        return minor >= otherMinor;
    }

    @Override
    public String toString() {
        return "2." + minor;
    }
}
