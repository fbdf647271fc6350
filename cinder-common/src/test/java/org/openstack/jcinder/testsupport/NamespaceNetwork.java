package org.openstack.jcinder.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Several "hosts" on one machine for a test: one network namespace per node, all on a private bridge in the
 * root namespace with private 10.x addresses (the bridge is {@code .1}, the nodes {@code .11}, {@code .12}, …),
 * so nodes reach each other (and each other's iSCSI portals) by address, as storage nodes would. Loopback
 * services of the root namespace (PostgreSQL, RabbitMQ) are offered to the nodes through {@link TcpRelay}s on
 * the bridge address ({@link #relay}). {@link #close()} removes the relays, namespaces, veth pairs and the
 * bridge; processes started in a namespace must be stopped first (by whoever started them).
 * <p>
 * Needs root and iproute2; without them the test is skipped, unless {@code CINDER_TEST_REQUIRE_ISCSI=1}.
 */
public final class NamespaceNetwork implements AutoCloseable {

    /** A node: its namespace and its address on the bridge. */
    public record Node(String name, String netns, String address) {
    }

    private final String id;
    private final String subnet;
    private final String bridge;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<TcpRelay> relays = new ArrayList<>();

    private NamespaceNetwork(String id, String subnet) {
        this.id = id;
        this.subnet = subnet;
        this.bridge = "jcbr" + id;
    }

    /** A bridge and one namespace per name, each with an address on the bridge. */
    public static NamespaceNetwork create(String... names) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip"));
        String why = !root ? "needs root" : !ip ? "needs iproute2 (ip)" : null;
        if (why != null && "1".equals(System.getenv("CINDER_TEST_REQUIRE_ISCSI"))) {
            throw new IllegalStateException(why + " (CINDER_TEST_REQUIRE_ISCSI=1)");
        }
        Assumptions.assumeTrue(why == null, why);
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        String addresses = sh("ip", "-o", "-4", "addr");
        String subnet = null;
        for (int i = 0; i < 50 && subnet == null; i++) {
            String candidate = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "."
                    + ThreadLocalRandom.current().nextInt(1, 250);
            if (!addresses.contains(" " + candidate + ".")) {
                subnet = candidate;
            }
        }
        NamespaceNetwork net = new NamespaceNetwork(id, subnet);
        try {
            sh("ip", "link", "add", net.bridge, "type", "bridge");
            sh("ip", "addr", "add", net.bridgeAddress() + "/24", "dev", net.bridge);
            sh("ip", "link", "set", net.bridge, "up");
            int host = 11;
            for (String name : names) {
                net.addNode(name, host++);
            }
            return net;
        } catch (Exception e) {
            net.close();
            throw e;
        }
    }

    private void addNode(String name, int host) throws Exception {
        String netns = "jc-" + id + "-" + name;
        String outer = "jcv" + id + host;
        String inner = "jcn" + id + host;
        sh("ip", "netns", "add", netns);
        Node node = new Node(name, netns, subnet + "." + host);
        nodes.put(name, node);
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", inner);
        sh("ip", "link", "set", outer, "master", bridge);
        sh("ip", "link", "set", outer, "up");
        sh("ip", "link", "set", inner, "netns", netns);
        sh("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
        sh("ip", "netns", "exec", netns, "ip", "addr", "add", node.address() + "/24", "dev", inner);
        sh("ip", "netns", "exec", netns, "ip", "link", "set", inner, "up");
    }

    /** The root namespace's address on the bridge (where the relays listen). */
    public String bridgeAddress() {
        return subnet + ".1";
    }

    public Node node(String name) {
        return nodes.get(name);
    }

    /** Offers {@code 127.0.0.1:port} of the root namespace to the nodes as {@code bridgeAddress():port}. */
    public void relay(int port) throws IOException {
        relays.add(new TcpRelay(bridgeAddress(), port, port));
    }

    /** {@code argv} run inside the node's namespace. */
    public ProcessBuilder inNode(String name, List<String> argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", nodes.get(name).netns()));
        all.addAll(argv);
        return new ProcessBuilder(all);
    }

    /** Runs {@code argv} in the node's namespace; its output, or an exception with it. */
    public String exec(String name, String... argv) throws Exception {
        return run(inNode(name, List.of(argv)));
    }

    @Override
    public void close() throws Exception {
        for (TcpRelay r : relays) {
            r.close();
        }
        for (Node n : nodes.values()) {
            // Deleting the namespace deletes its veth end, and so the pair.
            quietly("ip", "netns", "del", n.netns());
        }
        quietly("ip", "link", "del", bridge);
    }

    static String sh(String... argv) throws Exception {
        return run(new ProcessBuilder(argv));
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", pb.command()) + " failed: " + out);
        }
        return out;
    }

    private static void quietly(String... argv) {
        try {
            sh(argv);
        } catch (Exception ignored) {
            // already gone
        }
    }
}
