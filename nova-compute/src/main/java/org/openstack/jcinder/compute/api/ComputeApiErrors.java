package org.openstack.jcinder.compute.api;

import java.util.Map;

import org.openstack.jcinder.compute.cinder.CinderException;
import org.openstack.jcinder.compute.exception.NovaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error the controllers raise, in Nova's body. */
@RestControllerAdvice
public class ComputeApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeApiErrors.class);

    @ExceptionHandler(NovaException.class)
    ResponseEntity<Map<String, Object>> nova(NovaException e) {
        return body(e.code(), e.getMessage());
    }

    /** Cinder said no: its 4xx is the user's problem and passes through; anything else is ours (500). */
    @ExceptionHandler(CinderException.class)
    ResponseEntity<Map<String, Object>> cinder(CinderException e) {
        if (e.status() == 404) {
            return body(404, e.getMessage());
        }
        if (e.status() >= 400 && e.status() < 500) {
            return body(400, "Invalid volume: " + e.getMessage());
        }
        LOG.error("Cinder call failed: {}", e.getMessage());
        return body(500, "The volume service failed: " + e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(400, "Malformed request body");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return body(405, "The method " + e.getMethod() + " is not allowed for this resource.");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(NoResourceFoundException e) {
        return body(404, "The resource could not be found.");
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Map<String, Object>> unexpected(RuntimeException e) {
        LOG.error("Unexpected API error", e);
        return body(500, "Unexpected API Error. " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static ResponseEntity<Map<String, Object>> body(int code, String message) {
        return ResponseEntity.status(HttpStatus.valueOf(code))
                .body(Map.of(NovaException.kind(code), Map.of("code", code, "message", message)));
    }
}
