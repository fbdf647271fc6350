package org.openstack.jcinder.all.e2e;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openstack.jcinder.testsupport.HttpJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an answer against one of Tempest's response schemas (transcribed into
 * {@code src/test/resources/tempest-schemas/*.json}; their {@code _origin} names the Tempest file and commit).
 * No JSON-schema library is in the build, so this validates the subset Tempest's volume schemas use: type,
 * properties, required, additionalProperties, patternProperties, items, enum, and the uuid, uri and
 * iso8601-date-time formats; and the status code.
 */
final class TempestSchema {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
    private static final Pattern ISO8601 = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?$");

    private TempestSchema() {
    }

    /** The problems found (empty when the answer matches); {@code file} is e.g. {@code qos}, name {@code show_qos}. */
    static List<String> problems(String file, String name, HttpJson.Response r) {
        JsonNode schema = load(file).get("schemas").get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + name + " in " + file);
        }
        List<String> out = new ArrayList<>();
        boolean codeOk = false;
        for (JsonNode c : schema.get("status_code")) {
            codeOk |= c.asInt() == r.status();
        }
        if (!codeOk) {
            out.add("status " + r.status() + " not in " + schema.get("status_code"));
        }
        JsonNode body = schema.get("response_body");
        if (body != null) {
            if (r.body() == null) {
                out.add("no JSON body: " + r.raw());
            } else {
                check(body, r.body(), "$", out);
            }
        }
        return out;
    }

    private static JsonNode load(String file) {
        try (InputStream in = TempestSchema.class.getResourceAsStream("/tempest-schemas/" + file + ".json")) {
            return MAPPER.readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        JsonNode type = schema.get("type");
        if (type != null) {
            boolean ok = false;
            for (JsonNode t : type.isArray() ? type : List.of(type)) {
                ok |= is(t.asString(), value);
            }
            if (!ok) {
                out.add(path + ": " + value + " is not of type " + type);
                return;
            }
        }
        JsonNode en = schema.get("enum");
        if (en != null) {
            boolean ok = false;
            for (JsonNode e : en) {
                ok |= e.equals(value);
            }
            if (!ok) {
                out.add(path + ": " + value + " is not one of " + en);
            }
        }
        JsonNode format = schema.get("format");
        if (format != null && value.isString()) {
            String s = value.stringValue();
            boolean ok = switch (format.asString()) {
                case "uuid" -> UUID.matcher(s).matches();
                case "uri" -> s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.+");
                case "iso8601-date-time" -> ISO8601.matcher(s).matches();
                default -> true;
            };
            if (!ok) {
                out.add(path + ": '" + s + "' is not a '" + format.asString() + "'");
            }
        }
        if (value.isObject()) {
            JsonNode props = schema.get("properties");
            JsonNode patterns = schema.get("patternProperties");
            JsonNode required = schema.get("required");
            if (required != null) {
                for (JsonNode k : required) {
                    if (!value.has(k.asString())) {
                        out.add(path + ": '" + k.asString() + "' is a required property");
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                boolean known = false;
                if (props != null && props.has(e.getKey())) {
                    known = true;
                    check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
                }
                if (patterns != null) {
                    for (Map.Entry<String, JsonNode> p : patterns.properties()) {
                        if (Pattern.compile(p.getKey()).matcher(e.getKey()).find()) {
                            known = true;
                            check(p.getValue(), e.getValue(), path + "." + e.getKey(), out);
                        }
                    }
                }
                JsonNode additional = schema.get("additionalProperties");
                if (!known && additional != null && additional.isBoolean() && !additional.booleanValue()) {
                    out.add(path + ": additional property '" + e.getKey() + "' is not allowed");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                check(schema.get("items"), item, path + "[" + i++ + "]", out);
            }
        }
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isString();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("type " + type);
        };
    }
}
