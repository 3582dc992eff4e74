package io.tailsrv.launcher.logging;

/** Where log records go: stderr, or the journal. Called from any thread. */
interface LogSink {

    void write(LogRecord record);
}
