package org.openstack.jcinder.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

class EmbeddedAmqpBrokerLifecycleTest {

    @TempDir
    Path tmp;

    @Test
    void startsOnFreePortAndReportsItsAddress() throws IOException {
        long t0 = System.nanoTime();
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0, tmp.resolve("b1"))) {
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("embedded broker start-up took " + millis + " ms");
            assertThat(broker.port()).isBetween(1, 65535);
            assertThat(broker.transportUrl())
                    .isEqualTo("rabbit://guest:guest@127.0.0.1:" + broker.port() + "/");
            assertThat(broker.workDir()).isEqualTo(tmp.resolve("b1").toAbsolutePath());
            assertThat(Files.exists(broker.workDir().resolve(EmbeddedAmqpBroker.INITIAL_CONFIG_FILE))).isTrue();
            assertThat(roundTrip(broker.port(), "free-port")).isEqualTo("free-port");
        }
    }

    @Test
    void closeReleasesThePortSoASecondBrokerCanUseIt() {
        int port;
        EmbeddedAmqpBroker first = EmbeddedAmqpBroker.start(0, tmp.resolve("first"));
        try {
            port = first.port();
            assertThat(roundTrip(port, "first")).isEqualTo("first");
        } finally {
            first.close();
        }
        first.close(); // idempotent

        long t0 = System.nanoTime();
        try (EmbeddedAmqpBroker second = EmbeddedAmqpBroker.start(port, tmp.resolve("second"))) {
            System.out.println("second embedded broker start-up (fixed port) took "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(second.port()).isEqualTo(port);
            assertThat(roundTrip(port, "second")).isEqualTo("second");
        }
    }

    @Test
    void failsClearlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedAmqpBroker.start(port, tmp.resolve("taken")))
                    .isInstanceOf(IllegalStateException.class);
        }
        // and a broker can still be started afterwards in the same JVM
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0, tmp.resolve("after"))) {
            assertThat(roundTrip(broker.port(), "after")).isEqualTo("after");
        }
    }

    @Test
    void rejectsBadPort() {
        assertThatThrownBy(() -> EmbeddedAmqpBroker.start(-1, tmp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedAmqpBroker.start(65536, tmp))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String roundTrip(int port, String payload) {
        CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", port);
        try {
            RabbitAdmin admin = new RabbitAdmin(cf);
            String queue = admin.declareQueue(new Queue("lifecycle." + payload, false, false, true));
            RabbitTemplate template = new RabbitTemplate(cf);
            template.convertAndSend("", queue, payload);
            return (String) template.receiveAndConvert(queue, 5000);
        } finally {
            cf.destroy();
        }
    }
}
