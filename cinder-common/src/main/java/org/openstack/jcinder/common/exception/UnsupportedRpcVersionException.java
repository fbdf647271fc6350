package org.openstack.jcinder.common.exception;

/**
 * oslo.messaging's {@code UnsupportedVersion}: a service received a message at a version newer than it serves
 * (a caller pinned above the oldest service, or not pinned at all). The service refuses it; a call gets this
 * error back, a cast is logged by the service.
 */
public class UnsupportedRpcVersionException extends CinderException {
    public UnsupportedRpcVersionException(String detail) {
        super(500, detail);
    }
}
