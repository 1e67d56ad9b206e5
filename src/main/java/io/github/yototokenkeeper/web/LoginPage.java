package io.github.yototokenkeeper.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gg.jte.Content;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.login.DeviceLogin;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.token.SessionSnapshot;
import io.github.yototokenkeeper.token.SessionState;
import io.github.yototokenkeeper.token.TokenSession;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The page a parent uses, on a phone or a laptop. Rendered on the server from its templates (src/main/jte, compiled to
 * Java at build time by jte, every value escaped by its HTML context), so it reads without JavaScript; a small script
 * fetches the {@code <main>} part again every two seconds and sends the forms with fetch, so it updates itself without
 * a reload. Everything (style, script, QR code) comes from the service itself.
 */
public final class LoginPage {

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
            LoginPage.class.getClassLoader(), "io.github.yototokenkeeper.web.pages");

    private final TokenSession session;
    private final DeviceLoginFlow logins;
    private final StatusView view;
    private final KeeperSettings settings;

    public LoginPage(TokenSession session, DeviceLoginFlow logins, StatusView view, KeeperSettings settings) {
        this.session = session;
        this.logins = logins;
        this.view = view;
        this.settings = settings;
    }

    /**
     * The whole page around {@code main}; the script and style may run only with this nonce (see the CSP header).
     * {@code live}: the script updates {@code main} every two seconds (not on a page that reports a failed sign-in).
     */
    public String page(String nonce, String main, boolean live) {
        Content mainPart = output -> output.writeContent(main); // rendered by our own template already
        return render("page.jte", Map.of("nonce", nonce, "base", settings.webPath(), "main", mainPart, "live", live));
    }

    /** What a failed sign-in shows instead of the session (the callback asks no password): the reason, the way back. */
    public String signInProblem(String message) {
        return render("sign-in-problem.jte", Map.of("base", settings.webPath(), "message", message));
    }

    /** The part the script refreshes. */
    public String main() {
        SessionSnapshot status = session.snapshot();
        Optional<DeviceLogin> login = logins.current();
        boolean pending = login.isPresent() && login.get().pending();
        return render("main.jte", Map.of("view", new PageView(settings.webPath(), view.stateName(status, login), false,
                settings.webHost(), KeeperSettings.MIN_PASSWORD_LENGTH, WebGuard.USER, !settings.hasClientId(), logins(),
                pending ? pending(login.get()) : null,
                pending ? null : login.map(LoginPage::finished).orElse(null),
                !pending && status.state() == SessionState.LOGGED_OUT,
                !pending && status.state() == SessionState.REAUTH_REQUIRED ? new PageView.Reauth(status.lastError()) : null,
                new PageView.Session(status.state() == SessionState.REFRESH_FAILING, status.accessTokenExpiresAt(),
                        status.lastRefreshAt(), status.nextRefreshAt(), status.consecutiveFailures(), status.lastError()))));
    }

    /**
     * A keeper reachable from the network without a password shows nothing of the session: only how to set one (and
     * what else is missing).
     */
    public String locked() {
        return render("main.jte", Map.of("view", new PageView(settings.webPath(), "locked", true, settings.webHost(),
                KeeperSettings.MIN_PASSWORD_LENGTH, WebGuard.USER, !settings.hasClientId(), logins(), null, null, false, null, null)));
    }

    private PageView.Logins logins() {
        return new PageView.Logins(settings.loginFlows().browser(), settings.loginFlows().device(), settings.redirectUri().toString());
    }

    private static PageView.Pending pending(DeviceLogin login) {
        Optional<String> link = Stream.of(login.link(), login.verificationUri()).filter(LoginPage::isWebAddress).findFirst();
        // not a web address (javascript:, data:, ...): no link and no QR code a click or a scan would follow
        return new PageView.Pending(login.userCode(), link.orElse(null), login.link(),
                link.flatMap(QrCodeSvg::of).orElse(null), login.expiresAt());
    }

    private static PageView.Finished finished(DeviceLogin login) {
        String message = switch (login.state()) {
            case CONNECTED -> "Connected: the Yoto account is linked and the keeper keeps it alive.";
            case EXPIRED -> "The code expired before it was approved.";
            case DENIED -> "The login was declined.";
            case ERROR -> "The login failed: " + login.error();
            case PENDING -> "";
        };
        return new PageView.Finished(login.state().wireName(), login.state() == DeviceLogin.State.CONNECTED ? "ok" : "problem", message);
    }

    /** An absolute http(s) URL with a host: the only kind of server-given address the page links to or encodes. */
    static boolean isWebAddress(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            URI uri = new URI(address);
            return uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    private static String render(String template, Map<String, Object> parameters) {
        StringOutput output = new StringOutput();
        TEMPLATES.render(template, parameters, output);
        return output.toString();
    }
}
