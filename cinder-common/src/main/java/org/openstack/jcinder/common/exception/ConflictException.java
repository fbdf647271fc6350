package org.openstack.jcinder.common.exception;

public class ConflictException extends CinderException {
    public ConflictException(String detail) {
        super(409, String.format("%s", detail));
    }

    public ConflictException(String detail, Throwable cause) {
        super(409, String.format("%s", detail), cause);
    }
}
