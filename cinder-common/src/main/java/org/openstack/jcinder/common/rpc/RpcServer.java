package org.openstack.jcinder.common.rpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.UnsupportedRpcVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Serves RPC endpoints: one listener container per topic queue. Containers reconnect by themselves when the
 * broker goes away and comes back; the topology is redeclared on each new connection ({@link RpcTopology}).
 *
 * <p>On shutdown the containers stop before anything they call is torn down: the HTTP requests drain first,
 * then no message is taken any more (one taken but not handled goes back to its queue) and the handlers under
 * way finish, and only then do the database and the rest close. Stopped at bean destruction instead, a
 * {@code delete_volume} taken in the last moment failed on a closed database and was gone with its message.
 */
@Component
public class RpcServer implements DisposableBean, SmartLifecycle {

    /** After the web server's graceful shutdown (its phase is {@code DEFAULT_PHASE - 1024}), before its stop. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    /** Epoch milliseconds after which the caller of a call has given up; later requests are dropped. */
    static final String DEADLINE_HEADER = "deadline_ms";

    private final ConnectionFactory connectionFactory;
    private final RabbitTemplate template;
    private final RpcTopology topology;
    private final JsonMapper mapper;
    private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();

    public RpcServer(ConnectionFactory connectionFactory, RabbitTemplate template, RpcTopology topology,
                     JsonMapper mapper) {
        this.connectionFactory = connectionFactory;
        this.template = template;
        this.topology = topology;
        this.mapper = mapper;
    }

    /** Serves {@code dispatcher} on the durable queue of {@code topic} with {@code consumers} workers. */
    public void serve(String topic, RpcDispatcher dispatcher, int consumers) {
        org.springframework.amqp.core.Queue queue = new org.springframework.amqp.core.Queue(topic, true, false, false);
        org.springframework.amqp.core.TopicExchange exchange = RpcTopology.topicExchange();
        topology.ensureEventually(exchange, queue, BindingBuilder.bind(queue).to(exchange).with(topic));
        start(topic, dispatcher, consumers);
    }

    /** Receives every message published to a fanout exchange, on a queue private to this process. */
    public void serveFanout(String exchangeName, RpcDispatcher dispatcher) {
        FanoutExchange exchange = RpcTopology.fanoutExchange(exchangeName);
        AnonymousQueue queue = new AnonymousQueue();
        Binding binding = BindingBuilder.bind(queue).to(exchange);
        topology.ensureEventually(exchange, queue, binding);
        start(queue.getName(), dispatcher, 1);
    }

    private void start(String queueName, RpcDispatcher dispatcher, int consumers) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setConcurrentConsumers(consumers);
        container.setPrefetchCount(1);
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(false);
        container.setMessageListener(message -> onMessage(message, dispatcher));
        container.afterPropertiesSet();
        container.start();
        containers.add(container);
        LOG.info("RPC server listening on {} ({} consumers, methods {})", queueName, consumers,
                dispatcher.methods());
    }

    private void onMessage(Message message, RpcDispatcher dispatcher) {
        MessageProperties props = message.getMessageProperties();
        RpcEnvelope envelope;
        try {
            envelope = mapper.readValue(message.getBody(), RpcEnvelope.class);
        } catch (RuntimeException e) {
            LOG.error("Dropping undecodable RPC message on {}: {}", props.getConsumerQueue(), e.getMessage());
            return;
        }
        Object deadline = props.getHeader(DEADLINE_HEADER);
        if (deadline instanceof Number n && n.longValue() < System.currentTimeMillis()) {
            LOG.warn("Dropping RPC call {} whose caller stopped waiting {} ms ago", envelope.method(),
                    System.currentTimeMillis() - n.longValue());
            return;
        }
        RequestContext ctx = envelope.context() != null ? envelope.context() : RequestContext.internal();
        ContextHolder.set(ctx);
        RpcReply reply;
        try {
            Object result = dispatcher.dispatch(envelope, mapper);
            reply = new RpcReply(mapper.valueToTree(result), null);
        } catch (UnsupportedRpcVersionException e) {
            // A caller not pinned to this (older) service: a call gets the error back; a cast has nobody to tell,
            // so it is an error here, never a quiet drop.
            LOG.error("Refused RPC {} {} from request {}: {}", props.getReplyTo() == null ? "cast" : "call",
                    envelope.method(), ctx.requestId(), e.getMessage());
            reply = new RpcReply(null, new RpcReply.RemoteError(e.getClass().getSimpleName(), e.code(),
                    e.getMessage()));
        } catch (CinderException e) {
            LOG.warn("RPC {} failed: {}", envelope.method(), e.getMessage());
            reply = new RpcReply(null, new RpcReply.RemoteError(e.getClass().getSimpleName(), e.code(),
                    e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("RPC {} failed unexpectedly", envelope.method(), e);
            reply = new RpcReply(null, new RpcReply.RemoteError(e.getClass().getSimpleName(), 500,
                    String.valueOf(e.getMessage())));
        } finally {
            ContextHolder.clear();
        }
        String replyTo = props.getReplyTo();
        if (replyTo == null) {
            return;
        }
        MessageProperties replyProps = new MessageProperties();
        replyProps.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        replyProps.setCorrelationId(props.getCorrelationId());
        try {
            template.send("", replyTo, new Message(mapper.writeValueAsBytes(reply), replyProps));
        } catch (AmqpException e) {
            LOG.error("Could not send the reply to {} ({}): {}", envelope.method(), replyTo, e.getMessage());
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void stop() {
        running = false;
        stopContainers();
    }

    @Override
    public void destroy() {
        stopContainers();
    }

    private void stopContainers() {
        containers.forEach(SimpleMessageListenerContainer::stop);
        containers.clear();
    }
}
