package org.openstack.jcinder.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.adapter.MessageListenerAdapter;

/**
 * Spring AMQP (RabbitMQ Java client underneath) against a real embedded Broker-J.
 */
public class SpringAmqpAgainstEmbeddedBrokerTest {

    @TempDir
    static Path workDir;

    static EmbeddedAmqpBroker broker;

    CachingConnectionFactory connectionFactory;
    RabbitAdmin admin;
    RabbitTemplate rabbitTemplate;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedAmqpBroker.start(0, workDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void connect() {
        // Spring's defaults: user guest/guest, virtual host "/"
        connectionFactory = new CachingConnectionFactory("127.0.0.1", broker.port());
        connectionFactory.setVirtualHost("/");
        connectionFactory.setPublisherConfirmType(ConfirmType.SIMPLE);
        admin = new RabbitAdmin(connectionFactory);
        rabbitTemplate = new RabbitTemplate(connectionFactory);
    }

    @AfterEach
    void disconnect() {
        connectionFactory.destroy();
    }

    @Test
    void durableQueuePersistentMessageWithPublisherConfirms() {
        String queue = "cinder-volume." + UUID.randomUUID();
        admin.declareQueue(new Queue(queue, true, false, false));
        try {
            rabbitTemplate.invoke(ops -> {
                ops.convertAndSend("", queue, "create_volume vol-1");
                ops.waitForConfirmsOrDie(5000);
                return null;
            });

            QueueInformation info = admin.getQueueInfo(queue);
            assertThat(info).isNotNull();
            assertThat(info.getMessageCount()).isEqualTo(1);

            Message received = rabbitTemplate.receive(queue, 5000);
            assertThat(received).isNotNull();
            assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("create_volume vol-1");
            assertThat(received.getMessageProperties().getReceivedDeliveryMode())
                    .isEqualTo(MessageDeliveryMode.PERSISTENT);
        } finally {
            admin.deleteQueue(queue);
        }
    }

    @Test
    void transportUrlIsUsableAsAnAmqpUri() throws Exception {
        URI url = URI.create(broker.transportUrl());
        assertThat(url.getScheme()).isEqualTo("rabbit");
        CachingConnectionFactory cf = new CachingConnectionFactory(
                URI.create(broker.transportUrl().replaceFirst("^rabbit:", "amqp:")));
        try {
            String queue = new RabbitAdmin(cf).declareQueue(new Queue("uri." + UUID.randomUUID(), false, false, true));
            RabbitTemplate t = new RabbitTemplate(cf);
            t.convertAndSend("", queue, "via-uri");
            assertThat(t.receiveAndConvert(queue, 5000)).isEqualTo("via-uri");
        } finally {
            cf.destroy();
        }
    }

    @Test
    void requestReplyWithListenerContainer() {
        String queue = "cinder-scheduler.rpc." + UUID.randomUUID();
        admin.declareQueue(new Queue(queue, false, false, true));

        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setMessageListener(new MessageListenerAdapter(new Responder()));
        container.start();
        try {
            // Spring's defaults, nothing about reply queues configured: Broker-J has no
            // amq.rabbitmq.reply-to, so the template must fall back to temporary reply queues.
            rabbitTemplate.setReplyTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                MessageProperties props = new MessageProperties();
                props.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
                Message request = new Message(("ping-" + i).getBytes(StandardCharsets.UTF_8), props);
                Message reply = rabbitTemplate.sendAndReceive("", queue, request);
                assertThat(reply).as("reply %d", i).isNotNull();
                assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).isEqualTo("pong:ping-" + i);
            }
            Object converted = rabbitTemplate.convertSendAndReceive("", queue, "hello");
            assertThat(converted).isEqualTo("pong:hello");
        } finally {
            container.stop();
        }
    }

    @Test
    void requestReplyWithExplicitTemporaryReplyQueues() {
        String queue = "cinder-volume.rpc." + UUID.randomUUID();
        admin.declareQueue(new Queue(queue, false, false, true));

        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setMessageListener(new MessageListenerAdapter(new Responder()));
        container.start();
        try {
            RabbitTemplate template = new RabbitTemplate(connectionFactory);
            template.setUseDirectReplyToContainer(false);
            template.setUseTemporaryReplyQueues(true);
            template.setReplyTimeout(10_000);
            assertThat(template.convertSendAndReceive("", queue, "explicit")).isEqualTo("pong:explicit");
        } finally {
            container.stop();
        }
    }

    @Test
    void fanoutExchangeDeliversToEveryBoundExclusiveAutoDeleteQueue() throws Exception {
        FanoutExchange fanout = new FanoutExchange("cinder-volume_fanout." + UUID.randomUUID(), false, false);
        admin.declareExchange(fanout);
        Queue q1 = new AnonymousQueue();
        Queue q2 = new AnonymousQueue();
        assertThat(q1.isExclusive()).isTrue();
        assertThat(q1.isAutoDelete()).isTrue();
        admin.declareQueue(q1);
        admin.declareQueue(q2);
        admin.declareBinding(BindingBuilder.bind(q1).to(fanout));
        admin.declareBinding(BindingBuilder.bind(q2).to(fanout));

        // like oslo.messaging fanout consumers: one long-lived consumer per exclusive queue
        BlockingQueue<String> got1 = new LinkedBlockingQueue<>();
        BlockingQueue<String> got2 = new LinkedBlockingQueue<>();
        SimpleMessageListenerContainer c1 = collectInto(q1, got1);
        SimpleMessageListenerContainer c2 = collectInto(q2, got2);
        try {
            rabbitTemplate.invoke(ops -> {
                ops.convertAndSend(fanout.getName(), "ignored", "update_service_capabilities");
                ops.waitForConfirmsOrDie(5000);
                return null;
            });

            assertThat(got1.poll(5, TimeUnit.SECONDS)).isEqualTo("update_service_capabilities");
            assertThat(got2.poll(5, TimeUnit.SECONDS)).isEqualTo("update_service_capabilities");
            assertThat(got1.poll(200, TimeUnit.MILLISECONDS)).isNull();
            assertThat(got2.poll(200, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            c1.stop();
            c2.stop();
            admin.deleteExchange(fanout.getName());
        }
    }

    private SimpleMessageListenerContainer collectInto(Queue queue, BlockingQueue<String> sink) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(queue);
        container.setMessageListener(m -> sink.add(new String(m.getBody(), StandardCharsets.UTF_8)));
        container.start();
        return container;
    }

    @Test
    void topicExchangeRoutesByRoutingKey() {
        TopicExchange topic = new TopicExchange("openstack." + UUID.randomUUID(), false, false);
        admin.declareExchange(topic);
        // not auto-delete: each receive(timeout) below adds and cancels a consumer, and an
        // auto-delete queue goes away when its last consumer is cancelled (as on RabbitMQ)
        Queue hostQueue = new Queue("cinder-volume.host1." + UUID.randomUUID(), false, false, false);
        Queue allVolume = new Queue("cinder-volume.all." + UUID.randomUUID(), false, false, false);
        admin.declareQueue(hostQueue);
        admin.declareQueue(allVolume);
        Binding exact = BindingBuilder.bind(hostQueue).to(topic).with("cinder-volume.host1");
        Binding wildcard = BindingBuilder.bind(allVolume).to(topic).with("cinder-volume.#");
        admin.declareBinding(exact);
        admin.declareBinding(wildcard);
        try {
            rabbitTemplate.convertAndSend(topic.getName(), "cinder-volume.host1", "for-host1");
            rabbitTemplate.convertAndSend(topic.getName(), "cinder-volume.host2", "for-host2");
            rabbitTemplate.convertAndSend(topic.getName(), "cinder-scheduler", "for-scheduler");

            assertThat(rabbitTemplate.receiveAndConvert(hostQueue.getName(), 5000)).isEqualTo("for-host1");
            assertThat(rabbitTemplate.receiveAndConvert(hostQueue.getName(), 200)).isNull();

            assertThat(rabbitTemplate.receiveAndConvert(allVolume.getName(), 5000)).isEqualTo("for-host1");
            assertThat(rabbitTemplate.receiveAndConvert(allVolume.getName(), 5000)).isEqualTo("for-host2");
            assertThat(rabbitTemplate.receiveAndConvert(allVolume.getName(), 200)).isNull();
        } finally {
            admin.deleteQueue(hostQueue.getName());
            admin.deleteQueue(allVolume.getName());
            admin.deleteExchange(topic.getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "default"})
    void virtualHostSlashAndItsNameReachTheSameVirtualHost(String vhost) {
        String queue = "vhost-check";
        admin.declareQueue(new Queue(queue, false, false, false));
        CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", broker.port());
        cf.setVirtualHost(vhost);
        try {
            new RabbitTemplate(cf).convertAndSend("", queue, "via " + vhost);
            assertThat(rabbitTemplate.receiveAndConvert(queue, 5000)).isEqualTo("via " + vhost);
        } finally {
            cf.destroy();
            admin.deleteQueue(queue);
        }
    }

    @Test
    void wrongPasswordIsRejected() {
        CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", broker.port());
        cf.setPassword("not-guest");
        try {
            assertThatThrownBy(cf::createConnection).isInstanceOf(AmqpAuthenticationException.class);
        } finally {
            cf.destroy();
        }
    }

    @Test
    void rabbitSpecificQueueArgumentsAreDroppedInsteadOfKillingTheConnection() {
        // Broker-J does not know x-expires / x-message-ttl; by default it would close the whole
        // connection (542). The embedded broker is configured to drop them with a WARN.
        String queue = "reply_" + UUID.randomUUID();
        admin.declareQueue(QueueBuilder.nonDurable(queue).autoDelete()
                .withArgument("x-expires", 600_000)
                .withArgument("x-message-ttl", 60_000)
                .build());
        rabbitTemplate.invoke(ops -> {
            ops.convertAndSend("", queue, "still-works");
            ops.waitForConfirmsOrDie(5000);
            return null;
        });
        Message received = rabbitTemplate.receive(queue); // basic.get: keeps the auto-delete queue
        assertThat(received).isNotNull();
        assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("still-works");
        admin.deleteQueue(queue);
    }

    @Test
    void manyMessagesThroughAListenerContainer() throws Exception {
        String queue = "bulk." + UUID.randomUUID();
        admin.declareQueue(new Queue(queue, true, false, false));
        int count = 2000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch latch = new CountDownLatch(count);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(2);
        container.setMessageListener(m -> {
            seen.add(new String(m.getBody(), StandardCharsets.UTF_8));
            latch.countDown();
        });
        container.start();
        try {
            long t0 = System.nanoTime();
            rabbitTemplate.invoke(ops -> {
                for (int i = 0; i < count; i++) {
                    ops.convertAndSend("", queue, "m" + i);
                }
                ops.waitForConfirmsOrDie(10_000);
                return null;
            });
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
            System.out.println(count + " confirmed persistent messages published and consumed in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(seen).hasSize(count).contains("m0", "m" + (count - 1));
        } finally {
            container.stop();
            admin.deleteQueue(queue);
        }
    }

    /** Listener delegate; MessageListenerAdapter calls handleMessage and sends the result to replyTo. */
    public static class Responder {
        public String handleMessage(String request) {
            return "pong:" + request;
        }
    }
}
