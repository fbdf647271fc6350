package org.openstack.jcinder.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What a real Keystone cannot be made to do on cue (a token expiring within seconds, a 500, the service's own
 * token revoked), played by a stand-in answering Keystone's v3 token API, with a clock the test moves.
 */
class TokenValidatorCacheTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private HttpServer server;
    private final MovableClock clock = new MovableClock();
    private final AtomicInteger validations = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private final Set<String> serviceTokens = ConcurrentHashMap.newKeySet();
    private volatile int validationStatus = 200;
    private volatile Instant userTokenExpires = T0.plus(Duration.ofHours(1));
    private TokenValidator validator;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/auth/tokens", this::tokens);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v3";
        validator = new TokenValidator(AuthTokenOptions.settings(url, "cinder", "pw", "service",
                Duration.ofSeconds(300)), HttpClient.newHttpClient(), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void tokens(HttpExchange x) throws IOException {
        if (x.getRequestMethod().equals("POST")) {
            String id = "svc-" + issued.incrementAndGet();
            serviceTokens.add(id);
            x.getResponseHeaders().add("X-Subject-Token", id);
            reply(x, 201, "{\"token\": {\"expires_at\": \"" + T0.plus(Duration.ofHours(1)) + "\"}}");
            return;
        }
        validations.incrementAndGet();
        if (!serviceTokens.contains(x.getRequestHeaders().getFirst("X-Auth-Token"))) {
            reply(x, 401, "{}");
        } else if (validationStatus != 200) {
            reply(x, validationStatus, "{}");
        } else if (x.getRequestHeaders().getFirst("X-Subject-Token").equals("nova-token")) {
            reply(x, 200, """
                    {"token": {"user": {"id": "n1", "name": "nova"}, "project": {"id": "s1", "name": "service"},
                     "roles": [{"name": "service"}], "expires_at": "%s"}}""".formatted(T0.plusSeconds(3600)));
        } else if (x.getRequestHeaders().getFirst("X-Subject-Token").equals("expired-token")
                && String.valueOf(x.getRequestURI().getQuery()).contains("allow_expired=1")) {
            reply(x, 200, """
                    {"token": {"user": {"id": "u1"}, "project": {"id": "p1"}, "roles": [{"name": "member"}],
                     "expires_at": "%s"}}""".formatted(T0.minusSeconds(60)));
        } else if (!x.getRequestHeaders().getFirst("X-Subject-Token").equals("user-token")) {
            reply(x, 404, "{\"error\": {\"code\": 404}}");
        } else {
            reply(x, 200, """
                    {"token": {"user": {"id": "u1", "name": "alice", "domain": {"id": "default", "name": "Default"}},
                     "project": {"id": "p1", "name": "a", "domain": {"id": "default", "name": "Default"}},
                     "roles": [{"id": "r1", "name": "member"}], "expires_at": "%s"}}""".formatted(userTokenExpires));
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Test
    void aValidationIsReusedWithinTokenCacheTimeButNeverPastTheTokensExpiry() {
        userTokenExpires = T0.plusSeconds(30);
        validator.authenticate("user-token", null);
        clock.now = T0.plusSeconds(29);
        validator.authenticate("user-token", null);
        assertThat(validations).as("cached").hasValue(1);

        clock.now = T0.plusSeconds(31);
        validator.authenticate("user-token", null);
        assertThat(validations).as("asked again at expires_at, not after token_cache_time").hasValue(2);
    }

    @Test
    void aRefusalIsCachedToo() {
        assertThatThrownBy(() -> validator.authenticate("garbage", null)).isInstanceOf(AuthFailure.class);
        assertThatThrownBy(() -> validator.authenticate("garbage", null)).isInstanceOf(AuthFailure.class);
        assertThat(validations).hasValue(1);
    }

    @Test
    void keystoneFailingIs503AndNothingIsCached() {
        validationStatus = 500;
        assertThatThrownBy(() -> validator.authenticate("user-token", null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(503));

        validationStatus = 200;
        assertThat(validator.authenticate("user-token", null).user().userId()).isEqualTo("u1");
    }

    @Test
    void keystoneUnreachableIs503() {
        validator.authenticate("user-token", null);
        server.stop(0);

        assertThatThrownBy(() -> validator.authenticate("another-token", null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(503));
        assertThat(validator.authenticate("user-token", null).user().userId()).as("cached").isEqualTo("u1");
    }

    @Test
    void theServicesOwnTokenIsRenewedWhenKeystoneRefusesItAndBeforeItExpires() {
        validator.authenticate("user-token", null);
        serviceTokens.clear(); // revoked

        clock.now = T0.plusSeconds(400); // past the cache entry
        assertThat(validator.authenticate("user-token", null).user().userId()).isEqualTo("u1");
        assertThat(issued).hasValue(2);

        clock.now = T0.plus(Duration.ofMinutes(59)); // within keystoneauth's 2 minutes before expiry
        validator.authenticate("user-token", null);
        assertThat(issued).hasValue(3);
    }

    @Test
    void anExpiredUserTokenPassesOnlyWithAServiceTokenBearingAServiceRole() {
        assertThatThrownBy(() -> validator.authenticate("expired-token", null))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.status()).isEqualTo(401));

        Caller caller = validator.authenticate("expired-token", "nova-token");

        assertThat(caller.user().userId()).isEqualTo("u1");
        assertThat(caller.serviceRoles()).containsExactly("service");
    }

    private static final class MovableClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
