package org.openstack.jcinder.common.exception;

public class NotFoundException extends CinderException {
    public NotFoundException(String detail) {
        super(404, String.format("%s", detail));
    }

    public NotFoundException(String detail, Throwable cause) {
        super(404, String.format("%s", detail), cause);
    }
}
