package io.tailsrv.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype of a {@code tailsrv} factory configuration: one served
 * file/port pair. The values are read and checked by {@link Settings}, which
 * names the property at fault; this type exists so that tools that read
 * metatype (Karaf's config commands, web consoles) can describe them.
 */
@ObjectClassDefinition(
        id = TailServer.FACTORY_PID,
        name = "tailsrv instance",
        description = "Streams one growing file to TCP clients on one port.")
@interface TailsrvConfig {

    @AttributeDefinition(description = "The file to serve.")
    String file();

    @AttributeDefinition(min = "1", max = "65535", description = "The TCP port to listen on.")
    int port();

    @AttributeDefinition(required = false,
            description = "The address to listen on; empty for every interface, IPv4 and IPv6.")
    String bind() default "";

    @AttributeDefinition(required = false,
            description = "Keep serving the open file after it is deleted or moved.")
    boolean linger() default false;

    @AttributeDefinition(name = "header.timeout", required = false, type = AttributeType.DOUBLE, min = "0",
            description = "Seconds a client has to send its offset header.")
    double header_timeout() default 30;

    @AttributeDefinition(name = "max.clients", required = false, min = "0",
            description = "Refuse connections beyond this many; 0 for no limit.")
    int max_clients() default 0;

    @AttributeDefinition(required = false,
            description = "Peers allowed to connect, as CIDR blocks (IPv4 or IPv6); empty for everyone.")
    String[] allow() default {};

    @AttributeDefinition(required = false, description = "false stops the instance without removing it.")
    boolean enabled() default true;
}
