package org.openstack.jcinder.compute.api;

import java.io.IOException;
import java.util.Set;

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.config.NovaOptions;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.shared.auth.AuthFailure;
import org.openstack.jcinder.shared.auth.Caller;
import org.openstack.jcinder.shared.auth.NoauthToken;
import org.openstack.jcinder.shared.auth.TokenValidator;
import org.openstack.jcinder.shared.context.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who is calling the compute API, per {@code [api] auth_strategy}: {@code noauth2} ({@code X-Auth-Token:
 * user:project}; {@code admin} is an administrator, {@code nova} and {@code cinder} have the service role) or
 * {@code keystone} (the same validation as the volume API's, openstack-common's {@link TokenValidator}).
 */
@Component
class ComputeAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeAuthentication.class);
    /** Nova\'s noauth2 gives these users the service role (Cinder\'s calls back arrive as one of them). */
    private static final Set<String> SERVICE_USERS = Set.of("nova", "cinder");

    private final TokenValidator keystone;

    ComputeAuthentication(NovaConfig config) {
        if ("keystone".equals(config.authStrategy())) {
            keystone = new TokenValidator(NovaOptions.AUTH_TOKEN.require(config.file()));
            NovaOptions.AUTH_TOKEN.warnIgnored(config.file());
            LOG.info("[api] auth_strategy = keystone: tokens are validated by {}", keystone.settings());
        } else {
            keystone = null;
        }
    }

    RequestContext authenticate(HttpServletRequest request, String requestId) {
        String token = request.getHeader("X-Auth-Token");
        if (keystone == null) {
            return noauth(token, requestId);
        }
        Caller caller = keystone.authenticate(token, request.getHeader("X-Service-Token"));
        return caller.context(requestId);
    }

    void reject(HttpServletResponse response, AuthFailure failure) throws IOException {
        LOG.info("Request refused ({}): {}", failure.status(), failure.getMessage());
        response.setStatus(failure.status());
        failure.headers(keystone.settings().wwwAuthenticateUri()).forEach(response::setHeader);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(failure.jsonBody());
    }

    private static RequestContext noauth(String token, String requestId) {
        return NoauthToken.context(token, requestId, SERVICE_USERS).orElseThrow(() -> new NovaException(401,
                "Authentication required: send X-Auth-Token (noauth: 'user:project')"));
    }
}
