package org.openstack.jcinder.api.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** How Cinder's (Python) validation messages show a request value: {@code {'a': True, 'b': None}}. */
public final class PyRepr {

    private PyRepr() {
    }

    /** A JSON value as Python's {@code repr} shows it in Cinder's messages ({@code {'a': True, 'b': None}}). */
    public static String of(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isString()) {
            return "'" + v.stringValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (var e : v.properties()) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(of(JsonNodeFactory.instance.stringNode(e.getKey())))
                        .append(": ").append(of(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (JsonNode item : v) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(of(item));
            }
            return b.append(']').toString();
        }
        return v.toString();
    }
}
