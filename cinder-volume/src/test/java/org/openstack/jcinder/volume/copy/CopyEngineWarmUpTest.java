package org.openstack.jcinder.volume.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up copy runs the engine once (its route known) and leaves nothing behind. */
class CopyEngineWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void theTestCopyTakesARouteAndRemovesItsScratchFiles() throws Exception {
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());

        CopyEngineWarmUp.run("b1", engine, dir);

        assertThat(engine.lastRoute()).isIn("CLONE", "COPY_FILE_RANGE", "USER_SPACE");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnusableDirectoryIsLoggedNotThrown() {
        NativeCopyEngine engine = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());

        CopyEngineWarmUp.run("b1", engine, dir.resolve("missing"));

        assertThat(engine.lastRoute()).isNull();
    }
}
