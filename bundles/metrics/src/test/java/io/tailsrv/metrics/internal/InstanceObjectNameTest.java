package io.tailsrv.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

class InstanceObjectNameTest {

    @Test
    void aPlainNameAsItIs() {
        ObjectName name = InstanceObjectName.of("access.log");
        assertEquals("io.tailsrv:type=Instance,name=access.log", name.toString());
        assertEquals("access.log", name.getKeyProperty("name"));
    }

    @Test
    void aNameAnObjectNameCannotHoldIsQuoted() throws Exception {
        for (String name : new String[] {"a,b", "a=b", "a:b", "say \"hi\"", "a*", "a?", "two\nlines", ""}) {
            ObjectName objectName = InstanceObjectName.of(name);
            assertEquals(name, ObjectName.unquote(objectName.getKeyProperty("name")), objectName.toString());
            assertEquals(objectName, new ObjectName(objectName.toString()), "the service property parses back");
        }
    }
}
