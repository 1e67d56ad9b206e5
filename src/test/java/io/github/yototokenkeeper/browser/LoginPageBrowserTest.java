package io.github.yototokenkeeper.browser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.oauth.Pkce;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) on the login page: connect, see the code, link and
 * QR code, approve at the stand-in login server, see "connected" without a reload, log out. Screenshots go to
 * target/screenshots. Under CI=true a missing browser fails the build instead of skipping this test.
 */
class LoginPageBrowserTest extends KeeperMainTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private WebDriver browser;

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.device-poll-time-scale", "0.2");
        properties.put("yoto.keeper.authorize-url", yoto.baseUrl() + "/authorize");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriver openBrowser() throws Exception {
        return openBrowser(true);
    }

    private WebDriver openBrowser(boolean javaScript) throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install Debian's chromium and chromium-driver"
                    + " (bash .ci/run does)");
        }
        Assumptions.assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the flags this machine needs: no sandbox as root, and no background calls to Google's hosts
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(tempDir(), "chromium"), "--window-size=412,915");
        if (!javaScript) {
            options.setExperimentalOption("prefs", java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void connectApproveSeeConnectedWithoutReloadThenLogOut() throws Exception {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"dc-" + Tokens.MARKER + "\","
                + "\"user_code\":\"KDJS-HFPQ\",\"verification_uri\":\"https://login.yotoplay.com/activate\","
                + "\"verification_uri_complete\":\"https://login.yotoplay.com/activate?user_code=KDJS-HFPQ\","
                + "\"expires_in\":900,\"interval\":1}")));
        yoto.stubFor(tokenEndpoint().inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"authorization_pending\"}")));
        yoto.stubFor(tokenEndpoint().inScenario("login").whenScenarioStateIs("approved")
                .willReturn(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400))));
        startKeeper();
        browser = openBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://127.0.0.1:" + httpPort() + "/");
        screenshot("1-logged-out");
        browser.findElement(By.xpath("//button[normalize-space()='Use a code instead']")).click();

        wait.until(ExpectedConditions.textToBe(By.id("user-code"), "KDJS-HFPQ"));
        assertThat(browser.findElement(By.id("verification-link")).getAttribute("href"))
                .isEqualTo("https://login.yotoplay.com/activate?user_code=KDJS-HFPQ");
        assertThat(browser.findElement(By.cssSelector("svg.qr path")).getAttribute("d")).startsWith("M");
        wait.until(ExpectedConditions.textMatches(By.className("countdown"), java.util.regex.Pattern.compile("1[45]:\\d\\d")));
        screenshot("2-login-pending");
        ((JavascriptExecutor) browser).executeScript("window.keeperTestMarker = 'same page';");

        yoto.setScenarioState("login", "approved"); // the parent approves on Yoto's site

        wait.until(ExpectedConditions.attributeToBe(By.id("login-result"), "data-login", "connected"));
        assertThat(browser.findElement(By.id("login-result")).getText()).startsWith("Connected");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.keeperTestMarker;"))
                .as("no reload happened").isEqualTo("same page");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Access token valid until").contains("Next refresh");
        assertThat(Files.exists(tokenFile())).isTrue();
        screenshot("3-connected");

        browser.findElement(By.xpath("//button[normalize-space()='Log out']")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//button[normalize-space()='Sign in with Yoto']")));
        assertThat(Files.exists(tokenFile())).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Not connected");
        screenshot("4-logged-out-again");
    }

    /**
     * The browser sign-in round trip: "Sign in with Yoto" sends the browser to the stand-in login page (WireMock), which
     * sends it back to the keeper's callback with a code and the state, as Yoto's does after a sign-in; the keeper
     * exchanges the code with its PKCE verifier and the page shows Connected. Then a callback the browser did not start
     * (another browser's state, followed from elsewhere) shows a page that says so, and changes nothing.
     */
    @Test
    void signInWithYotoGoesToYotoAndComesBackConnected() throws Exception {
        String code = "code-" + Tokens.MARKER;
        String refreshToken = Tokens.refresh();
        yoto.stubFor(get(urlPathEqualTo("/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "{{request.query.redirect_uri}}?code=" + code + "&state={{request.query.state}}")
                .withTransformers("response-template")));
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson(tokenJson(Tokens.access(), refreshToken, 86_400))));
        startKeeper();
        browser = openBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://127.0.0.1:" + httpPort() + "/");
        assertThat(browser.findElement(By.id("callback-url")).getText()).isEqualTo("http://127.0.0.1:" + httpPort() + "/auth/callback");
        browser.findElement(By.xpath("//button[normalize-space()='Sign in with Yoto']")).click();

        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h2"), "Connected"));
        assertThat(browser.getCurrentUrl()).isEqualTo("http://127.0.0.1:" + httpPort() + "/");
        assertThat(Files.readString(tokenFile()).strip()).isEqualTo(refreshToken);
        screenshot("5-signed-in-with-yoto");
        LoggedRequest authorize = yoto.findAll(getRequestedFor(urlPathEqualTo("/authorize"))).get(0);
        LoggedRequest exchange = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(containing("grant_type=authorization_code"))).get(0);
        String verifier = exchange.formParameters().get("code_verifier").firstValue();
        assertThat(Pkce.challengeOf(verifier)).isEqualTo(authorize.queryParameter("code_challenge").firstValue());
        assertThat(exchange.formParameters().get("code").firstValue()).isEqualTo(code);

        // another browser started this one; this browser follows its callback link
        java.net.http.HttpResponse<String> elsewhere = http("POST", "/auth/browser/start", "Accept", "application/json");
        String state = java.net.URI.create(new com.fasterxml.jackson.databind.ObjectMapper().readTree(elsewhere.body())
                .get("authorize_url").asText()).getQuery().replaceAll(".*(?:^|&)state=([^&]+).*", "$1");
        browser.get("http://127.0.0.1:" + httpPort() + "/auth/callback?code=" + code + "-forged&state=" + state);
        assertThat(browser.findElement(By.id("sign-in-problem")).getText()).contains("This browser did not start this sign-in");
        screenshot("6-forged-callback");
        browser.findElement(By.id("back")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h2"), "Connected"));
        assertThat(Files.readString(tokenFile()).strip()).isEqualTo(refreshToken);
        assertThat(yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=authorization_code"))))
                .hasSize(1);
    }

    /**
     * Without JavaScript the form posts itself: 303 to Yoto's login page, which sends the browser straight back. The
     * page's Content-Security-Policy (form-action) must allow that whole chain of redirects, or the browser stops.
     */
    @Test
    void signInWithYotoWorksWithoutJavaScriptToo() throws Exception {
        yoto.stubFor(get(urlPathEqualTo("/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "{{request.query.redirect_uri}}?code=code-" + Tokens.MARKER + "&state={{request.query.state}}")
                .withTransformers("response-template")));
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400))));
        startKeeper();
        browser = openBrowser(false);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://127.0.0.1:" + httpPort() + "/");
        assertThat(browser.findElement(By.tagName("noscript")).getAttribute("textContent")).contains("Reload the page");
        browser.findElement(By.xpath("//button[normalize-space()='Sign in with Yoto']")).click();

        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h2"), "Connected"));
        assertThat(browser.getCurrentUrl()).isEqualTo("http://127.0.0.1:" + httpPort() + "/");
        assertThat(yoto.findAll(getRequestedFor(urlPathEqualTo("/authorize")))).hasSize(1);
    }
}
