package org.openstack.jcinder.common.rpc;

import java.util.Map;
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
    /**
     * What was declared, by {@link #identity}: Spring's declarables have no {@code equals}, so a set of them
     * would take a new entry, and a new declaration on the broker, for every message sent.
     */
    private final Map<String, Declarable> declared = new ConcurrentHashMap<>();

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

    /**
     * Declares now, once per exchange, queue or binding for the life of the connection (errors propagate: the
     * caller decides whether a missing broker is fatal; nothing is remembered then, so the next use tries again).
     * A second sender of the same topic waits for the first one's declaration rather than publishing before the
     * queue is bound.
     */
    public void ensure(Declarable... declarables) {
        for (Declarable d : declarables) {
            declared.computeIfAbsent(identity(d), k -> {
                declare(d);
                return d;
            });
        }
    }

    /** Remembers for redeclaration and tries now, tolerating a broker that is not there yet. */
    public void ensureEventually(Declarable... declarables) {
        for (Declarable d : declarables) {
            declared.put(identity(d), d);
            try {
                declare(d);
            } catch (AmqpException e) {
                LOG.warn("Broker not reachable yet, {} will be declared on reconnect: {}", d, e.getMessage());
            }
        }
    }

    private void redeclareAll() {
        // Exchanges and queues before bindings, whatever order they were added in.
        declared.values().stream().filter(d -> d instanceof Exchange).forEach(this::quietly);
        declared.values().stream().filter(d -> d instanceof Queue).forEach(this::quietly);
        declared.values().stream().filter(d -> d instanceof Binding).forEach(this::quietly);
    }

    /** How many exchanges, queues and bindings this process keeps declared (and declares again on reconnect). */
    public int declaredCount() {
        return declared.size();
    }

    /** What the broker knows a declarable by: its kind and name, a binding by its three ends. */
    static String identity(Declarable d) {
        if (d instanceof Exchange e) {
            return "exchange " + e.getName();
        }
        if (d instanceof Queue q) {
            return "queue " + q.getName();
        }
        if (d instanceof Binding b) {
            return "binding " + b.getExchange() + " -> " + b.getDestinationType() + " " + b.getDestination() + " by "
                    + b.getRoutingKey();
        }
        throw new IllegalArgumentException("not an exchange, queue or binding: " + d);
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
