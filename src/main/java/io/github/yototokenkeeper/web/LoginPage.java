package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.login.DeviceLogin;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.token.SessionState;
import io.github.yototokenkeeper.token.SessionSnapshot;
import io.github.yototokenkeeper.token.TokenSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The page a parent uses, on a phone or a laptop. Rendered on the server, so it reads without JavaScript; a small
 * script fetches the {@code <main>} part again every two seconds and sends the forms with fetch, so it updates itself
 * without a reload. Everything (style, script, QR code) comes from the service itself.
 */
public final class LoginPage {

    private final TokenSession session;
    private final DeviceLoginFlow logins;
    private final StatusView view;
    private final KeeperSettings settings;
    private final String template;

    public LoginPage(TokenSession session, DeviceLoginFlow logins, StatusView view, KeeperSettings settings) {
        this.session = session;
        this.logins = logins;
        this.view = view;
        this.settings = settings;
        this.template = resource("web/page.html");
    }

    /** The whole page around {@code main}; the script and style may run only with this nonce (see the CSP header). */
    public String page(String nonce, String main) {
        return template.replace("@NONCE@", nonce).replace("@BASE@", settings.webPath()).replace("@MAIN@", main);
    }

    /**
     * A keeper reachable from the network without a password shows nothing of the session: only how to set one (and
     * what else is missing).
     */
    public String locked() {
        StringBuilder html = new StringBuilder("<div data-state=\"locked\"><section class=\"card\"><h2>Choose a password first</h2>")
                .append("<p>This keeper listens on ").append(Html.escape(settings.webHost()))
                .append(", so other machines can reach it, and it has no password. Until it has one it shows nothing and")
                .append(" changes nothing. Set one of these variables (on Railway: the service's <em>Variables</em> tab) and restart:</p><ul>")
                .append("<li><code>KEEPER_PASSWORD</code>: a password of at least ").append(KeeperSettings.MIN_PASSWORD_LENGTH)
                .append(" characters. The page then asks for it, with the user name <code>").append(WebGuard.USER).append("</code>.</li>")
                .append("<li><code>HOST=127.0.0.1</code>: keep the keeper to this machine (no password needed).</li>")
                .append("<li><code>KEEPER_AUTH=none</code>: only when a proxy of yours asks for a password before anyone reaches the keeper.</li>")
                .append("</ul>");
        if (settings.clientId().isEmpty()) {
            html.append("<p class=\"problem\">YOTO_CLIENT_ID is not set either. Set it to your Yoto app's client id (from"
                    + " dashboard.yoto.dev).</p>");
        }
        return html.append("</section></div>").toString();
    }

    /** The part the script refreshes. */
    public String main() {
        SessionSnapshot status = session.snapshot();
        Optional<DeviceLogin> login = logins.current();
        StringBuilder html = new StringBuilder();
        html.append("<div data-state=\"").append(view.stateName(status, login)).append("\">");
        if (login.isPresent() && login.get().pending()) {
            pending(html, login.get());
        } else {
            login.ifPresent(finished -> finishedLogin(html, finished));
            switch (status.state()) {
                case LOGGED_OUT -> loggedOut(html, login.isPresent());
                case REAUTH_REQUIRED -> reauthRequired(html, status);
                default -> session(html, status);
            }
        }
        return html.append("</div>").toString();
    }

    private void loggedOut(StringBuilder html, boolean afterALogin) {
        if (!afterALogin) {
            html.append("<section class=\"card\"><h2>Not connected</h2>")
                    .append("<p>Connect your Yoto account once; the keeper then keeps the login alive.</p>");
        } else {
            html.append("<section class=\"card\">");
        }
        if (settings.clientId().isEmpty()) {
            html.append("<p class=\"problem\">YOTO_CLIENT_ID is not set. Set it to your Yoto app's client id (from"
                    + " dashboard.yoto.dev) and restart the keeper.</p></section>");
            return;
        }
        html.append(button("/auth/device/start", afterALogin ? "Start again" : "Connect your Yoto account", "primary"))
                .append("</section>");
    }

