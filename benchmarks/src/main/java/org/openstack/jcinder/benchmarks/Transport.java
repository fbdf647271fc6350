package org.openstack.jcinder.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One client connection's way of sending the benchmark request and reading the whole response. Each worker
 * thread owns one; {@link #get()} returns the HTTP status and leaves the body length in {@link #lastBytes()}.
 */
interface Transport extends AutoCloseable {

    int get() throws IOException, InterruptedException;

    long lastBytes();

    @Override
    void close();

    /** java.net.http.HttpClient (HTTP/1.1, keep-alive pool shared by all workers); the body is counted, not kept. */
    final class Jdk implements Transport {
        private final HttpClient client;
        private final HttpRequest request;
        private long lastBytes;

        Jdk(HttpClient client, URI uri, Map<String, String> headers) {
            this.client = client;
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            headers.forEach(b::header);
            this.request = b.build();
        }

        static HttpClient newClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        @Override
        public int get() throws IOException, InterruptedException {
            HttpResponse<Long> r = client.send(request, info -> new CountingSubscriber());
            lastBytes = r.body();
            return r.statusCode();
        }

        @Override
        public long lastBytes() {
            return lastBytes;
        }

        @Override
        public void close() {
            // The shared client's pool is closed with the client (idle connections time out).
        }

        private static final class CountingSubscriber implements HttpResponse.BodySubscriber<Long> {
            private final CompletableFuture<Long> result = new CompletableFuture<>();
            private long count;

            @Override
            public CompletionStage<Long> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                for (ByteBuffer b : items) {
                    count += b.remaining();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                result.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                result.complete(count);
            }
        }
    }

    /**
     * A minimal blocking HTTP/1.1 client over one socket: a pre-encoded request, then status line, headers and a
     * Content-Length or chunked body read into a scratch buffer. Reconnects when the server closes the
     * connection (Tomcat does after max-keep-alive-requests) or after an error.
     */
    final class Raw implements Transport {
        private final InetSocketAddress address;
        private final byte[] request;
        private final byte[] scratch = new byte[64 * 1024];
        private final StringBuilder line = new StringBuilder(256);
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private long lastBytes;
        private long reconnects;

        Raw(String host, int port, String path, Map<String, String> headers) {
            this.address = new InetSocketAddress(host, port);
            StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n");
            headers.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
            r.append("\r\n");
            this.request = r.toString().getBytes(StandardCharsets.US_ASCII);
        }

        long reconnects() {
            return reconnects;
        }

        @Override
        public int get() throws IOException {
            if (socket == null) {
                connect();
            }
            try {
                out.write(request);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            out = s.getOutputStream();
            reconnects++;
        }

        private int readResponse() throws IOException {
            String status = readLine();
            if (!status.startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            long body = 0;
            if (chunked) {
                while (true) {
                    String sizeLine = readLine();
                    int semi = sizeLine.indexOf(';');
                    long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                    if (size == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(size);
                    body += size;
                    if (!readLine().isEmpty()) {
                        throw new IOException("missing CRLF after chunk");
                    }
                }
            } else if (length >= 0) {
                skip(length);
                body = length;
            } else {
                int n;
                while ((n = in.read(scratch)) >= 0) {
                    body += n;
                }
                close = true;
            }
            lastBytes = body;
            if (close) {
                close();
            }
            return code;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (r < 0) {
                    throw new IOException("connection closed inside the body");
                }
                left -= r;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                if (line.length() > 16 * 1024) {
                    throw new IOException("header line too long");
                }
                line.append((char) c);
            }
        }

        @Override
        public long lastBytes() {
            return lastBytes;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
