package org.openstack.jcinder.api.types;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.CinderException;

import tools.jackson.databind.JsonNode;

/**
 * Key/value maps as Cinder's schemas take them (extra specs, QoS specs): string (or null) values of at most 255
 * characters under keys matching a pattern. The messages are those of Cinder's JSON-schema validation.
 */
public final class SpecMaps {

    /** {@code parameter_types.extra_specs(_with_null)}: spaces and slashes allowed in keys. */
    public static final String KEYS = "^[a-zA-Z0-9-_:. /]{1,255}$";
    /** {@code parameter_types.extra_specs_with_no_spaces_key}: used by the extra specs API. */
    public static final String KEYS_NO_SPACES = "^[a-zA-Z0-9-_:.]{1,255}$";

    private SpecMaps() {
    }

    /** Validates {@code v} (the value of {@code field}); null values are kept as null. */
    public static Map<String, String> parse(String field, JsonNode v, String keyRegex) {
        if (v == null || !v.isObject()) {
            throw invalid(field, v, (v == null ? "None" : v.toString()) + " is not of type 'object'");
        }
        Pattern keys = Pattern.compile(keyRegex);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!keys.matcher(e.getKey()).matches()) {
                throw invalid(field, v, "'" + e.getKey() + "' does not match any of the regexes: '" + keyRegex + "'");
            }
            JsonNode val = e.getValue();
            if (val.isNull()) {
                out.put(e.getKey(), null);
                continue;
            }
            if (!val.isString()) {
                throw invalid(field, v, val + " is not of type 'string', 'null'");
            }
            if (val.stringValue().length() > 255) {
                throw invalid(field, v, "'" + val.stringValue() + "' is too long");
            }
            out.put(e.getKey(), val.stringValue());
        }
        return out;
    }

    private static CinderException invalid(String field, JsonNode v, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + field + ". Value: " + v + ". " + detail);
    }
}
