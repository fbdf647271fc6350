package org.openstack.jcinder.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.openstack.jcinder.embedded.EmbeddedAmqpBroker;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * An RPC call's round trip on the embedded broker (Qpid Broker-J, no direct reply-to), the two ways a Spring
 * {@code RabbitTemplate} can wait for the reply: a temporary queue declared, consumed and deleted per call
 * (what {@code RpcClient} did before), or one reply queue per template for the life of the process, correlated
 * by correlation id (what it does now). The server echoes at once, so the figure is the messaging alone.
 *
 * <p>Run: {@code benchmarks/run-rpc-replies.sh [--no-build] [--calls 200] [--rounds 3]}.
 */
public final class RpcReplyBenchmark {

    public static void main(String[] args) throws Exception {
        int calls = 200;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("rpc-bench");
        EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0, dir);
        CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", broker.port());
        cf.setVirtualHost("/");
        RabbitAdmin admin = new RabbitAdmin(cf);
        admin.declareQueue(new Queue("bench", false, false, true));
        RabbitTemplate replier = new RabbitTemplate(cf);
        SimpleMessageListenerContainer server = new SimpleMessageListenerContainer(cf);
        server.setQueueNames("bench");
        server.setMessageListener(m -> {
            MessageProperties p = new MessageProperties();
            p.setCorrelationId(m.getMessageProperties().getCorrelationId());
            replier.send("", m.getMessageProperties().getReplyTo(), new Message("ok".getBytes(), p));
        });
        server.start();
        RabbitTemplate temporary = new RabbitTemplate(cf);
        temporary.setReplyTimeout(10_000);
        RabbitTemplate fixed = new RabbitTemplate(cf);
        fixed.setReplyTimeout(10_000);
        Queue replies = admin.declareQueue();
        fixed.setReplyAddress(replies.getName());
        SimpleMessageListenerContainer replyListener = new SimpleMessageListenerContainer(cf);
        replyListener.setQueueNames(replies.getName());
        replyListener.setMessageListener(fixed);
        replyListener.start();
        try {
            System.out.printf(Locale.ROOT, "%-36s%s%n", "reply queue", "ms per call, by round");
            StringBuilder tempLine = new StringBuilder(String.format(Locale.ROOT, "%-36s", "temporary, one per call"));
            StringBuilder fixedLine = new StringBuilder(String.format(Locale.ROOT, "%-36s", "one per template (fixed)"));
            for (int r = 0; r < rounds; r++) {
                tempLine.append(String.format(Locale.ROOT, " %6.2f", perCall(temporary, calls)));
                fixedLine.append(String.format(Locale.ROOT, " %6.2f", perCall(fixed, calls)));
            }
            System.out.println(tempLine);
            System.out.println(fixedLine);
            System.out.printf(Locale.ROOT, "%d calls a round, each way in turn, on the embedded broker%n", calls);
        } finally {
            replyListener.stop();
            server.stop();
            cf.destroy();
            broker.close();
        }
    }

    private static double perCall(RabbitTemplate template, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (template.sendAndReceive("", "bench", new Message("hi".getBytes(), new MessageProperties())) == null) {
                throw new IllegalStateException("no reply within 10 s");
            }
        }
        return (System.nanoTime() - t0) / 1e6 / calls;
    }
}
