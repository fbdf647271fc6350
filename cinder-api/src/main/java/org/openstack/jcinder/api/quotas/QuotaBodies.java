package org.openstack.jcinder.api.quotas;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;

import tools.jackson.databind.JsonNode;

/**
 * The two update bodies checked as Cinder's schemas and format checkers check them, in the same order and
 * with the same messages: {@code {"quota_set": {…}}} (oslo's validate_integer on each value, then the bad
 * keys) and {@code {"quota_class_set": {…}}} (the bad keys, then each value's type, pattern and range).
 */
final class QuotaBodies {

    static final int DB_MAX_INT = 0x7FFFFFFF;
    /** Cinder's NON_QUOTA_KEYS: accepted in a quota set and ignored. */
    private static final Set<String> NON_QUOTA_KEYS = Set.of("tenant_id", "id");
    private static final Pattern CLASS_KEY = Pattern.compile("^[a-zA-Z0-9-_:. ]{1,300}$");

    private QuotaBodies() {
    }

    /** The limits to set (the non-quota keys left out), in body order. */
    static Map<String, Integer> quotaSet(JsonNode body, List<String> resources) {
        JsonNode set = member(body, "quota_set", Set.of("quota_set"));
        List<String> bad = new ArrayList<>();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : set.properties()) {
            String key = e.getKey();
            if (!resources.contains(key) && !NON_QUOTA_KEYS.contains(key)) {
                bad.add(key);
                continue;
            }
            if (NON_QUOTA_KEYS.contains(key)) {
                continue;
            }
            out.put(key, validateInteger(e.getValue(), key));
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException("Bad key(s) in quota set: " + String.join(", ", bad));
        }
        return out;
    }

    static Map<String, Integer> quotaClassSet(JsonNode body, List<String> resources) {
        JsonNode set = member(body, "quota_class_set", Set.of("quota_class_set", "type"));
        List<String> bad = new ArrayList<>();
        for (String key : set.propertyNames()) {
            if (!resources.contains(key)) {
                bad.add(key);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException("Bad key(s) in quota class set: " + String.join(", ", bad));
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : set.properties()) {
            String key = e.getKey();
            if (!CLASS_KEY.matcher(key).matches()) {
                throw schema("Additional properties are not allowed ('" + key + "' was unexpected)");
            }
            out.put(key, classValue(key, e.getValue()));
        }
        return out;
    }

    /** The body's one object member, as jsonschema reports a wrong one (properties, required, additional). */
    private static JsonNode member(JsonNode body, String name, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw schema(repr(body) + " is not of type 'object'");
        }
        JsonNode set = body.get(name);
        if (set != null) {
            if (!set.isObject()) {
                throw invalid(name, set, repr(set) + " is not of type 'object'");
            }
            if (set.isEmpty() && name.equals("quota_set")) {
                throw invalid(name, set, "{} does not have enough properties");
            }
        }
        if (set == null) {
            throw schema("'" + name + "' is a required property");
        }
        for (String key : body.propertyNames()) {
            if (!allowed.contains(key)) {
                throw schema("Additional properties are not allowed ('" + key + "' was unexpected)");
            }
        }
        return set;
    }

    /** oslo.utils' validate_integer as Cinder's quota_set format checker calls it (min -1, max DB_MAX_INT). */
    private static int validateInteger(JsonNode v, String name) {
        BigInteger value;
        if (v.isBoolean()) {
            value = v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO; // Python: bool is an int
        } else if (v.isIntegralNumber()) {
            value = v.bigIntegerValue();
        } else if (v.isString() && v.stringValue().strip().matches("[-+]?\\d+")) {
            value = new BigInteger(v.stringValue().strip());
        } else {
            throw new CinderException(400, name + " must be an integer");
        }
        if (value.compareTo(BigInteger.valueOf(-1)) < 0) {
            throw new CinderException(400, name + " must be >= -1");
        }
        if (value.compareTo(BigInteger.valueOf(DB_MAX_INT)) > 0) {
            throw new CinderException(400, name + " must be <= " + DB_MAX_INT);
        }
        return value.intValue();
    }

    /** parameter_types.quota_class_set's value schema: integer or string, ^[0-9]*$, -1..DB_MAX_INT, not empty. */
    private static int classValue(String key, JsonNode v) {
        if (!(v.isIntegralNumber() || v.isString()) || v.isBoolean()) {
            throw invalid(key, v, repr(v) + " is not of type 'integer', 'string'");
        }
        BigInteger value;
        if (v.isString()) {
            String s = v.stringValue();
            if (!s.matches("[0-9]*")) {
                throw invalid(key, v, "'" + s + "' does not match '^[0-9]*$'");
            }
            if (s.isEmpty()) {
                throw invalid(key, v, "'' is too short");
            }
            value = new BigInteger(s);
        } else {
            value = v.bigIntegerValue();
        }
        if (value.compareTo(BigInteger.valueOf(-1)) < 0) {
            throw invalid(key, v, value + " is less than the minimum of -1");
        }
        if (value.compareTo(BigInteger.valueOf(DB_MAX_INT)) > 0) {
            throw invalid(key, v, value + " is greater than the maximum of " + DB_MAX_INT);
        }
        return value.intValue();
    }

    private static CinderException schema(String detail) {
        return new CinderException(400, detail);
    }

    private static CinderException invalid(String key, JsonNode v, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                + (v.isString() ? v.stringValue() : repr(v)) + ". " + detail);
    }

    /** A value as Python shows it in jsonschema's messages (None, True/False, else JSON). */
    private static String repr(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        return v.toString();
    }
}
