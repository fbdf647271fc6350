package org.openstack.jcinder.all.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tempest's volume response schemas (src/test/resources/tempest-schemas, see its README) and a validator for
 * the JSON-schema keywords they use (type, properties, required, additionalProperties, items, pattern, anyOf,
 * and Tempest's {@code iso8601-date-time} format), applied as Tempest's {@code validate_response} does:
 * the status code must be one of {@code status_code}, the body must match {@code response_body}.
 */
final class TempestSchemas {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern ISO8601 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?");

    private TempestSchemas() {
    }

    /** The schema file Tempest's volumes client picks for a microversion ({@code schema_versions_info}). */
    static String volumesFileFor(int minor) {
        if (minor <= 60) {
            return "volumes-3.0.json";
        }
        if (minor <= 62) {
            return "volumes-3.61.json";
        }
        if (minor == 63 || minor == 64) {
            return "volumes-3." + minor + ".json";
        }
        return minor <= 68 ? "volumes-3.65.json" : "volumes-3.69.json";
    }

    static JsonNode load(String file, String name) {
        try (InputStream in = TempestSchemas.class.getResourceAsStream("/tempest-schemas/" + file)) {
            JsonNode schema = MAPPER.readTree(in).get(name);
            if (schema == null) {
                throw new IllegalArgumentException(file + " has no " + name);
            }
            return schema;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problems Tempest would report for this response (none: it passes). */
    static List<String> check(JsonNode schema, HttpJson.Response r) {
        List<String> problems = new ArrayList<>();
        boolean codeOk = false;
        for (JsonNode code : schema.get("status_code")) {
            codeOk |= code.asInt() == r.status();
        }
        if (!codeOk) {
            problems.add("status " + r.status() + " is not one of " + schema.get("status_code"));
        }
        if (schema.has("response_body")) {
            validate(schema.get("response_body"), r.body(), "$", problems);
        }
        return problems;
    }

    static void validate(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            problems.add(at + ": " + value + " is not of type " + schema.get("type"));
            return;
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode alternative : schema.get("anyOf")) {
                List<String> p = new ArrayList<>();
                validate(alternative, value, at, p);
                any |= p.isEmpty();
            }
            if (!any) {
                problems.add(at + ": " + value + " matches none of " + schema.get("anyOf"));
            }
        }
        if (value != null && value.isString()) {
            String s = value.stringValue();
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").stringValue()).matcher(s).find()) {
                problems.add(at + ": '" + s + "' does not match " + schema.get("pattern"));
            }
            if (schema.has("format") && schema.get("format").stringValue().equals("iso8601-date-time")
                    && !ISO8601.matcher(s).matches()) {
                problems.add(at + ": '" + s + "' is not an ISO 8601 time");
            }
        }
        if (value != null && value.isObject()) {
            JsonNode properties = schema.path("properties");
            if (schema.has("required")) {
                for (JsonNode key : schema.get("required")) {
                    if (!value.has(key.stringValue())) {
                        problems.add(at + ": '" + key.stringValue() + "' is a required property");
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode sub = properties.get(e.getKey());
                if (sub != null && sub.isObject()) {
                    validate(sub, e.getValue(), at + "." + e.getKey(), problems);
                } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true)) {
                    problems.add(at + ": additional property '" + e.getKey() + "' is not allowed");
                }
            }
        }
        if (value != null && value.isArray() && schema.has("items") && schema.get("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.stringValue()) {
            case "null" -> value == null || value.isNull();
            case "string" -> value != null && value.isString();
            case "boolean" -> value != null && value.isBoolean();
            case "integer" -> value != null && value.isIntegralNumber();
            case "number" -> value != null && value.isNumber();
            case "object" -> value != null && value.isObject();
            case "array" -> value != null && value.isArray();
            default -> throw new IllegalArgumentException("type " + type);
        };
    }
}
