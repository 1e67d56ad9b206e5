package io.github.yototokenkeeper.config;

import java.util.Locale;
import java.util.Optional;

/**
 * YOTO_LOGIN_FLOW: which logins the page offers. The browser sign-in (Authorization Code with PKCE) is what Yoto
 * recommends for new apps and needs a callback URL registered with Yoto; the device flow (a code typed on Yoto's site)
 * needs none, and is the only choice for an app whose client id has no callback URL.
 */
public enum LoginFlows {
    /** Both: "Sign in with Yoto" first, "Use a code instead" beside it. */
    AUTO(true, true),
    BROWSER(true, false),
    DEVICE(false, true);

    private final boolean browser;
    private final boolean device;

    LoginFlows(boolean browser, boolean device) {
        this.browser = browser;
        this.device = device;
    }

    public boolean browser() {
        return browser;
    }

    public boolean device() {
        return device;
    }

    static LoginFlows parse(Optional<String> raw) {
        return raw.map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "browser" -> BROWSER;
            case "device" -> DEVICE;
            default -> throw new InvalidSettingException(Setting.LOGIN_FLOW.describe() + "='" + v
                    + "' is not allowed: use auto (both, the default), browser (Sign in with Yoto) or device (a code)");
        }).orElse(AUTO);
    }
}
