package org.openstack.jcinder.common.exception;

/**
 * Root of every error a user or a peer service can see. The HTTP code travels with the exception so the API
 * maps it to Cinder's body ({@code {"badRequest": {"code": 400, "message": …}}}) in one place, and so an error
 * raised on a volume service arrives at the caller of an RPC call with the same type, code and message.
 */
public class CinderException extends RuntimeException {

    private final int code;

    public CinderException(int code, String message) {
        super(message);
        this.code = code;
    }

    public CinderException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
