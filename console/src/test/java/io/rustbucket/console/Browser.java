package io.rustbucket.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.rustbucket.core.testing.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Playwright driving Debian's Chromium ({@code /usr/bin/chromium}; Playwright never downloads a browser here).
 * Every page collects console errors and uncaught exceptions; {@link #assertClean} fails a test that has any.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final List<String> errors = new ArrayList<>();

    private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Chromium, or skips the test when it is not installed (a failure under CI). */
    static Browser start() {
        if (!Files.isExecutable(CHROMIUM)) {
            if (TestEnv.isCi()) {
                throw new IllegalStateException("CI=true but " + CHROMIUM + " is missing; .ci/run installs chromium");
            }
            Assumptions.abort(CHROMIUM + " is not installed (apt-get install chromium)");
        }
        Playwright pw = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        var b = pw.chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-dev-shm-usage",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")));
        return new Browser(pw, b);
    }

    /** A fresh browser profile (no cookies) with a page that records errors. */
    Page newPage() {
        BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1360, 900)
                .setLocale("en-GB")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(15_000);
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                errors.add("console: " + m.text() + " at " + page.url());
            }
        });
        page.onResponse(r -> {
            if (r.status() >= 400) {
                errors.add("HTTP " + r.status() + " " + r.request().method() + " " + r.url());
            }
        });
        page.onPageError(e -> errors.add("page error: " + e + " at " + page.url()));
        page.onDialog(d -> {
            if ("confirm".equals(d.type())) { // the console asks before destructive actions
                d.accept();
            } else { // an alert() here can only come from injected script
                errors.add("unexpected " + d.type() + " dialog: " + d.message());
                d.dismiss();
            }
        });
        return page;
    }

    static void signIn(Page page, String base, String user, String password) {
        page.navigate(base + "/login");
        page.locator("input[name=account]").fill(user);
        page.locator("input[name=password]").fill(password);
        page.locator("button[type=submit]").click();
        page.waitForLoadState();
    }

    static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    void assertClean() {
        assertThat(errors).as("browser console errors, page errors and dialogs").isEmpty();
    }

    List<String> errors() {
        return errors;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
