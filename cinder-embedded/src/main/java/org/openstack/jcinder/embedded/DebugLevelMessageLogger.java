package org.openstack.jcinder.embedded;

import org.apache.qpid.server.logging.LogMessage;
import org.apache.qpid.server.logging.LogSubject;
import org.apache.qpid.server.logging.MessageLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker-J's operational log (BRK-1001 Startup, CON-1001 Open, ...) sent to SLF4J at DEBUG
 * instead of INFO, under the usual Broker-J logger names ({@code qpid.message.<hierarchy>}).
 * Broker-J writes some thirty such lines per start and several per client connection, which
 * would drown the application's own INFO log; enable DEBUG on {@code qpid.message} to see them.
 */
final class DebugLevelMessageLogger implements MessageLogger {

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public boolean isMessageEnabled(String logHierarchy) {
        return LoggerFactory.getLogger(logHierarchy).isDebugEnabled();
    }

    @Override
    public void message(LogMessage message) {
        Logger logger = LoggerFactory.getLogger(message.getLogHierarchy());
        if (logger.isDebugEnabled()) {
            logger.debug("{}{}", LogMessage.getActor(), message);
        }
    }

    @Override
    public void message(LogSubject subject, LogMessage message) {
        Logger logger = LoggerFactory.getLogger(message.getLogHierarchy());
        if (logger.isDebugEnabled()) {
            logger.debug("{}{}{}", LogMessage.getActor(), subject.toLogString(), message);
        }
    }
}
