package org.openstack.jcinder.common.rpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.stereotype.Component;

/**
 * The exchanges, queues and bindings this process uses. Declared once when first needed and again every
 * time the connection to the broker is re-established, so a restarted broker gets its topology back without
 * a service restart.
 */
@Component
public class RpcTopology {

    private static final Logger LOG = LoggerFactory.getLogger(RpcTopology.class);

    private final AmqpAdmin admin;
    private final Set<Declarable> declared = ConcurrentHashMap.newKeySet();

    public RpcTopology(AmqpAdmin admin, ConnectionFactory connectionFactory) {
        this.admin = admin;
        connectionFactory.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
                redeclareAll();
            }
        });
    }

    public static TopicExchange topicExchange() {
        return new TopicExchange(RpcTopics.EXCHANGE, true, false);
    }

    public static FanoutExchange fanoutExchange(String name) {
        return new FanoutExchange(name, false, false);
    }

    /** A durable queue named after the topic, bound to the topic exchange under the same key. */
    public void ensureTopicQueue(String topic) {
        TopicExchange exchange = topicExchange();
        Queue queue = new Queue(topic, true, false, false);
        Binding binding = BindingBuilder.bind(queue).to(exchange).with(topic);
        ensure(exchange, queue, binding);
    }

    public void ensureFanout(String exchangeName) {
        ensure(fanoutExchange(exchangeName));
    }

    /** Declares now (errors propagate: the caller decides whether a missing broker is fatal). */
    public void ensure(Declarable... declarables) {
        for (Declarable d : declarables) {
            if (declared.add(d)) {
                try {
                    declare(d);
                } catch (AmqpException e) {
                    declared.remove(d);
                    throw e;
                }
            }
        }
    }

    /** Remembers for redeclaration and tries now, tolerating a broker that is not there yet. */
    public void ensureEventually(Declarable... declarables) {
        for (Declarable d : declarables) {
            declared.add(d);
            try {
                declare(d);
            } catch (AmqpException e) {
                LOG.warn("Broker not reachable yet, {} will be declared on reconnect: {}", d, e.getMessage());
            }
        }
    }

    private void redeclareAll() {
        // Exchanges and queues before bindings, whatever order they were added in.
        declared.stream().filter(d -> d instanceof Exchange).forEach(this::quietly);
        declared.stream().filter(d -> d instanceof Queue).forEach(this::quietly);
        declared.stream().filter(d -> d instanceof Binding).forEach(this::quietly);
    }

    private void quietly(Declarable d) {
        try {
            declare(d);
        } catch (AmqpException e) {
            LOG.warn("Could not redeclare {}: {}", d, e.getMessage());
        }
    }

    private void declare(Declarable d) {
        if (d instanceof Exchange e) {
            admin.declareExchange(e);
        } else if (d instanceof Queue q) {
            admin.declareQueue(q);
        } else if (d instanceof Binding b) {
            admin.declareBinding(b);
        }
    }
}
