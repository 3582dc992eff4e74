package io.tailsrv.shell.internal;

import picocli.CommandLine.Parameters;

/** The one argument of the commands that act on one instance. */
class InstanceArgument {

    @Parameters(paramLabel = "NAME", description = "the instance, as tailsrv:list names it")
    String name;
}
