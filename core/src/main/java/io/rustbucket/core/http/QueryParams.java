package io.rustbucket.core.http;

import io.javalin.http.Context;

/** Query parameters every list API shares, parsed in one place with the same 400 answers. */
public final class QueryParams {
    private QueryParams() {}

    /**
     * The {@code limit} parameter: how many rows a list answers.
     *
     * @throws ApiException 400 when it is not a number or outside {@code 1..max}
     */
    public static int limit(Context ctx, int dflt, int max) {
        return count(ctx, "limit", dflt, max);
    }

    /**
     * A whole-number parameter of {@code 1..max} ({@code limit}, {@code days}, ...).
     *
     * @throws ApiException 400 when it is not a number or outside {@code 1..max}
     */
    public static int count(Context ctx, String name, int dflt, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.validation(name + " must be a number");
        }
        if (n < 1 || n > max) {
            throw ApiException.validation(name + " must be 1.." + max);
        }
        return n;
    }

    /**
     * A {@code next} parameter as a redirect target: a path on this site, else {@code /}. Never another site
     * ({@code //host}, {@code /\host}) or a scheme: an open redirect would lend phishing our address.
     */
    public static String localPath(String next) {
        return next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") ? "/" : next;
    }
}
