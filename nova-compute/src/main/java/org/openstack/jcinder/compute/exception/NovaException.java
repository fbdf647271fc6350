package org.openstack.jcinder.compute.exception;

/** An error the compute API answers with Nova's body: {@code {"<kind>": {"code": N, "message": "..."}}}. */
public class NovaException extends RuntimeException {

    private final int code;

    public NovaException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Nova's key for the code, as its fault wrapper writes it. */
    public static String kind(int code) {
        return switch (code) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> code >= 500 ? "computeFault" : "badRequest";
        };
    }

    public static NovaException badRequest(String message) {
        return new NovaException(400, message);
    }

    public static NovaException notFound(String message) {
        return new NovaException(404, message);
    }

    public static NovaException conflict(String message) {
        return new NovaException(409, message);
    }
}
