package org.openstack.jcinder.api.manage;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;

import tools.jackson.databind.JsonNode;

/** The request parts both manage resources read the same way (Cinder's schemas and {@code get_cluster_host}). */
final class ManageRequests {

    private ManageRequests() {
    }

    /** Cinder's v3 resources ({@code /manageable_*}) exist from 3.8: before, "not found" as an unknown method. */
    static void requireListVersion(ApiRequest req) {
        if (!req.version().atLeast(8)) {
            throw new CinderException(404, "The resource could not be found.");
        }
    }

    /** Cinder's get_cluster_host: host (and, from {@code clusterMinor}, cluster): one and only one of them. */
    static String[] clusterAndHost(ApiRequest req, String cluster, String host, int clusterMinor) {
        boolean clusters = req.version().atLeast(clusterMinor);
        String c = clusters ? emptyToNull(cluster) : null;
        String h = emptyToNull(host);
        if ((c != null) == (h != null)) {
            throw new InvalidInputException(clusters ? "One and only one of cluster and host must be set."
                    : "Host field is missing.");
        }
        return new String[] {c, h};
    }

    /** Cinder's schema error for a required key of the body's object (jsonschema names the object's path). */
    static CinderException required(String root, JsonNode object, String key) {
        return new CinderException(400, "Invalid input for field/attribute " + root + ". Value: "
                + PyRepr.of(object) + ". '" + key + "' is a required property");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The driver reference: an object as given, or a bare string read as {@code {"source-name": …}} (as Cinder's
     * LVM driver reads a string reference); {@code allowNull} for the snapshot schema.
     */
    static Map<String, Object> ref(JsonNode node, boolean allowNull) {
        if (node == null || node.isNull()) {
            if (allowNull && node != null) {
                return new LinkedHashMap<>();
            }
            if (node == null) {
                throw new CinderException(400, "'ref' is a required property");
            }
        }
        if (node.isString()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source-name", node.stringValue());
            return m;
        }
        if (!node.isObject()) {
            throw new CinderException(400, "Invalid input for field/attribute ref. Value: " + PyRepr.of(node) + ". "
                    + PyRepr.of(node) + " is not of type " + (allowNull ? "'object', 'null', 'string'"
                    : "'object', 'string'"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : node.propertyNames()) {
            JsonNode v = node.get(k);
            m.put(k, v.isString() ? v.stringValue() : v.isNull() ? null : v.toString());
        }
        return m;
    }
}
