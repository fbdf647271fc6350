package org.openstack.jcinder.shared.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.openstack.jcinder.shared.config.KeystoneCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * keystoneauth's {@code password} plugin: a project-scoped token for one service user, got with
 * {@code POST /v3/auth/tokens} and got again shortly before it expires (or when the caller says Keystone
 * refused it). Used by {@link TokenValidator} for {@code [keystone_authtoken]} and by the service-to-service
 * clients for {@code [nova]}, {@code [cinder]} and {@code [service_user]}. Keystone not answering or refusing
 * the password is {@link AuthFailure} 503. The token is never logged.
 */
public final class PasswordAuth {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordAuth.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** keystoneauth renews a token this long before it expires (its stale duration). */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String identityUrl;
    private final String username;
    private final String password;
    private final String projectName;
    private final Optional<String> userDomainName;
    private final Optional<String> userDomainId;
    private final Optional<String> projectDomainName;
    private final Optional<String> projectDomainId;
    private final HttpClient http;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile Token token;

    private record Token(String id, Instant expiresAt, ServiceCatalog catalog) {
    }

    public PasswordAuth(String authUrl, String username, String password, String projectName,
                        Optional<String> userDomainName, Optional<String> projectDomainName, HttpClient http,
                        Clock clock) {
        this(authUrl, username, password, projectName, userDomainName, Optional.empty(), projectDomainName,
                Optional.empty(), http, clock);
    }

    /** With keystoneauth's {@code user_domain_id}/{@code project_domain_id}, used when no domain name is given. */
    public PasswordAuth(String authUrl, String username, String password, String projectName,
                        Optional<String> userDomainName, Optional<String> userDomainId,
                        Optional<String> projectDomainName, Optional<String> projectDomainId, HttpClient http,
                        Clock clock) {
        this.identityUrl = TokenValidator.v3(authUrl);
        this.username = username;
        this.password = password;
        this.projectName = projectName;
        this.userDomainName = userDomainName;
        this.userDomainId = userDomainId;
        this.projectDomainName = projectDomainName;
        this.projectDomainId = projectDomainId;
        this.http = http;
        this.clock = clock;
    }

    /**
     * The password plugin of a keystoneauth section ({@code auth_type = password}); empty when the section has
     * no {@code auth_type}. Any other plugin, or missing {@code auth_url}, {@code username}, {@code password}
     * or {@code project_name}, is a configuration error.
     */
    public static Optional<PasswordAuth> of(KeystoneCredentials c, String section) {
        if (c.authType().isEmpty()) {
            return Optional.empty();
        }
        if (!c.authType().get().equals("password")) {
            throw new IllegalArgumentException("[" + section + "] auth_type = " + c.authType().get()
                    + ": only password is supported");
        }
        String missing = c.authUrl().isEmpty() ? "auth_url" : c.username().isEmpty() ? "username"
                : c.password().isEmpty() ? "password" : c.projectName().isEmpty() ? "project_name" : null;
        if (missing != null) {
            throw new IllegalArgumentException("[" + section + "] auth_type = password needs " + missing);
        }
        return Optional.of(new PasswordAuth(c.authUrl().get(), c.username().get(), c.password().get(),
                c.projectName().get(), c.userDomainName(), c.userDomainId(), c.projectDomainName(),
                c.projectDomainId(), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build(),
                Clock.systemUTC()));
    }

    public String username() {
        return username;
    }

    /**
     * The service catalog of the current token (got first when there is none or it is about to expire): where
     * keystoneauth finds the other service when no {@code endpoint_override} names it.
     */
    public ServiceCatalog catalog() {
        token(false);
        return token.catalog();
    }

    /** The current token, got anew when it is about to expire or {@code renew} says it was refused. */
    public String token(boolean renew) {
        Token current = token;
        if (!renew && current != null && clock.instant().isBefore(current.expiresAt().minus(RENEW_BEFORE))) {
            return current.id();
        }
        synchronized (lock) {
            if (token != current) {
                return token.id(); // another thread renewed it meanwhile
            }
            token = issue();
            LOG.info("Got a token for {} from {}, valid until {}", username, identityUrl, token.expiresAt());
            return token.id();
        }
    }

    private Token issue() {
        ObjectNode auth = JSON.createObjectNode();
        ObjectNode identity = auth.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", username);
        user.put("password", password);
        domain(user.putObject("domain"), userDomainName, userDomainId);
        ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
        project.put("name", projectName);
        domain(project.putObject("domain"), projectDomainName, projectDomainId);
        HttpRequest request = HttpRequest.newBuilder(URI.create(identityUrl + "/auth/tokens"))
                .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(auth.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = send(request);
        String id = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (response.statusCode() != 201 || id == null) {
            LOG.error("Keystone at {} answered {} to the password authentication of {} (project {})", identityUrl,
                    response.statusCode(), username, projectName);
            throw AuthFailure.unavailable("no service token", null);
        }
        try {
            JsonNode t = JSON.readTree(response.body()).path("token");
            return new Token(id, Instant.parse(t.path("expires_at").asString()), ServiceCatalog.of(t));
        } catch (RuntimeException e) {
            throw AuthFailure.unavailable("unreadable token document from Keystone: " + e, e);
        }
    }

    private static void domain(ObjectNode node, Optional<String> name, Optional<String> id) {
        if (name.isPresent()) {
            node.put("name", name.get());
        } else {
            node.put("id", id.orElse("default"));
        }
    }

    /** Keystone's answer; a kept-alive connection the server had closed is tried once more on a new one. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                LOG.debug("Keystone request failed ({}); retrying once", e.toString());
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            LOG.error("Keystone at {} does not answer: {}", identityUrl, e.toString());
            throw AuthFailure.unavailable("Keystone unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthFailure.unavailable("interrupted", e);
        }
    }
}
