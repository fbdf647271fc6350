package org.openstack.jcinder.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording ("profile" settings) over a measurement window, and a text summary of where the
 * service's request threads spent their CPU samples: by layer (inclusive: a sample counts for every layer
 * on its stack) and by hottest method (self). Also the allocation rate and GC pauses.
 */
final class JfrProfile {

    /**
     * Layers, matched on the class of the first non-JDK frame from the top of the stack, so each sample
     * counts once: JDK code (HashMap, String, socket writes) is charged to the library that called it.
     */
    private static final Map<String, String[]> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("Hibernate / JPA", new String[] {"org.hibernate.", "jakarta.persistence."});
        LAYERS.put("Jackson (JSON write)", new String[] {"tools.jackson.", "com.fasterxml.jackson."});
        LAYERS.put("jcinder code (views, controller, filter)", new String[] {"org.openstack.jcinder."});
        LAYERS.put("H2 engine", new String[] {"org.h2."});
        LAYERS.put("PostgreSQL JDBC driver", new String[] {"org.postgresql."});
        LAYERS.put("Hikari pool", new String[] {"com.zaxxer.hikari."});
        LAYERS.put("Spring (MVC, Data, tx, AOP)", new String[] {"org.springframework."});
        LAYERS.put("Tomcat (HTTP, servlet)", new String[] {"org.apache.coyote.", "org.apache.tomcat.",
            "org.apache.catalina."});
        LAYERS.put("logging (logback, slf4j)", new String[] {"ch.qos.logback.", "org.slf4j."});
    }

    private static final String[] MARKERS = {
        "org.openstack.jcinder.api.volumes.VolumeApiService.list",
        "org.openstack.jcinder.api.volumes.VolumeApiService.attachmentsOf",
        "org.openstack.jcinder.api.volumes.VolumeViews.detail",
        "org.openstack.jcinder.api.web.ApiRequestFilter.doFilterInternal",
        "org.openstack.jcinder.api.volumes.VolumesController.detail",
    };

    private final Recording recording;
    private final Path file;
    private volatile Instant windowStart;
    private volatile Instant windowEnd;

    private JfrProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static JfrProfile start(Path file) throws IOException, ParseException {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setToDisk(true);
        r.start();
        return new JfrProfile(r, file);
    }

    void markStart() {
        windowStart = Instant.now();
    }

    void markEnd() {
        windowEnd = Instant.now();
    }

    Instant windowStart() {
        return windowStart;
    }

    Instant windowEnd() {
        return windowEnd;
    }

    String summarize() throws IOException {
        if (windowStart == null || windowEnd == null) {
            return "no measured window was recorded\n";
        }
        return summarize(file, windowStart, windowEnd);
    }

    Path stop() throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        return file;
    }

    static String summarize(Path file, Instant from, Instant to) throws IOException {
        long serverSamples = 0;
        long clientSamples = 0;
        long otherSamples = 0;
        Map<String, Long> layer = new HashMap<>();
        Map<String, Map<String, Long>> layerMethods = new HashMap<>();
        Map<String, Long> hibernate = new HashMap<>();
        Map<String, Long> marker = new LinkedHashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> otherThreads = new HashMap<>();
        long gcPauses = 0;
        double gcPauseMillis = 0;
        double gcPauseMaxMillis = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedThread t = e.getThread("sampledThread");
                    String name = t == null ? "?" : String.valueOf(t.getJavaName());
                    RecordedStackTrace st = e.getStackTrace();
                    if (name.startsWith("http-nio-")) {
                        serverSamples++;
                        if (st == null || st.getFrames().isEmpty()) {
                            continue;
                        }
                        RecordedFrame top = st.getFrames().get(0);
                        self.merge(frameName(top), 1L, Long::sum);
                        String sampleLayer = null;
                        String sampleMethod = null;
                        String hibernatePackage = null;
                        java.util.Set<String> seenMarkers = new java.util.HashSet<>();
                        for (RecordedFrame f : st.getFrames()) {
                            if (f.getMethod() == null || f.getMethod().getType() == null) {
                                continue;
                            }
                            String cls = f.getMethod().getType().getName();
                            if (sampleLayer == null && !isJdk(cls)) {
                                sampleLayer = layerOf(cls);
                                sampleMethod = frameName(f);
                            }
                            if (hibernatePackage == null && cls.startsWith("org.hibernate.")) {
                                String[] parts = cls.split("\\.");
                                hibernatePackage = String.join(".", java.util.Arrays.copyOf(parts,
                                        Math.min(parts.length - 1, 4)));
                            }
                            String fn = cls + "." + f.getMethod().getName();
                            for (String m : MARKERS) {
                                if (fn.equals(m)) {
                                    seenMarkers.add(m);
                                }
                            }
                        }
                        String layerName = sampleLayer == null ? "JDK only" : sampleLayer;
                        layer.merge(layerName, 1L, Long::sum);
                        if (sampleMethod != null) {
                            layerMethods.computeIfAbsent(layerName, k -> new HashMap<>())
                                    .merge(sampleMethod, 1L, Long::sum);
                        }
                        if (hibernatePackage != null) {
                            hibernate.merge(hibernatePackage, 1L, Long::sum);
                        }
                        seenMarkers.forEach(k -> marker.merge(k, 1L, Long::sum));
                    } else if (name.startsWith("bench-client-") || name.startsWith("HttpClient-")) {
                        clientSamples++;
                    } else {
                        otherSamples++;
                        otherThreads.merge(name.replaceAll("[-#]?\\d+$", "-N"), 1L, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcPauses++;
                    double ms = e.getDuration("sumOfPauses").toNanos() / 1e6;
                    gcPauseMillis += ms;
                    gcPauseMaxMillis = Math.max(gcPauseMaxMillis, ms);
                }
                default -> {
                }
            }
        }
        StringBuilder out = new StringBuilder();
        long all = serverSamples + clientSamples + otherSamples;
        out.append(String.format("JFR execution samples: %d (Tomcat request threads %d, load generator %d, "
                + "other Java threads %d)%n", all, serverSamples, clientSamples, otherSamples));
        if (!otherThreads.isEmpty()) {
            out.append("  other threads: ").append(top(otherThreads, 5, otherSamples)).append('\n');
        }
        final long server = serverSamples;
        if (server > 0) {
            out.append("Request-thread samples by layer (self: the first non-JDK frame from the top decides):\n");
            layer.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(en -> {
                        out.append(String.format("  %5.1f%%  %s%n", 100.0 * en.getValue() / server, en.getKey()));
                        Map<String, Long> methods = layerMethods.getOrDefault(en.getKey(), Map.of());
                        methods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                                .limit(3).forEach(m -> out.append(String.format("           %5.1f%%  %s%n",
                                        100.0 * m.getValue() / server, m.getKey())));
                    });
            out.append("Request-thread samples with Hibernate on the stack, by the topmost Hibernate package:\n");
            hibernate.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(en -> out.append(String.format("  %5.1f%%  %s%n", 100.0 * en.getValue() / server,
                            en.getKey())));
            out.append("Request-thread samples under these methods (inclusive; stacks deeper than JFR's "
                    + "stackdepth lose their bottom frames):\n");
            for (String m : MARKERS) {
                out.append(String.format("  %5.1f%%  %s%n", 100.0 * marker.getOrDefault(m, 0L) / server,
                        m.substring(m.lastIndexOf('.', m.lastIndexOf('.') - 1) + 1)));
            }
            out.append("Hottest methods on request threads (self):\n");
            self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                    .forEach(en -> out.append(String.format("  %5.1f%%  %s%n",
                            100.0 * en.getValue() / server, en.getKey())));
        }
        out.append(String.format("GC (JFR): %d collections, %.0f ms paused in total, longest %.1f ms%n", gcPauses,
                gcPauseMillis, gcPauseMaxMillis));
        return out.toString();
    }

    private static boolean isJdk(String cls) {
        return cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("jdk.")
                || cls.startsWith("sun.") || cls.startsWith("com.sun.");
    }

    private static String layerOf(String cls) {
        for (Map.Entry<String, String[]> l : LAYERS.entrySet()) {
            for (String prefix : l.getValue()) {
                if (cls.startsWith(prefix)) {
                    return l.getKey();
                }
            }
        }
        String[] parts = cls.split("\\.");
        return parts.length >= 3 ? parts[0] + "." + parts[1] + "." + parts[2] : cls;
    }

    private static String frameName(RecordedFrame f) {
        if (f.getMethod() == null || f.getMethod().getType() == null) {
            return "?";
        }
        String cls = f.getMethod().getType().getName();
        int dot = cls.lastIndexOf('.');
        return cls.substring(dot + 1) + "." + f.getMethod().getName() + " (" + (dot > 0 ? cls.substring(0, dot) : "")
                + ")";
    }

    private static String top(Map<String, Long> counts, int n, long total) {
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(en -> parts.add(String.format("%s %.0f%%", en.getKey(), 100.0 * en.getValue() / total)));
        return String.join(", ", parts);
    }
}
