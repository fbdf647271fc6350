package org.openstack.jcinder.shared.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Keystone's password authentication ({@code POST /v3/auth/tokens}) on loopback, for client
 * tests that check which service user's token goes where: user {@code u}'s n-th token is {@code tok-u-n}, valid
 * until 2099. Clients with real validation needs use {@link RealKeystone}.
 */
public final class StubKeystone implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKENS = "/v3/auth/tokens";
    /** The project every issued token is scoped to. */
    public static final String PROJECT_ID = "stub-project";

    private final HttpServer server;
    private final Map<String, AtomicInteger> issued = new ConcurrentHashMap<>();
    private volatile String catalog = "[]";

    public StubKeystone() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(TOKENS, exchange -> {
            JsonNode auth = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String user = auth.path("auth").path("identity").path("password").path("user").path("name").asString();
            int n = issued.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
            byte[] body = ("{\"token\": {\"expires_at\": \"2099-01-01T00:00:00.000000Z\", "
                    + "\"project\": {\"id\": \"" + PROJECT_ID + "\"}, \"catalog\": "
                    + catalog + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Subject-Token", "tok-" + user + "-" + n);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The identity endpoint ({@code auth_url}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code catalog} array (JSON) of the tokens issued from now on; {@code []} at first. */
    public void catalog(String json) {
        this.catalog = json;
    }

    /** How many tokens each user name was issued. */
    public Map<String, AtomicInteger> issued() {
        return issued;
    }

    /** From now on every authentication gets 404, as from a Keystone that lost its token API. */
    public void stopIssuing() {
        server.removeContext(TOKENS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
