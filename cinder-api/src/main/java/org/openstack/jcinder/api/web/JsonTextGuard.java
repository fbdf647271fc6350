package org.openstack.jcinder.api.web;

import java.lang.reflect.Type;
import java.util.Map;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import tools.jackson.databind.JsonNode;

/**
 * Every JSON body is checked once, as a whole, for text the database cannot hold faithfully (see
 * {@link InputText}): a NUL or an unpaired surrogate in any key or string value is a 400 before a controller
 * sees the body, so no field can be forgotten.
 */
@ControllerAdvice
public class JsonTextGuard extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return JsonNode.class.isAssignableFrom(parameter.getParameterType());
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter,
                                Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        if (body instanceof JsonNode node) {
            check(node, "");
        }
        return body;
    }

    static void check(JsonNode node, String path) {
        if (node.isString()) {
            InputText.check(node.stringValue(), "The value of '" + path + "'");
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                InputText.check(e.getKey(), "A key in '" + path + "'");
                check(e.getValue(), path.isEmpty() ? e.getKey() : path + "/" + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "/" + i);
            }
        }
    }
}
