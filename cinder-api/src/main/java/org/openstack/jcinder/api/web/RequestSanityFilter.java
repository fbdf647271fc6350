package org.openstack.jcinder.api.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import org.openstack.jcinder.common.exception.CinderException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What any request must satisfy before routing: a method the API implements (else 501), a body within
 * Cinder's {@code osapi_max_request_body_size} (else 413, as oslo's sizelimit middleware answers), a JSON
 * Content-Type for a body when one is given (else 415, as Cinder), and a path
 * and query string of clean text (else 400; see {@link InputText}). Runs after {@link ApiRequestFilter}, so
 * its answers carry the request id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestSanityFilter extends OncePerRequestFilter {

    /** Cinder's default {@code [oslo_middleware] max_request_body_size}. */
    static final long MAX_BODY = 114_688;
    static final String TOO_LARGE = "Request is too large.";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** What Cinder's wsgi accepts as a body's type. */
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/vnd.openstack.volume+json");

    private final ErrorBodies errors;

    public RequestSanityFilter(ErrorBodies errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            if (!METHODS.contains(request.getMethod())) {
                throw new CinderException(501, "The requested method is not implemented by this server.");
            }
            String contentType = request.getContentType();
            // Handlers of these read a body, even an empty one, through the declared type.
            boolean readsBody = BODY_METHODS.contains(request.getMethod()) || request.getContentLengthLong() > 0
                    || request.getHeader("Transfer-Encoding") != null;
            if (readsBody && contentType != null && !JSON_TYPES.contains(mediaType(contentType))) {
                // Cinder's wsgi answers the same; anything else would also reach Tomcat's form parser or Spring's
                // media-type parser, which fail on malformed input in ways that are not 4xx.
                throw new CinderException(415, "Unsupported Content-Type");
            }
            if (request.getContentLengthLong() > MAX_BODY) {
                throw new CinderException(413, TOO_LARGE);
            }
            InputText.check(request.getHeader("X-Auth-Token"), "The X-Auth-Token header");
            for (String segment : request.getRequestURI().split("/")) {
                InputText.decodeComponent(segment, false, "The request path");
            }
            String query = request.getQueryString();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = InputText.decodeComponent(eq < 0 ? pair : pair.substring(0, eq), true,
                            "A query parameter name");
                    if (eq >= 0) {
                        InputText.decodeComponent(pair.substring(eq + 1), true, "Query parameter '"
                                + (InputText.problem(name) == null ? name : "?") + "'");
                    }
                }
            }
        } catch (CinderException e) {
            errors.write(response, e.code(), e.getMessage());
            return;
        }
        chain.doFilter(new LimitedBody(request), response);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** Thrown while a body without a (truthful) Content-Length is read past the limit. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super(TOO_LARGE);
        }
    }

    private static final class LimitedBody extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        LimitedBody(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream in = super.getInputStream();
                limited = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        read += n;
                        if (read > MAX_BODY) {
                            throw new BodyTooLargeException();
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
