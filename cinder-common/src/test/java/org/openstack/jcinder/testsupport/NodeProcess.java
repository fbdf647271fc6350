package org.openstack.jcinder.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service of this project in its own JVM inside a node's namespace ({@link NamespaceNetwork}): the test's
 * own classpath, {@code java -cp … <mainClass> --config-file <conf>}, output to a log file the test can show
 * when something fails. {@link #close()} asks it to stop (SIGTERM: Spring's orderly shutdown) and kills it if
 * it does not go.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private NodeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static NodeProcess start(NamespaceNetwork net, String node, Class<?> mainClass, Path config, Path log)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass.getName(), "--config-file", config.toString()));
        Process p = net.inNode(node, argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(p, log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The last {@code chars} characters of its output. */
    public String logTail(int chars) {
        try {
            String s = Files.readString(log);
            return s.length() > chars ? s.substring(s.length() - chars) : s;
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A crash of the node's service: SIGKILL to the JVM and to what it started (a running {@code qemu-img} dies
     * with its node too), no shutdown hook, no cleanup. Daemons the test started itself (its {@link Tgtd}) stay.
     */
    public void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        // ip netns exec replaced itself with java: the process is the JVM.
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
