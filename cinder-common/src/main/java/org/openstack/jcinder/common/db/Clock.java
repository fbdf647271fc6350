package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Database timestamps are UTC without zone, with microseconds, as Cinder stores and shows them. */
public final class Clock {
    private Clock() {
    }

    public static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
