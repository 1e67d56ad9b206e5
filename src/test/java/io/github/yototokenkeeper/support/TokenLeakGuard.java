package io.github.yototokenkeeper.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (junit-platform.properties): fails the class when any line logged while it ran
 * contains a test token. Lines of the test's own WireMock server are left out: it is the stand-in for Yoto, not us.
 */
public class TokenLeakGuard implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TokenLeakGuard.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("mark", CapturedLogs.mark());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int mark = context.getStore(NAMESPACE).get("mark", Integer.class);
        List<CapturedLogs.Line> leaks = CapturedLogs.since(mark).stream()
                .filter(line -> !line.logger().startsWith("wiremock") && !line.logger().startsWith("WireMock"))
                .filter(line -> line.text().contains(Tokens.MARKER))
                .toList();
        if (!leaks.isEmpty()) {
            fail("A token value was logged in " + context.getDisplayName() + ":\n" + leaks);
        }
    }
}
