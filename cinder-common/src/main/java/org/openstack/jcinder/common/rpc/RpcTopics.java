package org.openstack.jcinder.common.rpc;

/** Exchange and topic names, as Cinder's oslo.messaging names them. */
public final class RpcTopics {

    /** The topic exchange every service-to-service message goes through ({@code control_exchange}). */
    public static final String EXCHANGE = "cinder";
    public static final String SCHEDULER = "cinder-scheduler";
    public static final String VOLUME = "cinder-volume";
    /** Volume services fan their capability reports out to every scheduler through this exchange. */
    public static final String SCHEDULER_FANOUT = "cinder-scheduler_fanout";

    private RpcTopics() {
    }

    /** {@code cinder-volume.host@backend}: one queue per backend, served by that backend's manager. */
    public static String volume(String serviceHost) {
        return VOLUME + "." + serviceHost;
    }
}
