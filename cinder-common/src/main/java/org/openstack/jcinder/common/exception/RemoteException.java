package org.openstack.jcinder.common.exception;

/**
 * An error raised by the remote side of an RPC call whose type this process does not know: keeps the remote
 * type name and HTTP code so nothing of the original is lost.
 */
public class RemoteException extends CinderException {

    private final String remoteType;

    public RemoteException(String remoteType, int code, String message) {
        super(code, message);
        this.remoteType = remoteType;
    }

    public String remoteType() {
        return remoteType;
    }
}
