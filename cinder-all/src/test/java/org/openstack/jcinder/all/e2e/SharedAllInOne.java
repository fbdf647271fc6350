package org.openstack.jcinder.all.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.testsupport.HttpJson;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The all-in-one of {@link OneFileBackend} that the test classes needing nothing else of it share: started by the
 * first of them, stopped when the test JVM exits. A start of its own cost each class several seconds of a 2-core
 * machine. The classes stay independent: each works in projects of its own and gives what it creates random
 * names, checks lists only for what it made itself, and changes no setting of the deployment (the one global
 * check, VolumeTypesEndToEndTest's "no project default type", holds as no other of them sets one).
 *
 * <p>It has a database and a RabbitMQ vhost of its own: the all-in-ones other classes start in this JVM while it
 * is up use the JVM's vhost, and two schedulers on one vhost would take each other's requests from the shared
 * {@code cinder-scheduler} queue. Where no second vhost can be made, each class gets an all-in-one of its own,
 * stopped by {@link Handle#release()} as before.
 */
final class SharedAllInOne {

    /** What a class uses: the API and the all-in-one's data directory (the backend's files are under it). */
    record Handle(HttpJson http, Path data, ConfigurableApplicationContext context, boolean shared) {

        /** Stops a class's own all-in-one; the shared one stays up for the next class. */
        void release() {
            if (!shared) {
                context.close();
            }
        }
    }

    private static final String IDLE_TIMEOUT = "spring.datasource.hikari.idle-timeout";

    private static Handle shared;

    private SharedAllInOne() {
    }

    /**
     * The shared all-in-one, started at the first call; or, where it cannot be shared, one of the calling class's
     * own in {@code ownDir}, host {@code ownHost}.
     */
    static synchronized Handle acquire(Path ownDir, String ownHost) {
        if (shared != null) {
            return shared;
        }
        Optional<TestServices.Vhost> vhost = TestServices.vhostOfItsOwn();
        if (vhost.isEmpty()) {
            return start(ownDir, ownHost, TestServices.transportUrl(), false);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("shared-all-in-one-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // It idles through the rest of the run beside other classes' services on a database server shared with
        // other runs: connections a class's work opened go back after 10 s idle (Hikari's minimum), not 10 min.
        System.setProperty(IDLE_TIMEOUT, "10000");
        try {
            shared = start(dir, "shared-" + UUID.randomUUID().toString().substring(0, 8),
                    vhost.get().transportUrl(), true);
        } catch (RuntimeException e) {
            vhost.get().delete().run();
            throw e;
        } finally {
            System.clearProperty(IDLE_TIMEOUT);
        }
        ConfigurableApplicationContext context = shared.context();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            vhost.get().delete().run();
            deleteQuietly(dir);
        }, "shared-all-in-one-stop"));
        return shared;
    }

    private static Handle start(Path dir, String host, String transportUrl, boolean shared) {
        Path conf = OneFileBackend.conf(dir, host, TestServices.freshDatabase(), transportUrl);
        Path data = dir.resolve("data");
        ConfigurableApplicationContext all = CinderAllApplication.start(new String[] {"--config-file",
                conf.toString(), "--data-dir", data.toString()});
        HttpJson http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) all).getWebServer()
                .getPort());
        return new Handle(http, data, all, shared);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the machine's cleaning takes what is left
        }
    }
}
