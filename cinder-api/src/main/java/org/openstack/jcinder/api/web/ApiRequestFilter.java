package org.openstack.jcinder.api.web;

import java.io.IOException;
import java.util.List;

import org.openstack.jcinder.api.auth.ApiAuthentication;
import org.openstack.jcinder.shared.auth.AuthFailure;
import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.CinderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API's middleware, in Cinder's order: request id, then authentication ({@link ApiAuthentication}: noauth
 * or Keystone), then microversion negotiation. Errors found here get the same Cinder body as errors from
 * controllers; Keystone's refusals get keystonemiddleware's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiRequestFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger("org.openstack.jcinder.api.access");
    static final String VERSION_HEADER = "OpenStack-API-Version";

    private final ErrorBodies errors;
    private final ApiAuthentication authentication;

    public ApiRequestFilter(ErrorBodies errors, ApiAuthentication authentication) {
        this.errors = errors;
        this.authentication = authentication;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestContext.newRequestId();
        response.setHeader("x-openstack-request-id", requestId);
        response.setHeader("x-compute-request-id", requestId);
        String path = request.getRequestURI();
        String baseUrl = baseUrl(request);
        long started = System.nanoTime();
        try {
            boolean versionDocument = path.equals("/") || path.equals("/v3") || path.equals("/v3/");
            ApiVersion version = ApiVersion.MIN;
            RequestContext ctx = new RequestContext(requestId, null, null, List.of());
            ContextHolder.set(ctx);
            String urlProject = null;
            if (!versionDocument) {
                ctx = authentication.authenticate(request, requestId);
                ContextHolder.set(ctx);
                urlProject = urlProject(path);
                if (urlProject != null && !urlProject.equals(ctx.projectId())) {
                    throw new CinderException(400, "Malformed request url: the project in the URL ("
                            + urlProject + ") is not the project of the token (" + ctx.projectId() + ")");
                }
            }
            if (path.startsWith("/v3") || path.equals("/")) {
                version = ApiVersion.parseHeader(request.getHeader(VERSION_HEADER));
                response.setHeader(VERSION_HEADER, "volume " + (path.equals("/") ? ApiVersion.MAX : version));
                response.setHeader("Vary", VERSION_HEADER);
            }
            request.setAttribute(ApiRequest.ATTRIBUTE, new ApiRequest(ctx, version, baseUrl, urlProject));
            chain.doFilter(request, response);
        } catch (CinderException e) {
            errors.write(response, e.code(), e.getMessage());
        } catch (AuthFailure e) {
            authentication.reject(response, e);
        } finally {
            if (LOG.isInfoEnabled()) {
                LOG.info("{} \"{} {}{}\" status: {} time: {}ms", request.getRemoteAddr(), request.getMethod(), path,
                        request.getQueryString() == null ? "" : "?" + request.getQueryString(),
                        response.getStatus(), (System.nanoTime() - started) / 1_000_000);
            }
            ContextHolder.clear();
        }
    }

    /**
     * {@code /v3/{project}/<collection>/…}: the segment before a known collection. A path that matches neither
     * URL form is left to routing, which answers 404 as Cinder does (OSC probes {@code /v3/servers/detail}).
     */
    private static String urlProject(String path) {
        String[] parts = path.split("/");
        if (parts.length < 4 || !parts[1].equals("v3") || ApiPaths.isCollection(parts[2])) {
            return null;
        }
        return ApiPaths.isCollection(parts[3]) ? parts[2] : null;
    }

    private static String baseUrl(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
