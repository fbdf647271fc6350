package org.openstack.jcinder.common.exception;

public class RpcTimeoutException extends CinderException {
    public RpcTimeoutException(String detail) {
        super(500, String.format("%s", detail));
    }

    public RpcTimeoutException(String detail, Throwable cause) {
        super(500, String.format("%s", detail), cause);
    }
}
