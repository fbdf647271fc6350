package org.openstack.jcinder.common.exception;

public class NoValidBackendException extends CinderException {
    public NoValidBackendException(String detail) {
        super(400, String.format("No valid backend was found. %s", detail));
    }

    public NoValidBackendException(String detail, Throwable cause) {
        super(400, String.format("No valid backend was found. %s", detail), cause);
    }
}
