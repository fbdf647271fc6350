package org.openstack.jcinder.api.auth;

import java.io.IOException;
import java.util.Set;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.common.exception.CinderException;
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
 * Who is calling the volume API, per {@code auth_strategy}: Cinder's {@code noauth} ({@code X-Auth-Token:
 * user:project}, user {@code admin} has role admin) or {@code keystone} (keystonemiddleware's auth_token and
 * Cinder's keystonecontext: the token is validated by Keystone, the context built from what it answers).
 * Kept apart from the request filter so the filter's other checks and this can change independently.
 */
@Component
public class ApiAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthentication.class);

    private final TokenValidator keystone;

    public ApiAuthentication(CinderConfig config) {
        if ("keystone".equals(config.authStrategy())) {
            keystone = new TokenValidator(CinderOptions.AUTH_TOKEN.require(config.file()));
            CinderOptions.AUTH_TOKEN.warnIgnored(config.file());
            LOG.info("auth_strategy = keystone: tokens are validated by {}", keystone.settings());
        } else {
            keystone = null;
        }
    }

    /**
     * The request's context; {@link CinderException} for noauth's refusals (Cinder's fault body),
     * {@link AuthFailure} for Keystone's (keystonemiddleware's body, {@link #reject}).
     */
    public RequestContext authenticate(HttpServletRequest request, String requestId) {
        if (keystone == null) {
            return noauth(request.getHeader("X-Auth-Token"), requestId);
        }
        Caller caller = keystone.authenticate(request.getHeader("X-Auth-Token"),
                request.getHeader("X-Service-Token"));
        if (caller.user().projectId() == null) {
            // Cinder's resources all belong to a project; a domain- or system-scoped token names none.
            throw new CinderException(403, "The token is not scoped to a project.");
        }
        return caller.context(requestId);
    }

    /** keystonemiddleware's answer: 401 with its body and where to get a token, or 503. */
    public void reject(HttpServletResponse response, AuthFailure failure) throws IOException {
        LOG.info("Request refused ({}): {}", failure.status(), failure.getMessage());
        response.setStatus(failure.status());
        failure.headers(keystone.settings().wwwAuthenticateUri()).forEach(response::setHeader);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(failure.jsonBody());
    }

    private static RequestContext noauth(String token, String requestId) {
        return NoauthToken.context(token, requestId, Set.of()).orElseThrow(() -> new CinderException(401,
                "Authentication required: send X-Auth-Token (noauth: 'user:project')"));
    }
}
