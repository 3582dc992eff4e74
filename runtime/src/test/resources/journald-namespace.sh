#!/bin/sh
# Runs a command beside a private systemd-journald, then dumps that journal.
# Run it in a private mount namespace, as root:
#     unshare --mount --propagation private sh journald-namespace.sh OUT [--no-journald] COMMAND...
# tmpfs over /run/systemd, /run/log and /var/log/journal keeps the host's journal
# (and its socket) out of sight. Once COMMAND exits, every entry the journal holds
# is written to OUT as `journalctl -o json`, and this script exits with COMMAND's status.
# With --no-journald, no journald runs: /run/systemd/journal/socket does not exist.
set -eu

fail() {
    echo "journald-namespace: $*" >&2
    exit 125
}

out=$1
shift
journald=yes
if [ "${1:-}" = "--no-journald" ]; then
    journald=no
    shift
fi

hide() {
    mkdir -p "$1"
    mount -t tmpfs tmpfs "$1" || fail "cannot mount a tmpfs on $1 (root, in a private mount namespace, is needed)"
}
hide /run/systemd
hide /run/log
[ ! -d /var/log/journal ] || hide /var/log/journal

if [ "$journald" = no ]; then
    exec "$@"
fi

[ -x /lib/systemd/systemd-journald ] || fail "no /lib/systemd/systemd-journald: install Debian's systemd package"
# The notification socket is the command's: journald would announce itself there too.
env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID /lib/systemd/systemd-journald &
journald_pid=$!
trap 'kill "$journald_pid" 2>/dev/null || true' EXIT
tries=0
while [ ! -S /run/systemd/journal/socket ]; do
    tries=$((tries + 1))
    [ "$tries" -le 200 ] || fail "systemd-journald did not create /run/systemd/journal/socket within 10 s"
    kill -0 "$journald_pid" 2>/dev/null || fail "systemd-journald exited at start"
    sleep 0.05
done

status=0
"$@" || status=$?

# journald reads its sockets asynchronously: --sync returns once everything sent before is stored.
journalctl --sync || fail "journalctl --sync failed"
journalctl --directory=/run/log/journal --output=json --all --no-pager > "$out"
kill "$journald_pid"
wait "$journald_pid" || true
exit "$status"
