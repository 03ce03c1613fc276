package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's static files: its own CSS and scripts, and htmx and uPlot from their WebJars. A fixed list, read
 * from the classpath once and kept in memory; nothing is fetched from another site.
 */
final class Assets {
    private static final String WEBJARS = "/META-INF/resources/webjars/";
    private static final Properties VERSIONS = versions();
    /** Public name to classpath resource. */
    static final Map<String, String> FILES = Map.of(
            "console.css", "/console/static/console.css",
            "favicon.svg", "/console/static/favicon.svg",
            "console.js", "/console/static/console.js",
            "overview.js", "/console/static/overview.js",
            "tail.js", "/console/static/tail.js",
            "chat.js", "/console/static/chat.js",
            "markdown.js", "/console/static/markdown.js",
            "htmx.min.js", WEBJARS + "htmx.org/" + VERSIONS.getProperty("htmx") + "/dist/htmx.min.js",
            "uPlot.min.js", WEBJARS + "uplot/" + VERSIONS.getProperty("uplot") + "/dist/uPlot.iife.min.js",
            "uPlot.min.css", WEBJARS + "uplot/" + VERSIONS.getProperty("uplot") + "/dist/uPlot.min.css");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void register(RoutesConfig r) {
        r.get("/assets/{name}", this::serve);
    }

    private void serve(Context ctx) {
        String name = ctx.pathParam("name");
        String resource = FILES.get(name);
        if (resource == null) {
            throw ApiException.notFound("asset " + name);
        }
        byte[] body = cache.computeIfAbsent(name, n -> read(resource));
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        ctx.result(body);
    }

    private static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Assets.class.getResourceAsStream("/console/webjars.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("console/webjars.properties is missing from the build", e);
        }
        return p;
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing console asset " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
