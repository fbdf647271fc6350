package org.openstack.jcinder.scheduler.manager;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.common.message.UserMessages;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.rpc.RpcServer;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.scheduler.host.HostManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** The cinder-scheduler service: its RPC queue, the capability fanout, and its heartbeat. */
@Component
public class SchedulerService implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    private final CinderConfig config;
    private final ServiceRegistry registry;
    private final RpcServer rpcServer;
    private final SchedulerManager manager;
    private final HostManager hosts;
    private final UserMessages messages;
    private ScheduledExecutorService heartbeat;
    private volatile boolean running;

    public SchedulerService(CinderConfig config, ServiceRegistry registry, RpcServer rpcServer,
                            SchedulerManager manager, HostManager hosts, UserMessages messages) {
        this.messages = messages;
        this.config = config;
        this.registry = registry;
        this.rpcServer = rpcServer;
        this.manager = manager;
        this.hosts = hosts;
    }

    @Override
    public void start() {
        String rpcVersion = config.upgradeLevels().served(ServiceRegistry.SCHEDULER_BINARY, SchedulerRpcApi.VERSION);
        ServiceEntity service = registry.register(ServiceRegistry.SCHEDULER_BINARY, config.host(),
                RpcTopics.SCHEDULER, config.storageAvailabilityZone(), rpcVersion);
        hosts.loadFromDatabase();
        rpcServer.serveFanout(RpcTopics.SCHEDULER_FANOUT, manager.capabilityDispatcher().servingAt(rpcVersion));
        // One consumer: placement decisions are serialised so consumed capacity is accounted correctly.
        rpcServer.serve(RpcTopics.SCHEDULER, manager.dispatcher().servingAt(rpcVersion), 1);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                registry.heartbeat(service, null, null);
            } catch (RuntimeException e) {
                LOG.warn("Scheduler heartbeat failed: {}", e.getMessage());
            }
        }, 0, config.reportInterval().toMillis(), TimeUnit.MILLISECONDS);
        // Cinder's _clean_expired_messages periodic task (run_immediately=True), on the same thread.
        long reap = CinderOptions.MESSAGE_REAP_INTERVAL.get(config.file());
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                messages.reapExpired();
            } catch (RuntimeException e) {
                LOG.warn("Removing expired user messages failed: {}", e.getMessage());
            }
        }, 0, reap, TimeUnit.SECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
