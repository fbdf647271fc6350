package org.openstack.jcinder.api.groups;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.exception.CinderException;

/** Cinder's microversions of the group APIs ({@code cinder/api/microversions.py}). */
final class Versions {

    static final int GROUP_TYPE = 11;
    static final int GROUP_VOLUME = 13;
    static final int GROUP_SNAPSHOTS = 14;
    static final int GROUP_VOLUME_RESET_STATUS = 20;
    /** Cinder's GROUP_VOLUME_LIST: the detail view lists volume ids on {@code list_volume}. */
    static final int GROUP_VOLUME_IDS = 25;
    static final int GROUP_REPLICATION = 38;
    /** Cinder's GROUP_GROUPSNAPSHOT_PROJECT_ID. */
    static final int GROUP_VOLUME_DETAIL_PROJECT = 58;

    private Versions() {
    }

    /** A method below its microversion does not exist: Cinder answers a bare 404. */
    static void require(ApiRequest req, int minor) {
        if (!req.version().atLeast(minor)) {
            throw new CinderException(404, "The resource could not be found.");
        }
    }
}
