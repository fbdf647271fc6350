package org.openstack.jcinder.all.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.ObjectMapper;

/**
 * Starts the OpenStack clients for {@link CliEndToEndTest}, each command in a process of its own, with the
 * clients' Python modules imported once per client and shared by every command.
 *
 * <p>Why shared: a {@code cinder} or {@code openstack} run spends about 1 to 1.5 s (2 cores) importing
 * cinderclient, keystoneauth, and for OSC every command plugin, before it sends its first request; with ~190
 * commands that was most of the class's time. Here a small Python fork server per client (the interpreter of the
 * client's own {@code #!} line) runs the client's script once without its {@code __main__} block, which does its
 * imports; each command is then a {@code fork()} of that server that runs the same script as {@code __main__}
 * with the command's argv, stdout and stderr files and {@code /dev/null} as stdin, and exits the way the
 * interpreter exits (SystemExit, atexit, a traceback on an uncaught exception). What the client does after its
 * imports, its HTTP requests and what it prints, is unchanged, and no state passes from one command to the next:
 * each fork starts from the server's state, which only ever grows by imports. Modules a command imported late
 * (OSC loads its command plugins in {@code main}) are imported by the server after that command, so the next
 * fork has them too.
 *
 * <p>A client whose script is not a Python script, or a fork server that does not come up, falls back to one
 * ordinary process per command (and says so on stdout).
 */
final class CliLauncher implements AutoCloseable {

    private static final Duration SERVER_STARTUP = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FORK_SERVER = """
            import atexit, importlib, json, os, runpy, sys

            script = sys.argv[1]
            requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
            answers = os.dup(1)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(2, 1)  # nothing the imports print may reach the answers
            sys.argv = [script]
            sys.path[0] = os.path.dirname(script)  # as when the script runs itself
            runpy.run_path(script, run_name="cli_fork_server_preload")  # its imports, not its __main__ block
            os.write(answers, b"ready\\n")


            def report_imports(path, before):
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\\n".join(m for m in list(sys.modules) if m not in before))


            for line in requests:
                request = json.loads(line)
                imports = request["stderr"] + ".imports"
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    requests.close()
                    os.close(answers)
                    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                        f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                        os.dup2(f, fd)
                        os.close(f)
                    atexit.register(report_imports, imports, set(sys.modules))
                    sys.argv = request["argv"]
                    runpy.run_path(script, run_name="__main__")
                    sys.exit(0)
                os.write(answers, b"pid %d\\n" % pid)
                os.write(answers, b"exit %d\\n" % os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
                try:
                    with open(imports, encoding="utf-8") as f:
                        for module in f.read().split():
                            if module != "__main__" and module not in sys.modules:
                                try:
                                    importlib.import_module(module)
                                except BaseException:
                                    pass
                    os.unlink(imports)
                except OSError:
                    pass
            """;

    private final Map<String, String> env;
    private final Path dir;
    /** One per client script; null for a script that runs as ordinary processes. */
    private final Map<String, ForkServer> servers = new HashMap<>();

    /** {@code env}: the whole environment of every command; {@code dir}: for the server script and its logs. */
    CliLauncher(Map<String, String> env, Path dir) {
        this.env = new LinkedHashMap<>(env);
        this.dir = dir;
    }

    /**
     * Runs {@code cmd} (its first element the client's path) with stdout and stderr to the given files; the exit
     * code, or empty when it ran longer than {@code timeout} (it is then killed).
     */
    synchronized OptionalInt run(List<String> cmd, Path out, Path err, Duration timeout)
            throws IOException, InterruptedException {
        if (!servers.containsKey(cmd.get(0))) {
            servers.put(cmd.get(0), ForkServer.start(Path.of(cmd.get(0)), env, dir));
        }
        ForkServer server = servers.get(cmd.get(0));
        if (server != null) {
            return server.run(cmd, out, err, timeout);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return OptionalInt.empty();
        }
        return OptionalInt.of(p.exitValue());
    }

    @Override
    public synchronized void close() {
        servers.values().stream().filter(s -> s != null).forEach(ForkServer::close);
        servers.clear();
    }

    private static final class ForkServer {

        private final Process process;
        private final Writer requests;
        private final BufferedReader answers;
        private final ExecutorService reader;
        /** A line asked for and not yet read when its wait timed out: the next wait is for that one. */
        private Future<String> pending;

        private ForkServer(Process process, Writer requests, BufferedReader answers, ExecutorService reader) {
            this.process = process;
            this.requests = requests;
            this.answers = answers;
            this.reader = reader;
        }

        /** A running server for a Python client script, or null (ordinary processes then). */
        static ForkServer start(Path script, Map<String, String> env, Path dir) throws IOException,
                InterruptedException {
            List<String> interpreter = pythonOf(script);
            if (interpreter == null) {
                System.out.println("CLI " + script + ": not a Python script, one ordinary process per command");
                return null;
            }
            Path serverScript = dir.resolve("cli_fork_server.py");
            Files.writeString(serverScript, FORK_SERVER);
            Path log = dir.resolve("cli_fork_server-" + script.getFileName() + ".log");
            List<String> cmd = new ArrayList<>(interpreter);
            cmd.add(serverScript.toString());
            cmd.add(script.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process process = pb.start();
            ForkServer server = new ForkServer(process,
                    new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "cli-fork-server-" + script.getFileName());
                        t.setDaemon(true);
                        return t;
                    }));
            String ready = server.readLine(SERVER_STARTUP);
            if (!"ready".equals(ready)) {
                server.close();
                System.out.println("CLI " + script + ": the fork server did not start (" + ready + "; "
                        + Files.readString(log).strip() + "), one ordinary process per command");
                return null;
            }
            return server;
        }

        /** The interpreter command of a {@code #!} line naming Python, or null. */
        private static List<String> pythonOf(Path script) throws IOException {
            String first;
            try (BufferedReader r = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
                first = r.readLine();
            }
            if (first == null || !first.startsWith("#!") || !first.contains("python")) {
                return null;
            }
            return Arrays.asList(first.substring(2).strip().split("\\s+"));
        }

        OptionalInt run(List<String> cmd, Path out, Path err, Duration timeout) throws IOException,
                InterruptedException {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("argv", cmd);
            request.put("stdout", out.toString());
            request.put("stderr", err.toString());
            requests.write(JSON.writeValueAsString(request) + "\n");
            requests.flush();
            String pid = readLine(Duration.ofSeconds(30));
            if (pid == null || !pid.startsWith("pid ")) {
                throw new IllegalStateException("the CLI fork server answered " + pid + " to " + cmd);
            }
            String exit = readLine(timeout);
            if (exit == null) {
                ProcessHandle.of(Long.parseLong(pid.substring(4))).ifPresent(ProcessHandle::destroyForcibly);
                readLine(Duration.ofSeconds(10));
                return OptionalInt.empty();
            }
            if (!exit.startsWith("exit ")) {
                throw new IllegalStateException("the CLI fork server answered " + exit + " to " + cmd);
            }
            return OptionalInt.of(Integer.parseInt(exit.substring(5)));
        }

        /** The server's next line; null after the timeout or at its end. */
        private String readLine(Duration timeout) throws InterruptedException {
            if (pending == null) {
                pending = reader.submit(answers::readLine);
            }
            try {
                String line = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                pending = null;
                return line;
            } catch (TimeoutException e) {
                return null;
            } catch (ExecutionException e) {
                pending = null;
                return "error: " + e.getCause();
            }
        }

        void close() {
            process.destroy();
            reader.shutdownNow();
        }
    }
}
