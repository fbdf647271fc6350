package org.openstack.jcinder.testsupport;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds, failing with the last answer seen (asynchronous RPC needs this in tests). */
public final class Await {

    private Await() {
    }

    public static HttpJson.Response until(String what, Supplier<HttpJson.Response> call,
                                          Predicate<HttpJson.Response> done) {
        return until(what, call, done, Duration.ofSeconds(40));
    }

    public static HttpJson.Response until(String what, Supplier<HttpJson.Response> call,
                                          Predicate<HttpJson.Response> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpJson.Response last = null;
        while (System.nanoTime() < deadline) {
            last = call.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; last answer: " + (last == null ? null
                : last.status() + " " + last.raw()));
    }

    /** Polls {@code holds} until it is true (a log line, files on disk: no HTTP answer to show). */
    public static void condition(String what, java.util.function.BooleanSupplier holds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (holds.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
