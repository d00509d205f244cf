package org.vigil.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Owns the browsers a test opens: when the test fails it saves a screenshot of each, as {@code
 * target/screenshots/<test>-<browser>.png} (what the person would have seen), and whatever the
 * outcome it closes them afterwards. Register it with {@code @RegisterExtension}.
 */
public final class BrowserScreenshots implements TestWatcher {

  private final List<Browser> browsers = new CopyOnWriteArrayList<>();

  public Browser watch(Browser browser) {
    browsers.add(browser);
    return browser;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (Browser browser : browsers) {
      try {
        browser.screenshot(context.getRequiredTestMethod().getName() + "-" + browser.name());
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    closeAll();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    closeAll();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    closeAll();
  }

  private void closeAll() {
    for (Browser browser : browsers) {
      try {
        browser.close();
      } catch (RuntimeException e) {
        // the browser is gone already
      }
    }
    browsers.clear();
  }
}
