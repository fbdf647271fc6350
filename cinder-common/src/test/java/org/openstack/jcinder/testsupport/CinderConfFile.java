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
}
