package org.openstack.jcinder.common.rpc;

import java.util.Collection;
import java.util.Comparator;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.UnsupportedRpcVersionException;

/**
 * Versions of RPC APIs, {@code major.minor}, and the oslo.messaging compatibility rule: same major version, and
 * the caller's minor version no newer than what the server implements.
 */
public final class RpcVersion {

    private static final Pattern FORMAT = Pattern.compile("\\d+\\.\\d+");

    /** Numeric order: 3.10 is newer than 3.9. */
    public static final Comparator<String> ORDER = RpcVersion::compare;

    private RpcVersion() {
    }

    public static boolean isValid(String version) {
        return version != null && FORMAT.matcher(version).matches();
    }

    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    /** Whether a server serving {@code served} accepts a message sent at {@code requested}. */
    public static boolean isCompatible(String requested, String served) {
        if (!isValid(requested) || !isValid(served)) {
            return false;
        }
        int[] r = parse(requested);
        int[] s = parse(served);
        return r[0] == s[0] && r[1] <= s[1];
    }

    public static String min(String a, String b) {
        return compare(a, b) <= 0 ? a : b;
    }

    /** The lowest of {@code versions}; none is an error of the caller. */
    public static String min(Collection<String> versions) {
        return versions.stream().min(ORDER).orElseThrow();
    }

    public static void requireCompatible(String requested, String served, String method) {
        if (!isCompatible(requested, served)) {
            throw new UnsupportedRpcVersionException("RPC method " + method + " requested at version " + requested
                    + " but this service implements " + served);
        }
    }

    private static int[] parse(String version) {
        if (!isValid(version)) {
            throw new IllegalArgumentException("Not an RPC version (major.minor): '" + version + "'");
        }
        int dot = version.indexOf('.');
        return new int[] {Integer.parseInt(version.substring(0, dot)), Integer.parseInt(version.substring(dot + 1))};
    }
}
