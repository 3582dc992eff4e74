package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The viewer page as a resource: what its policy allows, and what its
 * script must never do. (How it behaves in a browser is the server's
 * integration test, in headless Chromium.)
 */
class ViewerPageTest {

    private final ViewerPage page = ViewerPage.load();
    private final String html = UTF_8.decode(page.body()).toString();

    @Test
    void thePolicyAllowsExactlyTheInlineScriptAndStyleByTheirHashes() throws Exception {
        String policy = page.contentSecurityPolicy();

        assertEquals("default-src 'none'; script-src " + sha256(inline("script")) + "; style-src "
                + sha256(inline("style")) + "; connect-src 'self'; img-src data:; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'", policy);
    }

    @Test
    void loadsNothingFromElsewhere() {
        Matcher reference = Pattern.compile("(?i)\\b(?:src|href|action)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        while (reference.find()) {
            assertTrue(reference.group(1).startsWith("data:"), reference.group());
        }
        assertFalse(html.matches("(?is).*(@import|url\\(|https?://).*"), "no external resource");
    }

    @Test
    void putsLinesInAsTextNeverAsMarkup() {
        String script = inline("script");

        for (String markup : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout('", "setTimeout(\"")) {
            assertFalse(script.contains(markup), markup);
        }
        assertTrue(script.contains(".textContent = text"));
    }

    @Test
    void followsTheFileThroughEventSourceFromTheLast64KiB() {
        String script = inline("script");

        assertTrue(script.contains("new EventSource(location.pathname + '?offset='"), "relative to the page's own path");
        assertTrue(script.contains("|| '-65536'"));
        assertTrue(script.contains("const MAX_LINES = 10000;"));
    }

    @Test
    void everyCallGetsTheWholePage() {
        ByteBuffer first = page.body();
        first.position(first.limit());

        assertEquals(page.length(), page.body().remaining());
        assertTrue(page.body().isReadOnly());
    }

    private String inline(String element) {
        Matcher matcher = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(html);
        assertTrue(matcher.find(), element);
        return matcher.group(1);
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
        return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    }
}
