package org.openstack.jcinder.common.volume;

import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.InvalidInputException;

/**
 * A volume's location in Cinder's {@code host@backend#pool} form. The RPC topic of a volume service is derived
 * from the {@code host@backend} part; the pool only matters to the scheduler and the driver.
 */
public record BackendHost(String host, String backend, String pool) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.:\\-]+");

    public BackendHost {
        require(host, "host");
        require(backend, "backend");
        if (pool != null) {
            require(pool, "pool");
        }
    }

    private static void require(String part, String what) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new InvalidInputException("bad " + what + " '" + part + "' in a host@backend#pool string");
        }
    }

    /** Parses {@code host@backend[#pool]}; the pool may be absent. */
    public static BackendHost parse(String value) {
        if (value == null) {
            throw new InvalidInputException("host must be given as host@backend[#pool]");
        }
        int hash = value.indexOf('#');
        String pool = hash >= 0 ? value.substring(hash + 1) : null;
        String hostBackend = hash >= 0 ? value.substring(0, hash) : value;
        int at = hostBackend.indexOf('@');
        if (at < 0) {
            throw new InvalidInputException("host '" + value + "' must be given as host@backend[#pool]");
        }
        return new BackendHost(hostBackend.substring(0, at), hostBackend.substring(at + 1), pool);
    }

    /** {@code host@backend}: the service's host name and the suffix of its RPC topic. */
    public String serviceHost() {
        return host + "@" + backend;
    }

    @Override
    public String toString() {
        return pool == null ? serviceHost() : serviceHost() + "#" + pool;
    }
}
