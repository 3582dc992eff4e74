package io.tailsrv.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The metatype of configuration {@code io.tailsrv.metrics}, for tools that describe configurations (Karaf's config: commands). */
@ObjectClassDefinition(id = MetricsEndpoint.PID, name = "tailsrv Prometheus metrics",
        description = "GET /metrics in the Prometheus text format, for every tailsrv instance of this framework.")
@interface MetricsConfig {

    @AttributeDefinition(name = "address", required = false,
            description = "HOST:PORT to serve GET /metrics on, for example 127.0.0.1:9100; empty: framework property"
                    + " tailsrv.metrics.address, or else nowhere")
    String address() default "";
}
