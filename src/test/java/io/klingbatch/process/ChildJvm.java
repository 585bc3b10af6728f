package io.klingbatch.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The real application ({@code io.klingbatch.KlingBatchApplication}) started as a child process, for tests that
 * send it real signals or kill it at a chosen moment.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder(workDir, homeDir, klingHome)
 *         .env("SEGMIND_API_KEY", simulator.apiKey())
 *         .env("SEGMIND_BASE_URL", simulator.baseUrl().toString())
 *         .start("run", "campaign.csv")) {
 *     simulator.awaitInFlight(1, Duration.ofSeconds(30));
 *     child.signal("KILL");
 *     assertThat(child.waitFor(Duration.ofSeconds(10))).isEqualTo(137);
 * }
 * }</pre>
 *
 * <p>The child never sees the real home: {@code HOME}, {@code KLING_BATCH_HOME} and {@code user.home} are the
 * folders the test gives. Its environment is the test's own without {@code SEGMIND_*}, {@code KLING_*},
 * {@code SPRING_*} and the {@code JAVA_TOOL_OPTIONS} family, unless the test sets them again. Its stdout and stderr
 * go to files (by default in the home folder given), readable while it runs.
 *
 * <p>The class path is the test JVM's own ({@code java.class.path}; Surefire sets it to the real class path even
 * when it starts its fork from a manifest-only jar, and such a jar's {@code Class-Path} is expanded if it is all
 * there is), without this module's test classes unless {@link Builder#withTestClasses()} is asked for.
 */
public final class ChildJvm implements AutoCloseable {

    public static final String MAIN_CLASS = "io.klingbatch.KlingBatchApplication";

    /** Environment variables the child does not inherit from the test JVM (it may set them again). */
    private static final List<String> NOT_INHERITED_PREFIXES = List.of("SEGMIND_", "KLING_", "SPRING_");
    private static final Set<String> NOT_INHERITED = Set.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH");

