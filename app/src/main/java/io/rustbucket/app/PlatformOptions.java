package io.rustbucket.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every long-running command shares: where the configuration and data are, and overrides. */
final class PlatformOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "configuration file (default: ./rustbucket.toml if present, or $RUSTBUCKET_CONFIG)")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ./data)")
    Path data;

    @Option(
            names = "--host",
            paramLabel = "ADDR",
            description = "address the platform HTTP server binds (default: 127.0.0.1)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "platform HTTP port (default: 9080)")
    Integer port;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override any configuration key, e.g. --set database.pool_size=20")
    Map<String, String> sets = new LinkedHashMap<>();

    RustbucketConfig load() {
        Map<String, String> all = new LinkedHashMap<>(sets);
        if (data != null) {
            all.put("platform.data_dir", data.toString());
        }
        if (host != null) {
            all.put("platform.host", host);
        }
        if (port != null) {
            all.put("platform.port", port.toString());
        }
        return RustbucketConfig.load(config, System.getenv(), all);
    }
}
