package org.openstack.jcinder.common.rpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.openstack.jcinder.common.exception.ServiceTooOldException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each method of one RPC API needs from the receiving service: the version it came in, and the versions at
 * which an argument was added. Cinder writes this in each rpcapi method ({@code _get_cctxt('3.x')},
 * {@code can_send_version}, {@code assert_min_rpc_version}); here it is one table per API, read by
 * {@link RpcClient} before it sends anything.
 *
 * <p>A message goes out at the highest of the method's versions (its introduction, each argument change) not
 * above the cap: the version the receiving service needs to understand it, as Cinder sends each method at its
 * own version rather than the API's newest. Below an argument's version the argument is dropped when it holds
 * its "not used" value (null, false), as Cinder drops an optional argument an old service would not know;
 * holding anything else, the request cannot be expressed to the old service and is refused
 * ({@link ServiceTooOldException}) — so is a method newer than the cap.
 */
public final class RpcApiVersions {

    /** {@code field} of the arguments exists from {@code since}; sent older, it must be absent or {@code unused}. */
    public record ArgumentChange(String since, String field, Object unused) {
    }

    /** The version a message is sent at, and its arguments (fields the receiver would not know removed). */
    public record Negotiated(String version, JsonNode args) {
    }

    private final String binary;
    private final String newest;
    private final Predicate<String> topics;
    private final Map<String, String> introduced = new LinkedHashMap<>();
    private final Map<String, List<ArgumentChange>> changes = new LinkedHashMap<>();

    /**
     * @param binary the receiving services' binary (the services table's, the {@code [upgrade_levels]} key)
     * @param newest the newest version of the API this code speaks
     * @param topics the topics (queues or fanout exchanges) whose receivers serve this API
     */
    public RpcApiVersions(String binary, String newest, Predicate<String> topics) {
        this.binary = binary;
        this.newest = newest;
        this.topics = topics;
    }

    public RpcApiVersions method(String name, String since) {
        introduced.put(name, since);
        return this;
    }

    /** {@code field} (of {@code method}'s arguments) came in at {@code since}; {@code unused}: its "not set" value. */
    public RpcApiVersions argument(String method, String since, String field, Object unused) {
        changes.computeIfAbsent(method, m -> new ArrayList<>()).add(new ArgumentChange(since, field, unused));
        return this;
    }

    public String binary() {
        return binary;
    }

    public String newest() {
        return newest;
    }

    public boolean serves(String topic) {
        return topics.test(topic);
    }

    public Map<String, String> introduced() {
        return Map.copyOf(introduced);
    }

    /** The versions {@code method} can be sent at, lowest first. A method not in the table needs the newest. */
    public List<String> versionsOf(String method) {
        TreeSet<String> versions = new TreeSet<>(RpcVersion.ORDER);
        versions.add(introduced.getOrDefault(method, newest));
        changes.getOrDefault(method, List.of()).forEach(c -> versions.add(c.since()));
        return List.copyOf(versions);
    }

    /**
     * The version and arguments to send {@code method} at when the receivers understand up to {@code cap}
     * ({@code requested}: the newest the caller asks for, usually the API's newest).
     */
    public Negotiated negotiate(String method, String requested, String cap, JsonNode args) {
        String limit = RpcVersion.min(requested, cap);
        String chosen = null;
        for (String v : versionsOf(method)) {
            if (RpcVersion.compare(v, limit) <= 0) {
                chosen = v;
            }
        }
        if (chosen == null) {
            throw new ServiceTooOldException("One of the " + binary + " services is too old to accept the " + method
                    + " request: it needs RPC API version " + versionsOf(method).get(0) + ", the " + binary
                    + " services are pinned to " + cap + ". Are you running mixed versions of " + binary
                    + " services (a rolling upgrade)?");
        }
        JsonNode sent = args;
        for (ArgumentChange c : changes.getOrDefault(method, List.of())) {
            if (RpcVersion.compare(c.since(), chosen) <= 0 || !(sent instanceof ObjectNode object)
                    || !object.has(c.field())) {
                continue;
            }
            JsonNode value = object.get(c.field());
            boolean unused = value.isNull() || (c.unused() != null && Objects.equals(unusedValue(value), c.unused()));
            if (!unused) {
                throw new ServiceTooOldException("One of the " + binary + " services is too old to accept the "
                        + method + " request with " + c.field() + ": it needs RPC API version " + c.since()
                        + ", the " + binary + " services are pinned to " + cap + ".");
            }
            if (sent == args) {
                sent = object.deepCopy();
            }
            ((ObjectNode) sent).remove(c.field());
        }
        return new Negotiated(chosen, sent);
    }

    private static Object unusedValue(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.longValue();
        }
        return value.isString() ? value.stringValue() : value;
    }
}
