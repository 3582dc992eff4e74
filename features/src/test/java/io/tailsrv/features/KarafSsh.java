package io.tailsrv.features;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.SshServer;

/**
 * An operator's SSH client for Karaf's console (Apache MINA SSHD's, the one
 * Karaf itself ships): commands on the exec channel, as {@code ssh host
 * COMMAND} runs them, and interactive shells with a terminal, as {@code ssh
 * host} or {@code bin/client} give.
 */
final class KarafSsh implements AutoCloseable {

    private final SshClient client = SshClient.setUpDefaultClient();
    private final int port;
    private final String user;
    private final String password;

    /** Trusts only the host keys of {@code server}, the container's own SSH server. */
    KarafSsh(SshServer server, int port, String user, String password) throws IOException, GeneralSecurityException {
        this.port = port;
        this.user = user;
        this.password = password;
        List<PublicKey> hostKeys = new ArrayList<>();
        for (KeyPair pair : server.getKeyPairProvider().loadKeys(null)) {
            hostKeys.add(pair.getPublic());
        }
        client.setServerKeyVerifier((session, address, key) ->
                hostKeys.stream().anyMatch(known -> KeyUtils.compareKeys(known, key)));
        client.start();
    }

    /**
     * Runs {@code command} on an exec channel of a new connection: Karaf
     * closes the connection once the command has run.
     */
    Exec exec(String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ClientSession session = login(); ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(Deadline.WAIT);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Deadline.WAIT);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new AssertionError(command + " did not end within " + Deadline.WAIT + "; it printed: " + out);
            }
            Integer status = channel.getExitStatus();
            return new Exec(command, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    status == null ? -1 : status);
        }
    }

    /** An interactive console session in a terminal. */
    ShellSession shell() throws IOException, InterruptedException {
        return new ShellSession(login(), user);
    }

    private ClientSession login() throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(Deadline.WAIT).getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(Deadline.WAIT);
        return session;
    }

    @Override
    public void close() throws IOException {
        client.stop();
    }

    /** What a command run on the exec channel printed, and its exit status. */
    static final class Exec {
        final String command;
        final String out;
        final String err;
        final int status;

        Exec(String command, String out, String err, int status) {
            this.command = command;
            this.out = out;
            this.err = err;
            this.status = status;
        }

        @Override
        public String toString() {
            return command + " -> status " + status + ", out:\n" + out + "err:\n" + err;
        }
    }
}
