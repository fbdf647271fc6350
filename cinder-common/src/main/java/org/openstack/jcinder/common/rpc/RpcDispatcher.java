package org.openstack.jcinder.common.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.CinderException;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps method names of one RPC API to handlers, each taking its own request record. An endpoint (the
 * scheduler manager, a volume manager) registers its methods once; the server decodes and dispatches.
 */
public final class RpcDispatcher {

    @FunctionalInterface
    public interface Handler<A> {
        Object handle(RequestContext ctx, A args);
    }

    private record Registration<A>(Class<A> argsType, Handler<A> handler) {
    }

    private final String apiName;
    private final String version;
    private final Map<String, Registration<?>> handlers = new LinkedHashMap<>();

    /** @param version the API version this endpoint serves; callers asking for a newer minor are refused. */
    public RpcDispatcher(String apiName, String version) {
        this.apiName = apiName;
        this.version = version;
    }

    public <A> RpcDispatcher register(String method, Class<A> argsType, Handler<A> handler) {
        handlers.put(method, new Registration<>(argsType, handler));
        return this;
    }

    /** The API version this endpoint serves (what its service records in the services table). */
    public String version() {
        return version;
    }

    /**
     * The same methods served at {@code served} (a testing override: a service announcing an older version
     * refuses newer messages as that older release would).
     */
    public RpcDispatcher servingAt(String served) {
        RpcDispatcher copy = new RpcDispatcher(apiName, served);
        copy.handlers.putAll(handlers);
        return copy;
    }

    public Set<String> methods() {
        return handlers.keySet();
    }

    Object dispatch(RpcEnvelope envelope, JsonMapper mapper) {
        Registration<?> reg = handlers.get(envelope.method());
        if (reg == null) {
            throw new CinderException(500, apiName + " has no RPC method '" + envelope.method() + "'");
        }
        RpcVersion.requireCompatible(envelope.version(), version, envelope.method());
        return invoke(reg, envelope.context(), envelope.args(), mapper);
    }

    /**
     * A message of an older version lacks the arguments added since (a caller pinned lower drops them): they
     * decode to their defaults (null, false, 0), as Cinder's managers give a newer keyword argument a default.
     * A field this version does not know (a newer caller) is ignored.
     */
    private static <A> Object invoke(Registration<A> reg, RequestContext ctx, JsonNode args, JsonMapper mapper) {
        A decoded = args == null || args.isNull() ? null : mapper.readerFor(reg.argsType())
                .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(args);
        return reg.handler().handle(ctx, decoded);
    }
}
