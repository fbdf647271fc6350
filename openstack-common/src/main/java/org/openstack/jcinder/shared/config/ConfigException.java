package org.openstack.jcinder.shared.config;

/** A configuration problem that stops a service at start-up; the message names file, section and key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
