package org.openstack.jcinder.shared.auth;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Why a request is not let in, as keystonemiddleware answers it: 401 (no token, or Keystone refused it) or 503
 * (Keystone could not be asked). Never "let it in anyway".
 */
public final class AuthFailure extends RuntimeException {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int status;

    private AuthFailure(int status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    static AuthFailure unauthorized(String reason) {
        return new AuthFailure(401, reason, null);
    }

    static AuthFailure unavailable(String reason, Throwable cause) {
        return new AuthFailure(503, reason, cause);
    }

    public int status() {
        return status;
    }

    /**
     * keystonemiddleware's bodies: the 401 is exactly its {@code error} document; for the 503 (a plain webob
     * page there) the same shape with its text, so a client parses both alike. The reason stays in the log.
     */
    public Map<String, Object> body() {
        return status == 401
                ? Map.of("error", Map.of("code", 401, "title", "Unauthorized",
                        "message", "The request you have made requires authentication."))
                : Map.of("error", Map.of("code", 503, "title", "Service Unavailable",
                        "message", "The Keystone service is temporarily unavailable."));
    }

    /** {@link #body()} as the bytes of the HTTP answer. */
    public byte[] jsonBody() {
        return JSON.writeValueAsBytes(body());
    }

    /** The headers of the answer besides its content type: a 401 tells the client where to get a token. */
    public Map<String, String> headers(String wwwAuthenticateUri) {
        return status == 401 ? Map.of("WWW-Authenticate", wwwAuthenticate(wwwAuthenticateUri)) : Map.of();
    }

    /** {@code WWW-Authenticate} of a 401, telling the client where to get a token. */
    public static String wwwAuthenticate(String uri) {
        return "Keystone uri=\"" + uri + "\"";
    }
}
