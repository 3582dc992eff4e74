package io.tailsrv.features;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.session.ClientSession;

/**
 * An interactive Karaf console over SSH, in an xterm, as an operator has it:
 * lines are typed, and a command has finished when the prompt shows again.
 * JLine colours and redraws what is typed; the escape sequences are dropped
 * from what a command printed.
 */
final class ShellSession implements AutoCloseable {

    /** CSI sequences (colours, cursor, modes) and the two-character keypad ones. */
    private static final Pattern ESCAPES = Pattern.compile("\u001B(\\[[0-9;?]*[ -/]*[@-~]|[=>])");

    private final ClientSession session;
    private final ChannelShell channel;
    private final Transcript transcript = new Transcript();
    private final OutputStream keyboard;
    private final String prompt;

    ShellSession(ClientSession session, String user) throws IOException, InterruptedException {
        this.session = session;
        this.prompt = user + "@root()> ";
        channel = session.createShellChannel();
        channel.setPtyType("xterm");
        channel.setPtyColumns(200);
        channel.setOut(transcript);
        channel.setRedirectErrorStream(true);
        channel.open().verify(Deadline.WAIT);
        keyboard = channel.getInvertedIn();
        awaitPrompt(0);
    }

    /** Types {@code line} and returns what it printed once the prompt is back. */
    String run(String line) throws IOException, InterruptedException {
        return awaitPrompt(type(line));
    }

    /**
     * Types {@code line} without waiting for it to finish.
     *
     * @return where its output starts, for {@link #awaitPrompt(int)}
     */
    int type(String line) throws IOException {
        int from = transcript.size();
        keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        return from;
    }

    /**
     * Waits for the prompt after {@code from}, and returns what was printed
     * between the typed line and that prompt.
     */
    String awaitPrompt(int from) throws InterruptedException {
        String text = plain(transcript.await("the prompt in " + this, from, raw -> plain(raw).contains(prompt)));
        int typed = text.indexOf('\n');
        int next = text.lastIndexOf(prompt);
        if (typed < 0 || typed > next) {
            return ""; // the first prompt, or a line that printed nothing
        }
        // JLine writes a marker and blanks before the prompt, on the prompt's own line
        return text.substring(typed + 1, text.lastIndexOf('\n', next) + 1);
    }

    private static String plain(String raw) {
        return ESCAPES.matcher(raw).replaceAll("").replace("\r", "");
    }

    @Override
    public String toString() {
        return "an SSH console session that printed:\n" + plain(transcript.text(0));
    }

    @Override
    public void close() throws IOException {
        channel.close(false);
        session.close(false);
    }
}
