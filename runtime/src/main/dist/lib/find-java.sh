# Sourced by the scripts in bin/, which then call: find_java NAME
#
# Sets java to $JAVA_HOME/bin/java if JAVA_HOME is set, else the java on
# $PATH, and version to its feature version (17, 21, ...; empty if unknown);
# exits 1 with a message starting "NAME: " if there is none, or it is older
# than 17.

find_java() {
    if [ -n "$JAVA_HOME" ]; then
        java="$JAVA_HOME/bin/java"
    else
        java=$(command -v java || true)
    fi
    if [ -z "$java" ] || [ ! -x "$java" ]; then
        echo "$1: no Java found: install a JDK 17 or newer, or set JAVA_HOME" >&2
        exit 1
    fi

    # The JDK's release file names its version without starting a JVM (start-up time matters).
    java_home=$(dirname "$(dirname "$(readlink -f "$java")")")
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)
    if [ -z "$version" ]; then
        version=$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
    fi
    if [ -n "$version" ] && [ "$version" -lt 17 ]; then
        echo "$1: Java $version at $java is too old: $1 needs Java 17 or newer" >&2
        exit 1
    fi
}
