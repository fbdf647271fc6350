package org.openstack.jcinder.common.exception;

/**
 * Cinder's {@code ServiceTooOld} (an {@code Invalid}, so 400): a request needs an RPC method or argument that
 * the oldest running service of its binary does not understand yet, during a rolling upgrade. Raised by the
 * caller before anything is sent.
 */
public class ServiceTooOldException extends CinderException {
    public ServiceTooOldException(String detail) {
        super(400, detail);
    }
}
