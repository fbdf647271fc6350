package org.openstack.jcinder.api.web;

import java.io.IOException;
import java.util.Map;

import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Cinder's error body: {@code {"<fault name>": {"code": N, "message": "…"}}}, the fault name per code. */
@Component
public class ErrorBodies {

    private final JsonMapper mapper;

    public ErrorBodies(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public static String faultName(int code) {
        return switch (code) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 406 -> "notAcceptable";
            case 409 -> "conflictingRequest";
            case 413 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 500 -> "computeFault";
            case 503 -> "serviceUnavailable";
            default -> code >= 500 ? "computeFault" : "badRequest";
        };
    }

    public static Map<String, Object> body(int code, String message) {
        return Map.of(faultName(code), Map.of("code", code, "message", message == null ? "" : message));
    }

    /** Seconds a client is asked to wait on a 503: about one database connection timeout. */
    static final int RETRY_AFTER_SECONDS = 5;

    void write(HttpServletResponse response, int code, String message) throws IOException {
        response.setStatus(code);
        if (code == 503) {
            response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        response.setContentType("application/json");
        response.getOutputStream().write(mapper.writeValueAsBytes(body(code, message)));
    }
}
