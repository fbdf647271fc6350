package org.openstack.jcinder.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.CommonContextTestBase;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.ConflictException;
import org.openstack.jcinder.common.exception.RemoteException;
import org.openstack.jcinder.common.exception.RpcTimeoutException;
import org.openstack.jcinder.common.exception.ServiceUnavailableException;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.testsupport.TestServices;
import org.springframework.context.ConfigurableApplicationContext;

/** RPC semantics on a real RabbitMQ: call/reply, remote errors, timeouts, confirmed casts, broker down. */
class RpcOverRabbitTest extends CommonContextTestBase {

    record Echo(String text) {
    }

    private final RequestContext ctxA = new RequestContext("req-" + UUID.randomUUID(), "alice", "p1", List.of());

    private String serve(BlockingQueue<String> seen) {
        String topic = "test-rpc." + UUID.randomUUID();
        RpcDispatcher d = new RpcDispatcher("test", "1.2")
                .register("echo", Echo.class, (c, e) -> new Echo(e.text() + "!"))
                .register("record", Echo.class, (c, e) -> {
                    seen.add(c.requestId() + " " + e.text());
                    return null;
                })
                .register("conflict", Echo.class, (c, e) -> {
                    throw new ConflictException("busy: " + e.text());
                })
                .register("boom", Echo.class, (c, e) -> {
                    throw new IllegalStateException("kaput");
                });
        ctx.getBean(RpcServer.class).serve(topic, d, 2);
        return topic;
    }

    @Test
    void callReturnsTheResultAndCarriesTheRequestContext() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        String topic = serve(seen);
        RpcClient client = ctx.getBean(RpcClient.class);
        assertThat(client.call(topic, "echo", "1.0", ctxA, new Echo("hi"), Echo.class)).isEqualTo(new Echo("hi!"));
        // RabbitMQ answers on its direct reply-to: this process keeps no reply queue of its own.
        assertThat(client.replyQueues()).isEmpty();
        client.cast(topic, "record", "1.1", ctxA, new Echo("cast"));
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ctxA.requestId() + " cast");
    }

    /**
     * Every call and cast makes sure its topic's queue exists. That must cost one declaration per topic, not one
     * per message: each declaration is a broker round trip on the sender's path, and each kept declarable is
     * declared again on every reconnect, so a growing list was a leak with a reconnect storm at the end of it.
     */
    @Test
    void topologyIsDeclaredOncePerTopicHoweverManyMessagesAreSent() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(100);
        String topic = serve(seen);
        RpcClient client = ctx.getBean(RpcClient.class);
        RpcTopology topology = ctx.getBean(RpcTopology.class);
        client.call(topic, "echo", "1.0", ctxA, new Echo("first"), Echo.class);
        int declared = topology.declaredCount();
        for (int i = 0; i < 40; i++) {
            client.call(topic, "echo", "1.0", ctxA, new Echo("call " + i), Echo.class);
            client.cast(topic, "record", "1.1", ctxA, new Echo("cast " + i));
        }
        for (int i = 0; i < 40; i++) {
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(topology.declaredCount()).isEqualTo(declared);
    }

    @Test
    void remoteErrorsArriveWithTypeCodeAndMessage() {
        String topic = serve(new ArrayBlockingQueue<>(10));
        RpcClient client = ctx.getBean(RpcClient.class);
        assertThatThrownBy(() -> client.call(topic, "conflict", "1.0", ctxA, new Echo("x"), Echo.class))
                .isInstanceOf(ConflictException.class).hasMessage("busy: x");
        assertThatThrownBy(() -> client.call(topic, "boom", "1.0", ctxA, new Echo("x"), Echo.class))
                .isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("IllegalStateException");
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("kaput");
                });
        assertThatThrownBy(() -> client.call(topic, "echo", "1.3", ctxA, new Echo("x"), Echo.class))
                .hasMessageContaining("requested at version 1.3 but this service implements 1.2");
        assertThatThrownBy(() -> client.call(topic, "nope", "1.0", ctxA, new Echo("x"), Echo.class))
                .hasMessageContaining("has no RPC method 'nope'");
    }

    @Test
    void callToNobodyTimesOutAfterItsOwnTimeout() {
        RpcClient client = ctx.getBean(RpcClient.class);
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.call("test-rpc.nobody-" + UUID.randomUUID(), "echo", "1.0", ctxA,
                new Echo("x"), Echo.class, Duration.ofSeconds(1)))
                .isInstanceOf(RpcTimeoutException.class).hasMessageContaining("Timed out after 1s");
        // Not the service-wide rpc_response_timeout (10 s in this test's cinder.conf).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void castWaitsInItsQueueUntilAServerComes() throws Exception {
        String topic = "test-rpc.late-" + UUID.randomUUID();
        RpcClient client = ctx.getBean(RpcClient.class);
        client.cast(topic, "record", "1.0", ctxA, new Echo("early"));
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        ctx.getBean(RpcServer.class).serve(topic, new RpcDispatcher("late", "1.0")
                .register("record", Echo.class, (c, e) -> seen.add(e.text())), 1);
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("early");
    }

    @Test
    void unreachableBrokerIsAServiceUnavailableError() {
        Path conf = CinderConfFile.write(dir, "down.conf", String.join("\n",
                "[DEFAULT]",
                "transport_url = rabbit://guest:guest@127.0.0.1:1/",
                "[database]",
                "connection = " + TestServices.freshDatabase()));
        try (ConfigurableApplicationContext down = CinderServiceLauncher.run(CommonOnly.class, CinderConfig.load(conf),
                false, new String[0])) {
            RpcClient client = down.getBean(RpcClient.class);
            assertThatThrownBy(() -> client.cast("t", "m", "1.0", ctxA, new Echo("x")))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("The messaging service is unavailable");
        }
    }
}
