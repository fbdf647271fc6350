package org.openstack.jcinder.compute.virt;

/** The hypervisor could not do what was asked; the message is for the operator and the migration record. */
public class HypervisorException extends RuntimeException {

    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
