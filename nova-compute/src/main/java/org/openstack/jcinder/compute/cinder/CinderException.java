package org.openstack.jcinder.compute.cinder;

/** Cinder answered an error (its status and message), or could not be reached (status 0). */
public class CinderException extends RuntimeException {

    private final int status;

    public CinderException(int status, String message) {
        super(message);
        this.status = status;
    }

    public CinderException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
