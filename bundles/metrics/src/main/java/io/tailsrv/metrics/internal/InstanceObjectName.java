package io.tailsrv.metrics.internal;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** {@code io.tailsrv:type=Instance,name=NAME}, with NAME quoted when an ObjectName needs it. */
final class InstanceObjectName {

    static final String DOMAIN = "io.tailsrv";

    /** What an unquoted ObjectName value may not hold. */
    private static final String SPECIAL = ",=:\"*?\n";

    private InstanceObjectName() {
    }

    static ObjectName of(String name) {
        try {
            return new ObjectName(DOMAIN + ":type=Instance,name=" + value(name));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("a quoted name is always valid", e);
        }
    }

    private static String value(String name) {
        boolean plain = !name.isEmpty() && name.chars().noneMatch(c -> SPECIAL.indexOf(c) >= 0);
        return plain ? name : ObjectName.quote(name);
    }
}
