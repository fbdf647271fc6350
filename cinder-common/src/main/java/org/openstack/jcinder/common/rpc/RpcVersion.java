package org.openstack.jcinder.common.rpc;

import org.openstack.jcinder.common.exception.CinderException;

/**
 * Compatibility rule of versioned RPC APIs (the oslo.messaging one): same major version, and the caller's
 * minor version no newer than what the server implements.
 */
public final class RpcVersion {

    private RpcVersion() {
    }

    public static void requireCompatible(String requested, String served, String method) {
        String[] r = requested.split("\\.");
        String[] s = served.split("\\.");
        boolean ok = r.length == 2 && s.length == 2 && r[0].equals(s[0])
                && Integer.parseInt(r[1]) <= Integer.parseInt(s[1]);
        if (!ok) {
            throw new CinderException(500, "RPC method " + method + " requested at version " + requested
                    + " but this service implements " + served);
        }
    }
}
