package org.openstack.jcinder.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a cinder.conf for a test: the real file format, parsed by the real loader. */
public final class CinderConfFile {

    private CinderConfFile() {
    }

    public static Path write(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A cinder.conf for a context on the real PostgreSQL (a fresh database) and RabbitMQ, under a host name of
     * its own so no two test contexts share queues; {@code extraDefaults} are more {@code [DEFAULT]} lines.
     */
    public static Path onLocalServices(Path dir, String... extraDefaults) {
        StringBuilder conf = new StringBuilder("[DEFAULT]\nhost = test-" + System.nanoTime() + "\n")
                .append("transport_url = ").append(TestServices.transportUrl()).append('\n');
        for (String line : extraDefaults) {
            conf.append(line).append('\n');
        }
        conf.append("[database]\nconnection = ").append(TestServices.freshDatabase()).append('\n');
        return write(dir, "cinder.conf", conf.toString());
    }
}
