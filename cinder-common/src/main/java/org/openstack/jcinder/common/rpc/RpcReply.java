package org.openstack.jcinder.common.rpc;

import tools.jackson.databind.JsonNode;

/** The answer to a call: a result, or the remote error with its type, HTTP code and message. */
public record RpcReply(JsonNode result, RemoteError error) {

    public record RemoteError(String type, int code, String message) {
    }
}
