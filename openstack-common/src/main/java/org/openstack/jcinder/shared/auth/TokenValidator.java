package org.openstack.jcinder.shared.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import tools.jackson.databind.json.JsonMapper;

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
    static final int MAX_CACHED = 10_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AuthTokenSettings settings;
    private final String identityUrl;
    private final HttpClient http;
    private final Clock clock;
    private final PasswordAuth own;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_CACHED;
        }
    };

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
        this.own = new PasswordAuth(settings.authUrl(), settings.username(), settings.password(),
                settings.projectName(), settings.userDomainName(), settings.projectDomainName(), http, clock);
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
        return own.token(renew);
    }

    private HttpResponse<String> send(HttpRequest request) {
        return own.send(request);
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
