#!/usr/bin/env bash
# Runs compare.py RUNS times against the built runtime, then writes the medians
# as OUTDIR/table.md and OUTDIR/chart.svg (report.py). Each run's printed table
# is kept in OUTDIR/run-N.txt, its figures in OUTDIR/run-N.json.
#
#   runtime/bench-report/run.sh [RUNS=3] [OUTDIR=runtime/target/bench-report] [compare.py options...]
#
# Without a --server among the options, the column is tailsrv serving one file
# (bin/tailsrv -p {port} {file}); with them, those columns only.
#
# compare.py is ../shared/bench/compare.py beside the repository, or $COMPARE.
# Needs the runtime built: mvn -B package -DskipTests
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
outdir=${2:-$root/runtime/target/bench-report}
shift $(( $# < 2 ? $# : 2 ))

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
cd "$root"
compare=${COMPARE:-../shared/bench/compare.py}
tailsrv=runtime/target/tailsrv/bin/tailsrv
[ -f "$compare" ] || { echo "run.sh: no $compare (set COMPARE)" >&2; exit 1; }
[ -x "$tailsrv" ] || { echo "run.sh: no $tailsrv: build it with mvn -B package -DskipTests" >&2; exit 1; }

servers=(--server "tailsrv=$tailsrv -p {port} {file}")
for arg in "$@"; do
    if [ "$arg" = --server ]; then
        servers=()
    fi
done
results=()
for i in $(seq 1 "$runs"); do
    echo "== run $i of $runs" >&2
    python3 "$compare" --json "$outdir/run-$i.json" "${servers[@]}" "$@" | tee "$outdir/run-$i.txt"
    results+=("$outdir/run-$i.json")
done
python3 "$here/report.py" "${results[@]}" --svg "$outdir/chart.svg" --markdown "$outdir/table.md"
echo "run.sh: $outdir/table.md and $outdir/chart.svg" >&2
