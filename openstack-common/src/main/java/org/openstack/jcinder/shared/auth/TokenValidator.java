package org.openstack.jcinder.shared.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * keystonemiddleware's auth_token for this project's APIs: validates the caller's {@code X-Auth-Token} (and an
 * {@code X-Service-Token}) with Keystone v3, {@code GET /v3/auth/tokens} with the token as
 * {@code X-Subject-Token} and this service's own token as {@code X-Auth-Token}, which it gets and renews itself
 * with its {@code [keystone_authtoken]} password credentials.
 *
 * <p>Answers are cached in this process (bounded; {@code token_cache_time}, and never past the token's
 * {@code expires_at}), refusals too, as keystonemiddleware does, so a revoked token is refused at the latest
 * {@code token_cache_time} after the revocation. Keystone not answering is {@link AuthFailure} 503, never a
 * pass: a cached validation still works then, a new token cannot.
 */
public final class TokenValidator {

    private static final Logger LOG = LoggerFactory.getLogger(TokenValidator.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** keystoneauth renews a token this long before it expires (its stale duration). */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(120);
    static final int MAX_CACHED = 10_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AuthTokenSettings settings;
    private final String identityUrl;
    private final HttpClient http;
    private final Clock clock;
    private final Object serviceTokenLock = new Object();
    private volatile ServiceToken serviceToken;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_CACHED;
        }
    };

    private record ServiceToken(String id, Instant expiresAt) {
    }

    /** A validation as cached: {@code info} null for a token Keystone refused. */
    private record Cached(TokenInfo info, Instant until) {
    }

    public TokenValidator(AuthTokenSettings settings) {
        this(settings, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build(), Clock.systemUTC());
    }

    TokenValidator(AuthTokenSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.identityUrl = v3(settings.authUrl());
        this.http = http;
        this.clock = clock;
    }

    public AuthTokenSettings settings() {
        return settings;
    }

    /**
     * The caller of a request, in keystonemiddleware's order: the service token first (a valid one with a
     * service role lets an expired user token through, {@code allow_expired}), then the user's token; a
     * missing or refused user token, or a refused service token, is 401.
     *
     * @param serviceTokenId the {@code X-Service-Token} header, null when absent
     */
    public Caller authenticate(String userTokenId, String serviceTokenId) {
        TokenInfo service = null;
        boolean allowExpired = false;
        if (present(serviceTokenId)) {
            service = validate(serviceTokenId, false).orElse(null);
            boolean serviceRole = service != null
                    && service.roles().stream().anyMatch(settings.serviceTokenRoles()::contains);
            if (service != null && !serviceRole && settings.serviceTokenRolesRequired()) {
                LOG.info("X-Service-Token of user {} has none of the roles {}: refused", service.userId(),
                        settings.serviceTokenRoles());
                service = null;
            }
            if (service == null) {
                throw AuthFailure.unauthorized("invalid service token");
            }
            allowExpired = serviceRole;
        }
        if (!present(userTokenId)) {
            throw AuthFailure.unauthorized("no X-Auth-Token");
        }
        TokenInfo user = validate(userTokenId, allowExpired)
                .orElseThrow(() -> AuthFailure.unauthorized("invalid user token"));
        return new Caller(user, service);
    }

    /** Keystone's answer for one token, from the cache when it is fresh there; empty when Keystone refuses it. */
    Optional<TokenInfo> validate(String tokenId, boolean allowExpired) {
        String key = key(tokenId, allowExpired);
        Instant now = clock.instant();
        if (!settings.tokenCacheTime().isZero()) {
            Cached hit;
            synchronized (cache) {
                hit = cache.get(key);
            }
            if (hit != null && now.isBefore(hit.until())) {
                return Optional.ofNullable(hit.info());
            }
        }
        Optional<TokenInfo> answer = ask(tokenId, allowExpired);
        if (!settings.tokenCacheTime().isZero()) {
            Instant until = now.plus(settings.tokenCacheTime());
            if (answer.isPresent() && !allowExpired && answer.get().expiresAt().isBefore(until)) {
                until = answer.get().expiresAt();
            }
            synchronized (cache) {
                cache.put(key, new Cached(answer.orElse(null), until));
            }
        }
        return answer;
    }

    private Optional<TokenInfo> ask(String tokenId, boolean allowExpired) {
        for (int attempt = 0; ; attempt++) {
            String own = serviceToken(attempt > 0);
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(identityUrl + "/auth/tokens?nocatalog"
                                + (allowExpired ? "&allow_expired=1" : "")))
                        .timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                        .header("X-Auth-Token", own).header("X-Subject-Token", tokenId).GET().build();
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // a token no HTTP header can carry is no token Keystone issued
            }
            HttpResponse<String> response = send(request);
            switch (response.statusCode()) {
                case 200 -> {
                    try {
                        return Optional.of(TokenInfo.parse(JSON.readTree(response.body())));
                    } catch (RuntimeException e) {
                        throw AuthFailure.unavailable("unreadable token document from Keystone: " + e, e);
                    }
                }
                case 404 -> {
                    return Optional.empty();
                }
                case 401 -> {
                    if (attempt == 0) {
                        continue; // our own token was revoked or expired early: get a new one, once
                    }
                    LOG.error("Keystone refuses this service's own token ([keystone_authtoken] {})", settings);
                    throw AuthFailure.unavailable("service token refused", null);
                }
                case 403 -> {
                    LOG.error("Keystone does not let [keystone_authtoken] user {} validate tokens: it needs the "
                            + "service or admin role", settings.username());
                    throw AuthFailure.unavailable("validation forbidden", null);
                }
                default -> throw AuthFailure.unavailable("Keystone answered " + response.statusCode()
                        + " to a token validation", null);
            }
        }
    }

    /** This service's own token, fetched again when it is about to expire or {@code renew} asks for it. */
    private String serviceToken(boolean renew) {
        ServiceToken current = serviceToken;
        if (!renew && current != null && clock.instant().isBefore(current.expiresAt().minus(RENEW_BEFORE))) {
            return current.id();
        }
        synchronized (serviceTokenLock) {
            if (serviceToken != current) {
                return serviceToken.id(); // another thread renewed it meanwhile
            }
            serviceToken = issue();
            LOG.info("Got a service token for {} from {}, valid until {}", settings.username(), identityUrl,
                    serviceToken.expiresAt());
            return serviceToken.id();
        }
    }

    private ServiceToken issue() {
        ObjectNode auth = JSON.createObjectNode();
        ObjectNode identity = auth.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.username());
        user.put("password", settings.password());
        domain(user.putObject("domain"), settings.userDomainName());
        ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
        project.put("name", settings.projectName());
        domain(project.putObject("domain"), settings.projectDomainName());
        HttpRequest request = HttpRequest.newBuilder(URI.create(identityUrl + "/auth/tokens"))
                .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(auth.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = send(request);
        String id = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (response.statusCode() != 201 || id == null) {
            LOG.error("Keystone at {} answered {} to this service's password authentication ({}); check "
                    + "[keystone_authtoken]", identityUrl, response.statusCode(), settings);
            throw AuthFailure.unavailable("no service token", null);
        }
        try {
            JsonNode token = JSON.readTree(response.body()).path("token");
            return new ServiceToken(id, Instant.parse(token.path("expires_at").asString()));
        } catch (RuntimeException e) {
            throw AuthFailure.unavailable("unreadable token document from Keystone: " + e, e);
        }
    }

    private static void domain(ObjectNode node, Optional<String> name) {
        if (name.isPresent()) {
            node.put("name", name.get());
        } else {
            node.put("id", "default");
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // A kept-alive connection the server had closed: once more, on a new one (both requests
                // here are safe to repeat). Refused connections and timeouts are Keystone being down.
                LOG.debug("Keystone request failed ({}); retrying once", e.toString());
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            LOG.error("Unable to validate token: Keystone at {} does not answer: {}", identityUrl, e.toString());
            throw AuthFailure.unavailable("Keystone unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthFailure.unavailable("interrupted", e);
        }
    }

    private static boolean present(String header) {
        return header != null && !header.isBlank();
    }

    /** Cache keys are digests: a heap dump shows no usable token. */
    private static String key(String tokenId, boolean allowExpired) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tokenId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + (allowExpired ? "+expired" : "");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code auth_url} may name Keystone's root or its v3 endpoint, as keystoneauth accepts both. */
    static String v3(String authUrl) {
        String url = authUrl.replaceAll("/+$", "");
        return url.endsWith("/v3") ? url : url + "/v3";
    }
}