    /** Quick start-up for short runs, and output the test can read whatever the locale. Later options win. */
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8");

    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // a test JVM that dies (or is stopped) with children running does not leave them behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "child-jvm-reaper"));
    }

    private final Process process;
    private final List<String> command;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(Process process, List<String> command, Path stdout, Path stderr) {
        this.process = process;
        this.command = command;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param workingDirectory the child's working directory (created if missing)
     * @param home             its {@code HOME} and {@code user.home} (created if missing)
     * @param klingBatchHome   its {@code KLING_BATCH_HOME} (created if missing)
     */
    public static Builder builder(Path workingDirectory, Path home, Path klingBatchHome) {
        return new Builder(workingDirectory, home, klingBatchHome);
    }

    /** A child whose working directory, home and KLING_BATCH_HOME are {@code work}, {@code home} and {@code kling-home} under {@code root}. */
    public static Builder builder(Path root) {
        return builder(root.resolve("work"), root.resolve("home"), root.resolve("kling-home"));
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The command line it was started with (the class path included). */
    public List<String> command() {
        return command;
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    /** What it printed to stdout so far. */
    public String stdout() {
        return read(stdout);
    }

    /** What it printed to stderr so far. */
    public String stderr() {
        return read(stderr);
    }

    /** Its stdout so far, then its stderr so far. */
    public String output() {
        String out = stdout();
        String err = stderr();
        return out + (err.isEmpty() || out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err;
    }

    /**
     * Sends a real signal with {@code kill -s NAME pid}: {@code INT} (Ctrl-C), {@code TERM}, {@code KILL}, {@code HUP},
     * ... ({@code SIG} prefix optional). Does nothing if the child has ended already.
     */
    public void signal(String name) {
        String signal = name.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        if (!signal.matches("[A-Z0-9+-]+")) {
            throw new IllegalArgumentException("not a signal name: " + name);
        }
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -s " + signal + " " + process.pid() + " did not finish");
            }
            if (kill.exitValue() != 0 && process.isAlive()) {
                throw new IllegalStateException("kill -s " + signal + " " + process.pid() + " failed (" + kill.exitValue() + "): " + said);
            }
        } catch (IOException e) {
            // no kill(1) here: the JDK can still send the two signals that matter most
            switch (signal) {
                case "KILL", "9" -> process.destroyForcibly();
                case "TERM", "15" -> process.destroy();
                default -> throw new UncheckedIOException("cannot run kill(1) to send SIG" + signal, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    /**
     * Waits for the child to end and returns its exit code (128 + n after signal n: 137 after SIGKILL, 130 after an
     * unhandled SIGINT, 143 after SIGTERM). If it has not ended in time, kills it and fails with its output.
     */
    public int waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LIVE.remove(process);
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for the child JVM " + pid(), e);
        }
        kill();
        throw new AssertionFailedError("the child JVM " + pid() + " did not end within " + timeout + "; it was killed. "
                + describe());
    }

    /**
     * Waits until its stdout or stderr contains {@code text}. False if the time runs out, or if the child ends
     * without having printed it.
     */
    public boolean awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            if (stdout().contains(text) || stderr().contains(text)) {
                return true;
            }
            if (ended || System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Its pid, whether it runs or how it ended, and all it printed: for assertion messages. */
    public String describe() {
        String state = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return "Child JVM " + pid() + " (" + state + ")\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    /** Kills the child if it still runs, and waits for it to be gone. */
    @Override
    public void close() {
        kill();
    }

    private void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // a half-written character is replaced, not an error
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The class path a child gets by default: the test JVM's, without this module's test classes.
     */
    public static List<String> defaultClasspath() {
        List<String> entries = testJvmClasspath();
        Path testClasses = testClassesLocation();
        return entries.stream().filter(entry -> testClasses == null || !samePath(entry, testClasses)).collect(Collectors.toList());
    }

    /**
     * {@code java.class.path} as a list. Surefire sets it to the real class path even when the fork itself starts
     * from a manifest-only jar; should it be only such a jar, that jar's manifest {@code Class-Path} is read instead.
     */
    static List<String> testJvmClasspath() {
        List<String> entries = Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(Collectors.toList());
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            List<String> fromManifest = manifestClassPath(Paths.get(entries.get(0)));
            if (!fromManifest.isEmpty()) {
                return fromManifest;
            }
        }
        return entries;
    }

    private static List<String> manifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return List.of();
            }
            List<String> entries = new ArrayList<>();
            URL base = jar.toUri().toURL();
            for (String entry : classPath.trim().split("\\s+")) {
                entries.add(Paths.get(new URL(base, entry).toURI()).toString());
            }
            return entries;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of();
        }
    }

    private static Path testClassesLocation() {
        try {
            return Paths.get(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static boolean samePath(String entry, Path path) {
        return Paths.get(entry).toAbsolutePath().normalize().equals(path);
    }

    /** The java binary of the test JVM. */
    static String javaBinary() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** How to start a child; {@link #start(String...)} starts it. */
    public static final class Builder {
        private final Path workingDirectory;
        private final Path home;
        private final Path klingBatchHome;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> removedEnv = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean defaultJvmOptions = true;
        private boolean testClasses;
        private List<String> classpath;
        private String mainClass = MAIN_CLASS;
        private Path logDirectory;
        private String name;
        private boolean klingBatchHomeSet = true;

        private Builder(Path workingDirectory, Path home, Path klingBatchHome) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath();
            this.home = Objects.requireNonNull(home, "home").toAbsolutePath();
            this.klingBatchHome = Objects.requireNonNull(klingBatchHome, "klingBatchHome").toAbsolutePath();
        }

        /** Sets an environment variable ({@code HOME} and {@code KLING_BATCH_HOME} are the builder's, not settable here). */
        public Builder env(String name, String value) {
            if ("HOME".equals(name) || "KLING_BATCH_HOME".equals(name)) {
                throw new IllegalArgumentException(name + " is given to builder(...), so the child never touches the real one");
            }
            env.put(name, Objects.requireNonNull(value, name));
            removedEnv.remove(name);
            return this;
        }

        /** Removes an environment variable the test JVM has. */
        public Builder removeEnv(String name) {
            env.remove(name);
            removedEnv.add(name);
            return this;
        }

        /** The child gets no {@code KLING_BATCH_HOME}, to test the default under {@code HOME} (which is still the builder's). */
        public Builder withoutKlingBatchHome() {
            klingBatchHomeSet = false;
            return this;
        }

        /** A {@code -Dname=value} for the child. */
        public Builder systemProperty(String name, String value) {
            systemProperties.put(name, value);
            return this;
        }

        /** JVM options such as {@code -Xmx256m}; they come after the defaults, so they win. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Without the quick-start defaults ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}, UTF-8 output). */
        public Builder noDefaultJvmOptions() {
            defaultJvmOptions = false;
            return this;
        }

        /** Puts this module's test classes (and test resources) on the child's class path too. */
        public Builder withTestClasses() {
            testClasses = true;
            return this;
        }

        /** A class path of the test's own instead of the test JVM's. */
        public Builder classpath(List<String> entries) {
            classpath = List.copyOf(entries);
            return this;
        }

        /** Another main class (default {@value ChildJvm#MAIN_CLASS}). */
        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** Where {@code <name>.stdout.log} and {@code <name>.stderr.log} go (default: the home folder). */
        public Builder logDirectory(Path directory) {
            logDirectory = directory.toAbsolutePath();
            return this;
        }

        /** The log files' base name (default {@code child-N}, N counting the children this test JVM started). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Starts {@code java <options> -cp <class path> <main class> <args>}. */
        public ChildJvm start(String... args) {
            return start(List.of(args));
        }

        public ChildJvm start(List<String> args) {
            try {
                Files.createDirectories(workingDirectory);
                Files.createDirectories(home);
                Files.createDirectories(klingBatchHome);
                Path logs = logDirectory != null ? logDirectory : home;
                Files.createDirectories(logs);
                String base = name != null ? name : "child-" + STARTED.incrementAndGet();
                Path stdout = logs.resolve(base + ".stdout.log");
                Path stderr = logs.resolve(base + ".stderr.log");

                List<String> command = new ArrayList<>();
                command.add(javaBinary());
                if (defaultJvmOptions) {
                    command.addAll(DEFAULT_JVM_OPTIONS);
                }
                command.add("-Duser.home=" + home); // the JDK takes user.home from the password file, not $HOME
                command.addAll(jvmOptions);
                systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
                command.add("-cp");
                command.add(String.join(File.pathSeparator, classpath()));
                command.add(mainClass);
                command.addAll(args);

                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
                Map<String, String> environment = builder.environment();
                environment.keySet().removeIf(key -> NOT_INHERITED.contains(key) || NOT_INHERITED_PREFIXES.stream().anyMatch(key::startsWith));
                removedEnv.forEach(environment::remove);
                environment.putAll(env);
                environment.put("HOME", home.toString());
                if (klingBatchHomeSet) {
                    environment.put("KLING_BATCH_HOME", klingBatchHome.toString());
                } else {
                    environment.remove("KLING_BATCH_HOME");
                }

                Process process = builder.start();
                LIVE.add(process);
                return new ChildJvm(process, List.copyOf(command), stdout, stderr);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a child JVM", e);
            }
        }

        private List<String> classpath() {
            if (classpath != null) {
                return classpath;
            }
            return testClasses ? testJvmClasspath() : defaultClasspath();
        }
    }

}
