package org.openstack.jcinder.common.exception;

public class ServiceUnavailableException extends CinderException {
    public ServiceUnavailableException(String detail) {
        super(503, String.format("%s", detail));
    }

    public ServiceUnavailableException(String detail, Throwable cause) {
        super(503, String.format("%s", detail), cause);
    }
}
