package org.openstack.jcinder.all.compute;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.TestServices;

/**
 * The cinder.conf the attached-path tests share: a fresh database, the test broker, two file backends where
 * {@code f1} is larger, so new volumes land on f1 and migrate to f2.
 */
final class TwoFileBackends {

    private TwoFileBackends() {
    }

    /** {@code port} 0 lets the API pick one; {@code extra} lines are appended (a [nova] section, say). */
    static Path cinderConf(Path dir, String host, int port, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1, f2",
                "transport_url = " + TestServices.transportUrl(),
                "osapi_volume_listen_port = " + port,
                "report_interval = 1",
                "[database]",
                "connection = " + TestServices.freshDatabase(),
                "[f1]",
                "volume_driver = file",
                "file_volume_capacity_gb = 100",
                "[f2]",
                "volume_driver = file",
                "file_volume_capacity_gb = 50"));
        lines.addAll(List.of(extra));
        return CinderConfFile.write(dir, "cinder.conf", String.join("\n", lines));
    }
}
