package org.openstack.jcinder.common.exception;

public class PolicyNotAuthorizedException extends CinderException {
    public PolicyNotAuthorizedException(String detail) {
        super(403, String.format("Policy doesn't allow %s to be performed.", detail));
    }

    public PolicyNotAuthorizedException(String detail, Throwable cause) {
        super(403, String.format("Policy doesn't allow %s to be performed.", detail), cause);
    }
}
