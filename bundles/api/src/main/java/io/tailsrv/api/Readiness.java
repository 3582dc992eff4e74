package io.tailsrv.api;

/**
 * Start-up as a whole is complete: the launcher knows which instances its
 * run starts and, once every one of them listens (or waits for its file, or
 * has failed), registers an OSGi condition
 * ({@code org.osgi.service.condition.Condition}) with
 * {@code osgi.condition.id} = {@value #CONDITION_ID}. A component that must
 * not act before that (the systemd bundle's {@code READY=1}) references the
 * condition, as Felix Health Checks' {@code SystemReady} does.
 */
public final class Readiness {

    /** The {@code osgi.condition.id} of the condition the launcher registers. */
    public static final String CONDITION_ID = "tailsrv.ready";

    /** A service filter that matches that condition. */
    public static final String CONDITION_FILTER =
            "(&(objectClass=org.osgi.service.condition.Condition)(osgi.condition.id=" + CONDITION_ID + "))";

    private Readiness() {
    }
}
