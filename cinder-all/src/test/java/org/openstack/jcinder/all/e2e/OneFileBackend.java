package org.openstack.jcinder.all.e2e;

import java.nio.file.Path;

import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.TestServices;

/** The cinder.conf of an all-in-one with one file backend ({@code f1}) on the local RabbitMQ and PostgreSQL. */
final class OneFileBackend {

    private OneFileBackend() {
    }

    static Path conf(Path dir, String host, String database) {
        return conf(dir, host, database, TestServices.transportUrl());
    }

    static Path conf(Path dir, String host, String database, String transportUrl) {
        return CinderConfFile.write(dir, "cinder.conf", String.join("\n",
                "[DEFAULT]",
                "host = " + host,
                "enabled_backends = f1",
                "transport_url = " + transportUrl,
                "osapi_volume_listen_port = 0",
                "report_interval = 1",
                "[database]",
                "connection = " + database,
                "[f1]",
                "volume_driver = file"));
    }
}
