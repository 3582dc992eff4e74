package io.tailsrv.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceNamesTest {

    private static final String PID = "service.pid";

    /** Properties with the given PID and FileInstall file name; an empty value leaves the property out. */
    private static Map<String, Object> properties(String pid, String fileName) {
        Map<String, Object> properties = new HashMap<>();
        if (pid != null && !pid.isEmpty()) {
            properties.put(PID, pid);
        }
        if (fileName != null && !fileName.isEmpty()) {
            properties.put(InstanceNames.FILEINSTALL_FILENAME, fileName);
        }
        return properties;
    }

    @ParameterizedTest(name = "pid={0} file={1} -> {2}")
    @CsvSource({
        // from the FileInstall file name
        "tailsrv~x1y2, file:/etc/tailsrv/tailsrv-web.cfg,  web",
        "tailsrv~x1y2, /etc/tailsrv/tailsrv-web-logs.cfg,  web-logs",
        "tailsrv~x1y2, tailsrv-web.cfg,                    web",
        // a file that does not follow tailsrv-NAME.cfg: the PID decides
        "tailsrv~web,  file:/etc/tailsrv/other-web.cfg,    web",
        "tailsrv~web,  file:/etc/tailsrv/tailsrv-web.config, web",
        // from a named factory PID (Karaf's config:edit --alias, ConfigAdmin getFactoryConfiguration)
        "tailsrv~web,  ,                                   web",
        // otherwise the PID itself
        "tailsrv.3f2a-41c9,  ,                             tailsrv.3f2a-41c9",
        "tailsrv,      ,                                   tailsrv",
    })
    void nameIsTakenFromTheFileThenThePid(String pid, String fileName, String expected) {
        assertEquals(expected, InstanceNames.of(properties(pid, fileName)));
    }

    @Test
    void sourceIsTheFileWhenThereIsOne() {
        assertEquals("file:/etc/tailsrv/tailsrv-web.cfg",
                InstanceNames.source(properties("tailsrv~web", "file:/etc/tailsrv/tailsrv-web.cfg")));
    }

    @Test
    void sourceIsThePidOtherwise() {
        assertEquals("configuration tailsrv~web", InstanceNames.source(properties("tailsrv~web", null)));
    }
}
