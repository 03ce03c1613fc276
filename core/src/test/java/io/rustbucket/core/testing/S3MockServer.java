package io.rustbucket.core.testing;

import com.adobe.testing.s3mock.S3MockApplication;
import io.rustbucket.core.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** S3Mock started in-process on a free loopback port, shared by every test of a JVM. */
public final class S3MockServer {
    public static final String BUCKET = "rustbucket-test";
    private static S3MockApplication app;

    private S3MockServer() {}

    /** Starts S3Mock on first use and returns store settings that point at it. */
    public static synchronized StoreConfig.S3 config(String prefix) {
        if (app == null) {
            try {
                Path root = Files.createTempDirectory("s3mock");
                app = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                        S3MockApplication.PROP_HTTP_PORT,
                        S3MockApplication.RANDOM_PORT,
                        S3MockApplication.PROP_HTTPS_PORT,
                        S3MockApplication.RANDOM_PORT,
                        S3MockApplication.PROP_INITIAL_BUCKETS,
                        BUCKET,
                        S3MockApplication.PROP_ROOT_DIRECTORY,
                        root.toString(),
                        S3MockApplication.PROP_SILENT,
                        true,
                        "spring.main.banner-mode",
                        "off",
                        "logging.level.root",
                        "WARN")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        }
        return new StoreConfig.S3(
                BUCKET, "us-east-1", "http://127.0.0.1:" + app.getHttpPort(), true, prefix, "test", "test", 3, 10);
    }
}
