package io.tailsrv.server.internal;

import java.util.Map;

import io.tailsrv.api.InstanceConfig;

/**
 * How an instance is called in logs and in the console: {@code NAME} of its
 * {@code tailsrv-NAME.cfg} file, or of its {@code tailsrv~NAME} PID, or else
 * the PID itself.
 */
final class InstanceNames {

    /** Set by Felix FileInstall on configurations it read from a file. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private InstanceNames() {
    }

    static String of(Map<String, ?> properties) {
        Object fileName = properties.get(FILEINSTALL_FILENAME);
        if (fileName != null) {
            String base = fileName.toString();
            base = base.substring(base.lastIndexOf('/') + 1);
            if (base.startsWith(InstanceConfig.FACTORY_PID + "-") && base.endsWith(".cfg")) {
                return base.substring(InstanceConfig.FACTORY_PID.length() + 1, base.length() - ".cfg".length());
            }
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    /** Where the configuration came from, for error messages: its file, or its PID. */
    static String source(Map<String, ?> properties) {
        Object fileName = properties.get(FILEINSTALL_FILENAME);
        return fileName != null ? fileName.toString() : "configuration " + properties.get("service.pid");
    }
}
