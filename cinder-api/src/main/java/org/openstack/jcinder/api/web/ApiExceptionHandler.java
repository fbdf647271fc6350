package org.openstack.jcinder.api.web;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Every error leaves the API as a Cinder error body with the matching status code. Bodies are written to the
 * response directly rather than through message conversion, so an error is answered in JSON whatever the
 * request's Accept header says, and never carries an exception's text unless that text was meant for users.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String SERVER_ERROR = "The server has either erred or is incapable of performing the requested "
            + "operation.";
    static final String DATABASE_DOWN = "The database is unavailable; retry later.";

    private final ErrorBodies errors;

    public ApiExceptionHandler(ErrorBodies errors) {
        this.errors = errors;
    }

    @ExceptionHandler(CinderException.class)
    void cinder(CinderException e, HttpServletResponse response) throws IOException {
        if (e.code() >= 500) {
            LOG.error("Request failed: {}", e.getMessage());
        }
        if (e instanceof QuotaExceededException && !response.isCommitted()) {
            response.setHeader("Retry-After", "0"); // Cinder's QuotaError headers
        }
        send(response, e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    void unreadable(HttpMessageNotReadableException e, HttpServletResponse response) throws IOException {
        if (causedBy(e, RequestSanityFilter.BodyTooLargeException.class)) {
            send(response, 413, RequestSanityFilter.TOO_LARGE);
        } else {
            send(response, 400, "Malformed request body");
        }
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    void mediaType(HttpMediaTypeNotSupportedException e, HttpServletResponse response) throws IOException {
        send(response, 415, "Unsupported Content-Type");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    void notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletResponse response) throws IOException {
        send(response, 406, "Unsupported Accept media type; this API answers application/json.");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    void badParameter(Exception e, HttpServletResponse response) throws IOException {
        send(response, 400, e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    void method(HttpRequestMethodNotSupportedException e, HttpServletResponse response) throws IOException {
        send(response, 405, "The method specified is not allowed for this resource.");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    void notFound(NoResourceFoundException e, HttpServletResponse response) throws IOException {
        send(response, 404, "The resource could not be found.");
    }

    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletResponse response) throws IOException {
        if (databaseUnavailable(e)) {
            LOG.warn("Database unavailable: {}", e.toString());
            send(response, 503, DATABASE_DOWN);
            return;
        }
        if (e instanceof ErrorResponse framework && framework.getStatusCode().value() < 500) {
            // Spring's own request errors (a missing header, a bad path variable…): their status, not their text.
            int code = framework.getStatusCode().value();
            HttpStatus status = HttpStatus.resolve(code);
            send(response, code, status == null ? "The request could not be processed." : status.getReasonPhrase());
            return;
        }
        LOG.error("Unexpected API error", e);
        send(response, 500, SERVER_ERROR);
    }

    /**
     * A connection that could not be had or was lost, in any of the forms Spring, Hibernate, Hikari and the JDBC
     * driver wrap it in (SQLSTATE class 08 is "connection exception"; 57P01–57P03 are PostgreSQL shutting down
     * or not yet accepting connections). Hikari's "Connection is closed" has no SQLSTATE: it is what a rollback
     * on a connection the pool already evicted says, and Spring reports it in place of the original failure.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && "Connection is closed".equals(s.getMessage())) {
                return true;
            }
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void send(HttpServletResponse response, int code, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        errors.write(response, code, message);
    }
}
