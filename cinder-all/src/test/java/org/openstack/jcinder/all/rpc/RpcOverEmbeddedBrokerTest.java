package org.openstack.jcinder.all.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.all.CinderAllApplication;
import org.openstack.jcinder.common.exception.ConflictException;
import org.openstack.jcinder.common.exception.RpcTimeoutException;
import org.openstack.jcinder.common.rpc.RpcClient;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.RpcServer;
import org.openstack.jcinder.shared.context.RequestContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * RPC calls on the embedded default's in-process broker, which has no direct reply-to: each reply template
 * gets a reply queue of its own for the life of the process. Replies must reach the caller that waits for
 * them (correlated, also with many calls at once and with templates of different timeouts), remote errors keep
 * their type, and a call nobody answers still times out after its own timeout.
 */
class RpcOverEmbeddedBrokerTest {

    record Echo(String text) {
    }

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext all;
    static RpcClient client;
    static String topic;
    private final RequestContext ctx = new RequestContext("req-" + UUID.randomUUID(), "alice", "p1", List.of());

    @BeforeAll
    static void start() throws Exception {
        Path conf = dir.resolve("cinder.conf");
        Files.writeString(conf, String.join("\n", "[DEFAULT]", "enabled_backends = f1", "osapi_volume_listen_port = 0",
                "[management]", "port = 0", "[f1]", "volume_driver = file", ""));
        all = CinderAllApplication.start(new String[] {"--no-compute", "--data-dir", dir.resolve("data").toString(),
                "--config-file", conf.toString()});
        client = all.getBean(RpcClient.class);
        topic = "test-rpc." + UUID.randomUUID();
        all.getBean(RpcServer.class).serve(topic, new RpcDispatcher("test", "1.0")
                .register("echo", Echo.class, (c, e) -> new Echo(e.text() + "!"))
                .register("conflict", Echo.class, (c, e) -> {
                    throw new ConflictException("busy: " + e.text());
                }), 4);
    }

    @AfterAll
    static void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void manyCallsAtOnceEachGetTheirOwnReply() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Echo>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String text = "m" + i;
                // Two timeouts: two templates, each with its own reply queue.
                Duration timeout = Duration.ofSeconds(i % 2 == 0 ? 30 : 31);
                answers.add(pool.submit(() -> client.call(topic, "echo", "1.0", ctx, new Echo(text), Echo.class,
                        timeout)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(new Echo("m" + i + "!"));
            }
            // One reply queue per template (two timeouts), each on the broker for the life of the process,
            // instead of a temporary queue per call.
            assertThat(client.replyQueues()).hasSizeGreaterThanOrEqualTo(2).allMatch(q -> q.startsWith("reply_"));
            org.springframework.amqp.rabbit.core.RabbitAdmin admin = new org.springframework.amqp.rabbit.core
                    .RabbitAdmin(all.getBean(org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
            for (String q : client.replyQueues()) {
                assertThat(admin.getQueueProperties(q)).as(q).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRemoteErrorKeepsItsTypeAndACallToNobodyTimesOut() {
        assertThatThrownBy(() -> client.call(topic, "conflict", "1.0", ctx, new Echo("x"), Echo.class))
                .isInstanceOf(ConflictException.class).hasMessage("busy: x");
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.call("test-rpc.nobody-" + UUID.randomUUID(), "echo", "1.0", ctx,
                new Echo("x"), Echo.class, Duration.ofSeconds(1)))
                .isInstanceOf(RpcTimeoutException.class).hasMessageContaining("Timed out after 1s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // The reply queue still serves after a timeout.
        assertThat(client.call(topic, "echo", "1.0", ctx, new Echo("after"), Echo.class)).isEqualTo(new Echo("after!"));
    }
}
