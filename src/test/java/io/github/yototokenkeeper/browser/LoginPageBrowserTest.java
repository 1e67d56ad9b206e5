package io.github.yototokenkeeper.browser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
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
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriver openBrowser() throws Exception {
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
        browser.findElement(By.xpath("//button[normalize-space()='Connect your Yoto account']")).click();

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

        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//button[normalize-space()='Connect your Yoto account']")));
        assertThat(Files.exists(tokenFile())).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Not connected");
        screenshot("4-logged-out-again");
    }
}
