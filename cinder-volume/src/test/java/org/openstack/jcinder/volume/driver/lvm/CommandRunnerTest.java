package org.openstack.jcinder.volume.driver.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.openstack.jcinder.common.exception.VolumeDriverException;

/**
 * How storage commands are run, with {@code sh} standing in for lvm2. The timeouts run the test in a thread of
 * its own, so a runner stuck on a full pipe fails the test instead of hanging the build.
 */
class CommandRunnerTest {

    /** 2.1 MB, 32 times a Linux pipe's default capacity (64 KiB): the child blocks on it unless it is read. */
    private static final String DRIVER_ERROR = "Volume driver reported an error: ";
    private static final String MUCH_TO_STDERR = "yes error | head -n 350000 >&2";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void aCommandWritingMuchToStderrDoesNotBlockReadingItsStdout() {
        String out = CommandRunner.exec(List.of("sh", "-c", "echo before; " + MUCH_TO_STDERR + "; echo after"),
                Duration.ofSeconds(30));

        assertThat(out).isEqualTo("before\nafter\n");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void aFailingCommandWritingMuchToStderrFailsWithItsStderr() {
        List<String> argv = List.of("sh", "-c", "echo out; " + MUCH_TO_STDERR + "; echo last words >&2; exit 3");

        // Checked piecewise: a failed assertion would print all 2 MiB of the message.
        String message = catchThrowableOfType(VolumeDriverException.class,
                () -> CommandRunner.exec(argv, Duration.ofSeconds(30))).getMessage();
        assertThat(message.startsWith(DRIVER_ERROR + String.join(" ", argv) + " failed (3): error\nerror\n"))
                .as(message.substring(0, 200)).isTrue();
        assertThat(message.endsWith("error\nlast words")).as(message.substring(message.length() - 200)).isTrue();
    }

    @Test
    void aFailureCarriesTheCommandLineAndItsStderr() {
        assertThatThrownBy(() -> CommandRunner.exec(List.of("sh", "-c", "echo '  no such VG ' >&2; exit 5"),
                Duration.ofSeconds(30)))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessage(DRIVER_ERROR + "sh -c echo '  no such VG ' >&2; exit 5 failed (5): no such VG");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void aCommandThatOutlivesItsTimeoutIsEnded() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> CommandRunner.exec(List.of("sh", "-c", "echo started; exec sleep 30"),
                Duration.ofMillis(500)))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessage(DRIVER_ERROR + "sh -c echo started; exec sleep 30 timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void onlyStorageCommandsRun() {
        assertThatThrownBy(() -> CommandRunner.run(List.of("sh", "-c", "true")))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessage(DRIVER_ERROR + "refusing to run sh: not an allowed storage command");
    }

    @Test
    void aMissingBinaryIsNamed() {
        assertThatThrownBy(() -> CommandRunner.exec(List.of("jcinder-no-such-command"), Duration.ofSeconds(5)))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageStartingWith(DRIVER_ERROR + "cannot run jcinder-no-such-command (is lvm2 installed?): ");
    }
}
