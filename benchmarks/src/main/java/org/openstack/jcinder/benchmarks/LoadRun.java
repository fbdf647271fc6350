package org.openstack.jcinder.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * A closed-loop load: {@code concurrency} platform threads, each with its own {@link Transport}, send the
 * next request as soon as the previous response has been read in full. A warm-up phase runs first and is
 * discarded; then only requests that complete inside the measurement window count, with their latency
 * (send to last body byte, System.nanoTime). Requests still in flight at the end finish but are not counted.
 */
final class LoadRun {

    /** What one phase measured; latencies are sorted, in nanoseconds. */
    record Result(String client, long requests, double seconds, long[] latenciesNanos, long errorsStatus,
                  long errorsIo, long minBytes, long maxBytes, long totalBytes, long warmupRequests,
                  long warmupErrors, String firstError, CpuSampler.Usage cpu, long[] perSecond) {

        double throughput() {
            return requests / seconds;
        }

        long errors() {
            return errorsStatus + errorsIo;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            // Nearest-rank percentile.
            int rank = (int) Math.ceil(p / 100.0 * latenciesNanos.length);
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))] / 1e6;
        }

        double maxMillis() {
            return latenciesNanos.length == 0 ? Double.NaN : latenciesNanos[latenciesNanos.length - 1] / 1e6;
        }

        double meanMillis() {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (long l : latenciesNanos) {
                sum += l;
            }
            return sum / latenciesNanos.length / 1e6;
        }
    }

    private LoadRun() {
    }

    /**
     * Runs warm-up then measurement. {@code onMeasureStart}/{@code onMeasureEnd} run on the calling thread at
     * the window's edges (JFR recording, CPU snapshots).
     */
    static Result run(String client, int concurrency, int warmupSeconds, int seconds,
                      Supplier<Transport> transports, Runnable onMeasureStart, Runnable onMeasureEnd)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long measureStart = t0 + warmupSeconds * 1_000_000_000L;
        long measureEnd = measureStart + seconds * 1_000_000_000L;
        Worker[] workers = new Worker[concurrency];
        List<Thread> threads = new ArrayList<>();
        AtomicLongArray perSecond = new AtomicLongArray(warmupSeconds + seconds + 1);
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Worker(transports.get(), t0, measureStart, measureEnd, perSecond);
            Thread t = new Thread(workers[i], "bench-client-" + client + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);

        sleepUntil(measureStart);
        CpuSampler.Snapshot before = CpuSampler.snapshot();
        onMeasureStart.run();
        sleepUntil(measureEnd);
        CpuSampler.Snapshot after = CpuSampler.snapshot();
        onMeasureEnd.run();

        // In-flight requests have a 10 s socket/request timeout; give them a little more, then abandon.
        long joinDeadline = System.nanoTime() + 15_000_000_000L;
        for (Thread t : threads) {
            long left = joinDeadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, left / 1_000_000));
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (Worker w : workers) {
            w.transport.close();
        }

        long total = 0;
        long errorsStatus = 0;
        long errorsIo = 0;
        long minBytes = Long.MAX_VALUE;
        long maxBytes = 0;
        long bytes = 0;
        long warmupRequests = 0;
        long warmupErrors = 0;
        String firstError = null;
        for (Worker w : workers) {
            total += w.count;
            errorsStatus += w.errorsStatus;
            errorsIo += w.errorsIo;
            bytes += w.bytes;
            warmupRequests += w.warmupRequests;
            warmupErrors += w.warmupErrors;
            if (w.count > 0) {
                minBytes = Math.min(minBytes, w.minBytes);
                maxBytes = Math.max(maxBytes, w.maxBytes);
            }
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        long[] all = new long[(int) total];
        int pos = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, pos, w.count);
            pos += w.count;
        }
        Arrays.sort(all);
        return new Result(client, total, seconds, all, errorsStatus, errorsIo,
                minBytes == Long.MAX_VALUE ? 0 : minBytes, maxBytes, bytes, warmupRequests, warmupErrors,
                firstError, CpuSampler.usage(before, after), timeline(perSecond));
    }

    private static long[] timeline(AtomicLongArray a) {
        long[] out = new long[a.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(250, left / 1_000_000)));
        }
    }

    private static final class Worker implements Runnable {
        private static final AtomicLong PRINTED = new AtomicLong();
        final Transport transport;
        final long t0;
        final long measureStart;
        final long measureEnd;
        final AtomicLongArray perSecond;
        long[] latencies = new long[4096];
        int count;
        long errorsStatus;
        long errorsIo;
        long bytes;
        long minBytes = Long.MAX_VALUE;
        long maxBytes;
        long warmupRequests;
        long warmupErrors;
        String firstError;

        Worker(Transport transport, long t0, long measureStart, long measureEnd, AtomicLongArray perSecond) {
            this.transport = transport;
            this.t0 = t0;
            this.perSecond = perSecond;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                if (start >= measureEnd) {
                    return;
                }
                int status;
                String error = null;
                try {
                    status = transport.get();
                    if (status != 200) {
                        error = "HTTP " + status;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    status = -1;
                    error = e.toString();
                }
                long end = System.nanoTime();
                int second = (int) ((end - t0) / 1_000_000_000L);
                if (error == null && second < perSecond.length()) {
                    perSecond.incrementAndGet(second);
                }
                boolean inWindow = end >= measureStart && end < measureEnd;
                if (!inWindow) {
                    if (end < measureStart) {
                        warmupRequests++;
                        if (error != null) {
                            warmupErrors++;
                        }
                    }
                } else if (error != null) {
                    if (status == -1) {
                        errorsIo++;
                    } else {
                        errorsStatus++;
                    }
                } else {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = end - start;
                    long b = transport.lastBytes();
                    bytes += b;
                    minBytes = Math.min(minBytes, b);
                    maxBytes = Math.max(maxBytes, b);
                }
                if (error != null) {
                    if (firstError == null) {
                        firstError = error;
                    }
                    if (PRINTED.incrementAndGet() <= 5) {
                        System.err.println("request error: " + error);
                    }
                    try {
                        Thread.sleep(10); // no hot loop against a failing server
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
