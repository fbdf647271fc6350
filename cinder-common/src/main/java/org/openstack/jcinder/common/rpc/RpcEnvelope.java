package org.openstack.jcinder.common.rpc;

import org.openstack.jcinder.shared.context.RequestContext;

import tools.jackson.databind.JsonNode;

/**
 * The one message shape on the bus: which method, at which API version, on whose behalf, with which
 * arguments. Arguments are a JSON object whose shape is the method's request record.
 */
public record RpcEnvelope(String method, String version, RequestContext context, JsonNode args) {
}
