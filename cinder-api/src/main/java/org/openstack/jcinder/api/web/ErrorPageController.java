package org.openstack.jcinder.api.web;

import java.io.IOException;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The container's error page ({@code /error}), reached when something below the controllers calls
 * {@code sendError} or throws: a Cinder body with a fixed message, replacing Spring Boot's, which shows the
 * path and the exception's text.
 */
@Controller
public class ErrorPageController implements ErrorController {

    private final ErrorBodies errors;

    public ErrorPageController(ErrorBodies errors) {
        this.errors = errors;
    }

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i && i >= 400 ? i : 404;
        Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (thrown instanceof Throwable t && ApiExceptionHandler.databaseUnavailable(t)) {
            code = 503;
        }
        errors.write(response, code, code == 503 && thrown != null ? ApiExceptionHandler.DATABASE_DOWN
                : ContainerErrors.message(code));
    }
}
