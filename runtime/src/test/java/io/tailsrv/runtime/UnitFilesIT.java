package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's systemd unit files, as systemd reads them. They name
 * /opt/tailsrv, where the README installs the distribution, and
 * {@code systemd-analyze verify} checks that ExecStart's program exists: so
 * it verifies copies that name the assembled distribution instead.
 */
class UnitFilesIT {

    private static final Path UNITS = TailsrvProcess.HOME.resolve("systemd");
    private static final String INSTALLED = "/opt/tailsrv/";

    @TempDir
    Path dir;

    @Test
    void bothUnitFilesPassSystemdAnalyzeVerify() throws Exception {
        Path service = asAssembled("tailsrv.service");
        asAssembled("tailsrv@.service");
        // A template is verified through an instance of it; its EnvironmentFile is read only at start.
        Program.Result verify = Program.run("systemd-analyze", "verify", service.toString(), dir.resolve("tailsrv@web.service").toString());
        assertEquals(0, verify.status(), verify.output());
        assertEquals("", verify.output(), "no warnings either");
    }

    @Test
    void sandboxingKeepsTheExposureLow() throws Exception {
        for (String unit : List.of("tailsrv.service", "tailsrv@.service")) {
            Path copy = asAssembled(unit);
            Path analysed = unit.endsWith("@.service") ? dir.resolve("tailsrv@web.service") : copy;
            Program.Result security = Program.run("systemd-analyze", "security", "--offline=true", "--no-pager", analysed.toString());
            Matcher level = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)").matcher(security.output());
            assertTrue(level.find(), security.output());
            double exposure = Double.parseDouble(level.group(1));
            System.out.printf("systemd-analyze security: %s exposure %.1f%n", unit, exposure);
            assertTrue(exposure <= 2.0, unit + " exposure " + exposure + ":\n" + security.output());
        }
    }

    @Test
    void theServiceRunsHostModeAsANotifyServiceWithAWatchdogAsItsOwnUser() throws IOException {
        String host = Files.readString(UNITS.resolve("tailsrv.service"));
        for (String line : List.of("Type=notify", "NotifyAccess=main", "WatchdogSec=30", "Restart=on-failure",
                "ExecStart=/opt/tailsrv/bin/tailsrv --config-dir /etc/tailsrv --journald", "User=tailsrv",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=read-only", "PrivateTmp=yes")) {
            assertTrue(host.lines().anyMatch(line::equals), "tailsrv.service has " + line);
        }
        String template = Files.readString(UNITS.resolve("tailsrv@.service"));
        for (String line : List.of("Type=notify", "WatchdogSec=30", "EnvironmentFile=/etc/tailsrv/%i.env",
                "ExecStart=/opt/tailsrv/bin/tailsrv -p ${PORT} $OPTIONS --journald ${FILE}", "User=tailsrv")) {
            assertTrue(template.lines().anyMatch(line::equals), "tailsrv@.service has " + line);
        }
    }

    /** A copy of {@code unit} in the test's directory, naming the assembled distribution. */
    private Path asAssembled(String unit) throws IOException {
        String text = Files.readString(UNITS.resolve(unit));
        assertTrue(text.contains(INSTALLED), unit + " names " + INSTALLED);
        return Files.writeString(dir.resolve(unit), text.replace(INSTALLED, TailsrvProcess.HOME.toAbsolutePath() + "/"));
    }
}
