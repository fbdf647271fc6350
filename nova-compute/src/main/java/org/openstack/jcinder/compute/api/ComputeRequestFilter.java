package org.openstack.jcinder.compute.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.openstack.jcinder.shared.auth.AuthFailure;
import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.compute.exception.NovaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compute API's middleware: request id (the caller's {@code X-OpenStack-Request-ID} is kept as the global
 * id in the log line, so one migration reads the same in Cinder's and Nova's logs), authentication
 * ({@link ComputeAuthentication}: noauth2 or Keystone), then microversion negotiation.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ComputeRequestFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger("org.openstack.jcinder.compute.access");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ComputeAuthentication authentication;

    ComputeRequestFilter(ComputeAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String caller = request.getHeader("X-OpenStack-Request-ID");
        String requestId = caller != null && caller.matches("req-[0-9a-f-]{36}") ? caller
                : RequestContext.newRequestId();
        response.setHeader("x-openstack-request-id", requestId);
        response.setHeader("x-compute-request-id", requestId);
        String path = request.getRequestURI();
        long started = System.nanoTime();
        try {
            boolean versionDocument = path.equals("/") || path.equals("/v2.1") || path.equals("/v2.1/");
            RequestContext ctx = new RequestContext(requestId, null, null, List.of());
            String token = null;
            if (!versionDocument) {
                token = request.getHeader("X-Auth-Token");
                ctx = authentication.authenticate(request, requestId);
            }
            ContextHolder.set(ctx);
            ComputeApiVersion version = ComputeApiVersion.negotiate(request.getHeader("OpenStack-API-Version"),
                    request.getHeader("X-OpenStack-Nova-API-Version"));
            response.setHeader("OpenStack-API-Version", "compute " + version);
            response.setHeader("X-OpenStack-Nova-API-Version", version.toString());
            response.setHeader("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
            request.setAttribute(ComputeRequest.ATTRIBUTE, new ComputeRequest(ctx, token, version,
                    baseUrl(request)));
            chain.doFilter(request, response);
        } catch (NovaException e) {
            write(response, e.code(), e.getMessage());
        } catch (AuthFailure e) {
            authentication.reject(response, e);
        } finally {
            LOG.info("{} \"{} {}\" status: {} time: {}ms", request.getRemoteAddr(), request.getMethod(), path,
                    response.getStatus(), (System.nanoTime() - started) / 1_000_000);
            ContextHolder.clear();
        }
    }

    static void write(HttpServletResponse response, int code, String message) throws IOException {
        response.setStatus(code);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), Map.of(NovaException.kind(code),
                Map.of("code", code, "message", message == null ? "" : message)));
    }

    private static String baseUrl(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    }
}
