package org.openstack.jcinder.common.exception;

public class InvalidInputException extends CinderException {
    public InvalidInputException(String detail) {
        super(400, String.format("Invalid input received: %s", detail));
    }

    public InvalidInputException(String detail, Throwable cause) {
        super(400, String.format("Invalid input received: %s", detail), cause);
    }
}