    private void pending(StringBuilder html, DeviceLogin login) {
        Optional<String> link = Stream.of(login.link(), login.verificationUri()).filter(LoginPage::isWebAddress).findFirst();
        html.append("<section class=\"card\"><h2>Enter this code</h2>")
                .append("<p class=\"code\" id=\"user-code\">").append(Html.escape(login.userCode())).append("</p>");
        if (link.isPresent()) {
            Optional<String> qrCode = QrCodeSvg.of(link.get(), "QR code of the login link");
            html.append("<p>Open <a id=\"verification-link\" href=\"").append(Html.escape(link.get()))
                    .append("\" target=\"_blank\" rel=\"noopener noreferrer\">").append(Html.escape(link.get())).append("</a>")
                    .append(" on a phone or computer, sign in to Yoto and approve.").append(qrCode.isPresent() ? " Or scan:" : "")
                    .append("</p>").append(qrCode.orElse(""));
        } else {
            // not a web address (javascript:, data:, ...): no link and no QR code a click or a scan would follow
            html.append("<p>Open <span id=\"verification-text\">").append(Html.escape(login.link())).append("</span>")
                    .append(" on a phone or computer, sign in to Yoto and approve.</p>");
        }
        html.append("<p>The code expires in <span class=\"countdown\" data-until=\"").append(login.expiresAt())
                .append("\">").append(time(login.expiresAt())).append("</span>.</p>")
                .append("<p class=\"muted\" id=\"login-state\">Waiting for approval&hellip; (this page updates by itself)</p>")
                .append(button("/auth/device/start", "Start again", "secondary"))
                .append("</section>");
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

    private void finishedLogin(StringBuilder html, DeviceLogin login) {
        String message = switch (login.state()) {
            case CONNECTED -> "Connected: the Yoto account is linked and the keeper keeps it alive.";
            case EXPIRED -> "The code expired before it was approved.";
            case DENIED -> "The login was declined.";
            case ERROR -> "The login failed: " + login.error();
            case PENDING -> "";
        };
        String kind = login.state() == DeviceLogin.State.CONNECTED ? "ok" : "problem";
        html.append("<p class=\"banner ").append(kind).append("\" id=\"login-result\" data-login=\"")
                .append(login.state().wireName()).append("\">").append(Html.escape(message)).append("</p>");
    }

    private void reauthRequired(StringBuilder html, SessionSnapshot status) {
        html.append("<section class=\"card\"><h2>Log in again</h2>")
                .append("<p class=\"problem\">Yoto no longer accepts the saved login")
                .append(status.lastError() == null ? "" : " (" + Html.escape(status.lastError()) + ")")
                .append(". Connect the account again to resume.</p>")
                .append(button("/auth/device/start", "Connect your Yoto account", "primary"))
                .append(button("/auth/logout", "Log out", "secondary"))
                .append("</section>");
    }

    private void session(StringBuilder html, SessionSnapshot status) {
        boolean failing = status.state() == SessionState.REFRESH_FAILING;
        html.append("<section class=\"card\"><h2>").append(failing ? "Connected, refresh failing" : "Connected").append("</h2><dl>")
                .append(row("State", failing ? "refresh failing, retrying" : "authenticated"))
                .append(row("Access token valid until", time(status.accessTokenExpiresAt())))
                .append(row("Last refresh", time(status.lastRefreshAt())))
                .append(row("Next refresh", time(status.nextRefreshAt())));
        if (status.consecutiveFailures() > 0) {
            html.append(row("Failures in a row", String.valueOf(status.consecutiveFailures())));
        }
        if (status.lastError() != null) {
            html.append(row("Last error", Html.escape(status.lastError())));
        }
        html.append("</dl>")
                .append(button("/auth/refresh", "Refresh now", "primary"))
                .append(button("/auth/logout", "Log out", "secondary"))
                .append("</section>");
    }

    private static String row(String label, String valueHtml) {
        return "<dt>" + label + "</dt><dd>" + valueHtml + "</dd>";
    }

    private String button(String action, String label, String kind) {
        return "<form method=\"post\" action=\"" + settings.webPath() + action + "\"><button type=\"submit\" class=\"" + kind + "\">" + label
                + "</button></form>";
    }

    /** A time the script shows in the reader's zone; without the script it reads as UTC. */
    private static String time(Instant instant) {
        if (instant == null) {
            return "&mdash;";
        }
        return "<time datetime=\"" + instant + "\">" + instant.toString().replace('T', ' ').replaceFirst("\\.\\d+Z$", "Z") + "</time>";
    }

    private static String resource(String name) {
        try (InputStream in = LoginPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
