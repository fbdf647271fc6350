package org.openstack.jcinder.api.services;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;

import tools.jackson.databind.JsonNode;

/**
 * The bodies of {@code PUT /os-services/{action}}, checked as Cinder's JSON schemas ({@code schemas/services.py})
 * and {@code get_cluster_host} check them, with their messages.
 */
record ServiceBody(String host, String cluster, String binary, String service, String disabledReason) {

    private static final Pattern CINDER_HOST = Pattern.compile("^[a-zA-Z0-9-._#@:/+\\[\\]]*$");
    private static final Set<String> ENABLE = Set.of("binary", "host", "cluster", "service");
    private static final Set<String> DISABLE_LOG_REASON = Set.of("binary", "host", "cluster", "service",
            "disabled_reason");
    private static final Set<String> FREEZE = Set.of("host", "cluster");

    /** {@code enable}, {@code disable} and (with a reason) {@code disable-log-reason}. */
    static ServiceBody enableOrDisable(JsonNode body, boolean withReason) {
        JsonBody b = object(body);
        String host = cinderHost(b);
        b.optionalString("cluster", 255);
        String binary = string(b, "binary");
        String service = string(b, "service");
        String reason = null;
        if (withReason) {
            reason = string(b, "disabled_reason");
            if (reason != null && reason.isBlank()) {
                // Cinder's "disabled_reason" format: at least one character once stripped.
                throw invalid("disabled_reason", reason, "'" + reason + "' is not a 'disabled_reason'");
            }
        }
        allowOnly(body, withReason ? DISABLE_LOG_REASON : ENABLE);
        if (binary == null && service == null) {
            throw new CinderException(400, pythonRepr(body) + " is not valid under any of the given schemas");
        }
        if (host == null || host.isEmpty()) {
            throw new InvalidInputException("Host field is missing.");
        }
        return new ServiceBody(host, null, binary == null ? "" : binary, service == null ? "" : service, reason);
    }

    /** {@code freeze} and {@code thaw}: one of host and cluster (cluster from 3.26, Cinder's REPLICATION_CLUSTER). */
    static ServiceBody freezeOrThaw(JsonNode body, boolean clusterAllowed) {
        JsonBody b = object(body);
        String host = cinderHost(b);
        String cluster = b.optionalString("cluster", 255);
        allowOnly(body, FREEZE);
        if (!clusterAllowed) {
            cluster = null;
        }
        boolean hasHost = host != null && !host.isEmpty();
        boolean hasCluster = cluster != null && !cluster.isEmpty();
        if (hasHost == hasCluster) {
            throw new InvalidInputException(clusterAllowed ? "One and only one of cluster and host must be set."
                    : "Host field is missing.");
        }
        return new ServiceBody(hasHost ? host : null, hasCluster ? cluster : null, null, null, null);
    }

    /** jsonschema's additionalProperties message, which Cinder returns as is (a ValidationError has no prefix). */
    private static void allowOnly(JsonNode body, Set<String> allowed) {
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new CinderException(400, "Additional properties are not allowed ('" + name
                        + "' was unexpected)");
            }
        }
    }

    private static JsonBody object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new CinderException(400, (body == null ? "None" : pythonRepr(body)) + " is not of type 'object'");
        }
        return JsonBody.of(body);
    }

    /** Cinder's {@code parameter_types.cinder_host}: a string or null, 1–255 characters of a host's alphabet. */
    private static String cinderHost(JsonBody b) {
        String host = b.optionalString("host", 255);
        if (host != null && host.isEmpty()) {
            throw invalid("host", host, "'' is too short");
        }
        if (host != null && !CINDER_HOST.matcher(host).matches()) {
            throw invalid("host", host, "'" + host + "' does not match '" + CINDER_HOST.pattern() + "'");
        }
        return host;
    }

    /** A string of 1–255 characters when present. */
    private static String string(JsonBody b, String key) {
        JsonNode v = b.node().get(key);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            throw invalid(key, pythonRepr(v), pythonRepr(v) + " is not of type 'string'");
        }
        String s = v.stringValue();
        if (s.isEmpty()) {
            throw invalid(key, s, "'' is too short");
        }
        if (s.length() > 255) {
            throw invalid(key, s, "'" + s + "' is too long");
        }
        return s;
    }

    private static CinderException invalid(String key, String value, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + key + ". Value: " + value + ". "
                + detail);
    }

    /** A JSON value as Python prints it, the way jsonschema's messages show the instance. */
    static String pythonRepr(JsonNode v) {
        if (v == null || v.isNull()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isString()) {
            return "'" + v.stringValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v.isObject()) {
            return v.properties().stream().map((Map.Entry<String, JsonNode> e) -> "'" + e.getKey() + "': "
                    + pythonRepr(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
        }
        if (v.isArray()) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(pythonRepr(v.get(i)));
            }
            return s.append(']').toString();
        }
        return v.toString();
    }
}
