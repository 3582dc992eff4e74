package io.tailsrv.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFileTest {

    @TempDir
    Path dir;

    @Test
    void theFileNameCarriesTheFactoryPidAndTheName() {
        assertEquals("tailsrv-web_1.log.cfg", CfgFile.fileName("web_1.log"));
    }

    @Test
    void writesKeyEqualsValueLinesInOrder() throws IOException {
        Path written = CfgFile.write(dir, "web", configuration("/var/log/web.log", 8080));
        assertEquals(dir.resolve("tailsrv-web.cfg"), written);
        assertEquals("file = /var/log/web.log\nport = 8080\n", Files.readString(written));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(written), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void neverReplacesAnExistingFile() throws IOException {
        Path existing = Files.writeString(dir.resolve("tailsrv-web.cfg"), "port = 1\n");
        assertThrows(FileAlreadyExistsException.class, () -> CfgFile.write(dir, "web", configuration("/x", 2)));
        assertEquals("port = 1\n", Files.readString(existing));
    }

    @Test
    void valuesReadBackAsWritten() throws IOException {
        String awkward = " C:\\logs\\caf\u00e9 \u4e2d.log";
        Properties read = new Properties();
        read.load(new StringReader(new String(
                CfgFile.text(Map.of("file", awkward)).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1)));
        assertEquals(awkward, read.getProperty("file"));
    }

    @Test
    void plainValuesStayReadable() {
        assertEquals("/var/log/my app.log", CfgFile.escape("/var/log/my app.log"));
        assertEquals("\\ x\\\\y\\u00e9", CfgFile.escape(" x\\y\u00e9"));
    }

    private static Map<String, Object> configuration(String file, int port) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("file", file);
        properties.put("port", port);
        return properties;
    }
}
