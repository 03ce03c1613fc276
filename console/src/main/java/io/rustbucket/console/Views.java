package io.rustbucket.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the precompiled JTE templates (HTML escaping on by the content type). Pages and the fragments htmx asks
 * for go through here, with a Content-Security-Policy that allows only the platform's own scripts.
 */
final class Views {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders a page or fragment; {@code page} is available to every template as {@code page}. */
    void render(Context ctx, String template, Page page, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", page);
        StringOutput out = new StringOutput(16 * 1024);
        engine.render(template, all, out);
        ctx.header("Content-Security-Policy", CSP);
        ctx.html(out.toString());
    }
}
