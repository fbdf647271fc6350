package org.openstack.jcinder.all;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.embedded.EmbeddedAmqpBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills in what a bare all-in-one needs: a configuration with two file backends, an in-process AMQP broker,
 * and an H2 database file (PostgreSQL mode) under the data directory.
 */
final class EmbeddedDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDefaults.class);

    /** The configuration to run with, and the embedded broker to stop when the service stops (if any). */
    record Resolved(CinderConfig config, EmbeddedAmqpBroker broker) implements AutoCloseable {
        @Override
        public void close() {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private EmbeddedDefaults() {
    }

    static Resolved resolve(Path configFile, Path dataDir) {
        Path data = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new ConfigException(data + ": cannot create the data directory: " + e.getMessage());
        }
        CinderConfig config = configFile != null ? CinderConfig.load(configFile) : defaultConfig(data);
        if (config.statePath().isEmpty()) {
            config = config.with(CinderOptions.STATE_PATH, data.toString());
        }
        if (config.databaseConnection().isEmpty()) {
            config = config.with(CinderOptions.DATABASE_CONNECTION, "h2:file:" + data.resolve("db").resolve("cinder"));
            LOG.info("No [database] connection: using the embedded database in {}", data.resolve("db"));
        }
        EmbeddedAmqpBroker broker = null;
        if (config.transportUrl().isEmpty()) {
            broker = EmbeddedAmqpBroker.start(0, data.resolve("broker"));
            config = config.with(CinderOptions.TRANSPORT_URL, broker.transportUrl());
            LOG.info("No transport_url: using the embedded AMQP broker on 127.0.0.1:{}", broker.port());
        }
        return new Resolved(config, broker);
    }

    /** Two file backends, so a volume can be placed by type and later moved between them. */
    private static CinderConfig defaultConfig(Path data) {
        return CinderConfig.from(IniFile.parse(Path.of("<built-in all-in-one defaults>"), List.of(
                "[DEFAULT]",
                "enabled_backends = file-1, file-2",
                "state_path = " + data,
                "report_interval = 5",
                "[file-1]",
                "volume_driver = file",
                "volume_backend_name = file-1",
                "[file-2]",
                "volume_driver = file",
                "volume_backend_name = file-2")));
    }
}
