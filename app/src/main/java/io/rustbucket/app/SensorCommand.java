package io.rustbucket.app;

import io.rustbucket.core.config.ConfigException;
import io.rustbucket.sensor.Sensor;
import io.rustbucket.sensor.SensorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./rustbucket sensor}: the honeypot alone, configured by its {@code Config.toml}. */
@Command(
        name = "sensor",
        mixinStandardHelpOptions = true,
        description =
                "Run the honeypot sensor alone (FTP, Telnet, SMTP, HTTP, SSH listeners, management port, shipping).")
final class SensorCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The sensor's Config.toml (default: ./Config.toml when it exists, else built-in defaults).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data/sensor).")
    Path data;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one key, e.g. --set ports.ssh.port=2200.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Map<String, String> all = new LinkedHashMap<>(sets);
        if (data != null) {
            all.put("general.data_directory", data.toString());
        }
        Optional<Path> file = Optional.ofNullable(config)
                .or(() -> Optional.of(Path.of("Config.toml")).filter(Files::isRegularFile));
        SensorConfig sc;
        try {
            sc = SensorConfig.load(file, System.getenv(), all);
        } catch (ConfigException e) {
            System.err.println("rustbucket sensor: " + e.getMessage());
            return 2;
        }
        Sensor sensor;
        try {
            sensor = Sensor.start(sc, Sensor.Shared.none(), System.getenv(), Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            System.err.println("rustbucket sensor: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sensor.close();
            stopped.countDown();
        }));
        String host = sc.general().bindAddress();
        sensor.ports().forEach((name, port) -> System.out.println(name + " listening on " + host + ":" + port));
        System.out.println(
                "data directory " + sc.general().data().toAbsolutePath().normalize());
        if (!sensor.managementFingerprint().isEmpty()) {
            System.out.println("management certificate sha256 " + sensor.managementFingerprint());
        }
        System.out.println("Sensor " + sc.name() + " is ready");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
