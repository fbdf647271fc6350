package org.openstack.jcinder.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command-line options of {@link ApiListBenchmark}; {@code --help} prints them. */
record BenchOptions(
        String backend,
        String broker,
        int volumes,
        int concurrency,
        int jitWarmupSeconds,
        int jitWarmupConcurrency,
        int warmupSeconds,
        int seconds,
        List<String> clients,
        String apiVersion,
        boolean accessLog,
        boolean profile,
        Path jfrFile,
        Path dataDir,
        boolean keepData,
        String pgAdminUrl,
        String pgUser,
        String pgHostPort,
        String rabbitUrl,
        int setupTimeoutSeconds,
        int quietWaitSeconds,
        List<String> serviceArgs) {

    static final String USAGE = """
            Usage: ApiListBenchmark [options]
              --backend embedded|postgres   database behind the service (default embedded: H2 file DB)
              --broker embedded|rabbit      AMQP broker (default: embedded for embedded, rabbit for postgres)
              --volumes N                   volumes created before the run (default 100)
              --concurrency N               connections / client threads (default 16)
              --jit-warmup S                one load phase before all clients, discarded, so that the JIT
                                              has compiled the request path (default 60)
              --jit-warmup-concurrency N    connections during that phase (default 2: with 16 busy request
                                              threads on 2 cores the JIT compiler threads starve and steady
                                              state takes ~100 s)
              --warmup S                    warm-up seconds per client, excluded from results (default 10)
              --seconds S                   measured seconds per client (default 20)
              --clients LIST                comma list of jdk, raw, wrk, run in that order
                                              (default: jdk,raw plus wrk if installed)
                                              jdk = java.net.http.HttpClient, raw = blocking socket HTTP/1.1,
                                              wrk = the wrk binary (a separate process)
              --api-version V               OpenStack-API-Version of the benchmark requests (default 3.70)
              --access-log on|off           the service's per-request INFO log line, written to
                                              DATA/cinder.log (default on: as deployed)
              --profile                     JFR recording over the first client's measured phase, summarised
              --jfr-file PATH               keep the JFR recording there (implies --profile)
              --data-dir DIR                service state, an empty or new directory that is kept
                                              (default: a fresh temporary directory)
              --keep-data                   keep the data directory (and its cinder.log) afterwards
              --pg-admin-url URL            JDBC URL used to CREATE/DROP the run's database
                                              (default jdbc:postgresql://127.0.0.1:5432/postgres)
              --pg-user USER                PostgreSQL user (default postgres, trust auth)
              --rabbit-url URL              RabbitMQ transport_url without vhost
                                              (default rabbit://guest:guest@127.0.0.1:5672/); a private vhost
                                              is created with rabbitmqctl when available
              --setup-timeout S             bound on start-up and volume creation (default 180)
              --service-arg ARG             extra argument for the service's Spring context, repeatable
                                              (e.g. --service-arg=--logging.level.org.hibernate.SQL=DEBUG)
              --quiet-wait S                before each client, wait up to S seconds for other processes to
                                              use less than 0.2 core (default 60; 0 = don't wait)
            """;

    static BenchOptions parse(String[] args) {
        String backend = "embedded";
        String broker = null;
        int volumes = 100;
        int concurrency = 16;
        int jitWarmup = 60;
        int jitWarmupConcurrency = 2;
        int warmup = 10;
        int seconds = 20;
        List<String> clients = null;
        String apiVersion = "3.70";
        boolean accessLog = true;
        boolean profile = false;
        Path jfrFile = null;
        Path dataDir = null;
        boolean keepData = false;
        String pgAdminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
        String pgUser = "postgres";
        String rabbitUrl = "rabbit://guest:guest@127.0.0.1:5672/";
        int setupTimeout = 180;
        int quietWait = 60;
        List<String> serviceArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                case "--profile" -> profile = true;
                case "--keep-data" -> keepData = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--backend" -> backend = oneOf(a, value, "embedded", "postgres");
                        case "--broker" -> broker = oneOf(a, value, "embedded", "rabbit");
                        case "--volumes" -> volumes = positive(a, value);
                        case "--concurrency" -> concurrency = positive(a, value);
                        case "--warmup" -> warmup = Integer.parseInt(value);
                        case "--jit-warmup" -> jitWarmup = Integer.parseInt(value);
                        case "--jit-warmup-concurrency" -> jitWarmupConcurrency = positive(a, value);
                        case "--seconds" -> seconds = positive(a, value);
                        case "--clients" -> {
                            clients = new ArrayList<>();
                            for (String c : value.split(",")) {
                                clients.add(oneOf(a, c.strip(), "jdk", "raw", "wrk"));
                            }
                        }
                        case "--api-version" -> apiVersion = value;
                        case "--access-log" -> accessLog = oneOf(a, value, "on", "off").equals("on");
                        case "--jfr-file" -> {
                            jfrFile = Path.of(value);
                            profile = true;
                        }
                        case "--data-dir" -> dataDir = Path.of(value);
                        case "--pg-admin-url" -> pgAdminUrl = value;
                        case "--pg-user" -> pgUser = value;
                        case "--rabbit-url" -> rabbitUrl = value;
                        case "--setup-timeout" -> setupTimeout = positive(a, value);
                        case "--quiet-wait" -> quietWait = Integer.parseInt(value);
                        case "--service-arg" -> serviceArgs.add(value);
                        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                    }
                }
            }
        }
        if (broker == null) {
            broker = backend.equals("postgres") ? "rabbit" : "embedded";
        }
        if (clients == null) {
            clients = new ArrayList<>(List.of("jdk", "raw"));
            if (WrkRunner.available()) {
                clients.add("wrk");
            }
        }
        if (warmup < 0 || jitWarmup < 0) {
            throw new IllegalArgumentException("--warmup and --jit-warmup must be >= 0");
        }
        String hostPort = pgAdminUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        return new BenchOptions(backend, broker, volumes, concurrency, jitWarmup, jitWarmupConcurrency, warmup, seconds, List.copyOf(clients),
                apiVersion, accessLog, profile, jfrFile, dataDir, keepData, pgAdminUrl, pgUser, hostPort,
                rabbitUrl.endsWith("/") ? rabbitUrl : rabbitUrl + "/", setupTimeout, quietWait,
                List.copyOf(serviceArgs));
    }

    private static String oneOf(String option, String value, String... allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }
}
