package org.openstack.jcinder.api.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.common.exception.CinderException;

import tools.jackson.databind.JsonNode;

/**
 * Validation of request bodies with the messages Cinder's JSON schemas produce, so a client sees the same
 * reason for the same mistake. Every check runs before anything is written.
 */
public final class JsonBody {

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** The object under {@code key} of the request body, which must be an object itself. */
    public static JsonBody root(JsonNode body, String key) {
        if (body == null || !body.isObject()) {
            throw bad("The request body must be a JSON object.");
        }
        JsonNode inner = body.get(key);
        if (inner == null) {
            throw bad("Missing required element '" + key + "' in request body.");
        }
        if (!inner.isObject()) {
            throw bad("Invalid input for field/attribute " + key + ". Value: " + inner + ". " + inner
                    + " is not of type 'object'");
        }
        return new JsonBody(inner);
    }

    public static JsonBody of(JsonNode node) {
        return new JsonBody(node);
    }

    public JsonNode node() {
        return node;
    }

    public JsonBody allowOnly(Set<String> allowed) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw bad("Additional properties are not allowed ('" + name + "' was unexpected)");
            }
        }
        return this;
    }

    public boolean has(String key) {
        return node.has(key);
    }

    /** A string or null, at most {@code maxLength} characters. */
    public String optionalString(String key, int maxLength) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw invalid(key, v, repr(v) + " is not of type 'string', 'null'");
        }
        String s = v.stringValue();
        if (s.length() > maxLength) {
            throw invalid(key, v, "'" + s + "' is too long");
        }
        return s;
    }

    public String requiredString(String key, int minLength, int maxLength) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw bad("'" + key + "' is a required property");
        }
        if (!v.isString()) {
            throw invalid(key, v, repr(v) + " is not of type 'string'");
        }
        String s = v.stringValue();
        if (s.strip().length() < minLength) {
            throw invalid(key, v, "'" + s + "' is too short");
        }
        if (s.length() > maxLength) {
            throw invalid(key, v, "'" + s + "' is too long");
        }
        return s;
    }

    /** Like {@link #optionalInteger}, but present and not null. */
    public int requiredInteger(String key, int min) {
        if (!node.has(key)) {
            throw bad("'" + key + "' is a required property");
        }
        Integer value = optionalInteger(key, min);
        if (value == null) {
            throw invalid(key, node.get(key), "None is not of type 'integer', 'string'");
        }
        return value;
    }

    /** An integer (or a string of digits, which Cinder's schemas accept) at least {@code min}. */
    public Integer optionalInteger(String key, int min) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        long value;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            value = v.intValue();
        } else if (v.isString() && v.stringValue().strip().matches("-?\\d{1,9}")) {
            value = Long.parseLong(v.stringValue().strip());
        } else {
            throw invalid(key, v, repr(v) + " is not of type 'integer', 'string'");
        }
        if (value < min) {
            throw invalid(key, v, value + " is less than the minimum of " + min);
        }
        return (int) value;
    }

    /** A whole number from 0 up (or a string of digits), as a long: byte counts and rates. */
    public Long optionalNonNegativeLong(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.longValue();
        } else if (v.isString() && v.stringValue().strip().matches("-?\\d{1,18}")) {
            value = Long.parseLong(v.stringValue().strip());
        } else {
            throw invalid(key, v, repr(v) + " is not of type 'integer', 'string'");
        }
        if (value < 0) {
            throw invalid(key, v, value + " is less than the minimum of 0");
        }
        return value;
    }

    /** A boolean, or one of the strings oslo accepts as a boolean. */
    public Boolean optionalBoolean(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isString()) {
            switch (v.stringValue().strip().toLowerCase()) {
                case "true", "t", "yes", "y", "on", "1":
                    return true;
                case "false", "f", "no", "n", "off", "0":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(key, v, repr(v) + " is not of type 'boolean'");
    }

    /** An object or null (a connector, a free-form map), whatever it holds. */
    public JsonNode optionalObject(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw invalid(key, v, repr(v) + " is not of type 'object', 'null'");
        }
        return v;
    }

    /** An object of string values (metadata, extra specs): keys 1–255 characters, values at most 255. */
    public Map<String, String> optionalStringMap(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        return stringMap(key, v);
    }

    public static Map<String, String> stringMap(String key, JsonNode v) {
        if (!v.isObject()) {
            throw invalid(key, v, repr(v) + " is not of type 'object'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 255) {
                throw invalid(key, v, "'" + e.getKey() + "' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'");
            }
            JsonNode val = e.getValue();
            if (!val.isString()) {
                throw invalid(key, v, repr(val) + " is not of type 'string'");
            }
            if (val.stringValue().length() > 255) {
                throw invalid(key, v, "'" + val.stringValue() + "' is too long");
            }
            out.put(e.getKey(), val.stringValue());
        }
        return out;
    }

    public static CinderException bad(String message) {
        return new CinderException(400, "Invalid input received: " + message);
    }

    private static CinderException invalid(String key, JsonNode v, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                + (v.isString() ? v.stringValue() : repr(v)) + ". " + detail);
    }

    /** A value as Cinder's (Python) jsonschema messages show it: {@code None}, {@code True}, else as JSON. */
    static String repr(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        return v.toString();
    }
}
