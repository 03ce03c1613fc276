package io.rustbucket.core.config;

import static io.rustbucket.core.config.ConfigException.require;

import java.nio.file.Path;

/**
 * The {@code [platform]} table: where the platform's HTTP server listens and where it keeps its data.
 *
 * @param host address the platform HTTP server binds; loopback by default so a fresh install is not exposed
 * @param port platform HTTP port (console, registry, ingest and assistant APIs)
 * @param dataDir the data directory: object store folder, H2 files, Lucene indices, keys
 * @param publicUrl the URL users and sensors reach the platform at; empty = derived from host and port
 */
public record PlatformSettings(String host, Integer port, String dataDir, String publicUrl) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9080;
    public static final String DEFAULT_DATA_DIR = "./data";

    public PlatformSettings {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        port = port == null ? DEFAULT_PORT : port;
        require(port >= 0 && port <= 65535, "platform.port", port, "a port 0..65535 (0 = any free port)");
        dataDir = dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir;
        publicUrl = publicUrl == null ? "" : publicUrl.trim();
        require(
                publicUrl.isEmpty() || publicUrl.startsWith("http://") || publicUrl.startsWith("https://"),
                "platform.public_url",
                publicUrl,
                "an http:// or https:// URL");
    }

    public static PlatformSettings defaults() {
        return new PlatformSettings(null, null, null, null);
    }

    public Path dataPath() {
        return Path.of(dataDir).toAbsolutePath().normalize();
    }
}
