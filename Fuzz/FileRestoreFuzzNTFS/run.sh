#!/usr/bin/env bash
# Builds the NTFS fuzz target with libFuzzer and runs it for a bounded time.
# Usage: Fuzz/FileRestoreFuzzNTFS/run.sh [SECONDS]   (default 300; a separate scratch path keeps the
# sanitized build away from the normal one)
set -euo pipefail
seconds=${1:-300}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scratch=.build/fuzz
corpus=$scratch/corpus-ntfs
if [[ ! -s $corpus/seed-volume ]]; then Fuzz/FileRestoreFuzzNTFS/make-seeds.sh "$corpus"; fi
# lld: gold fails on libFuzzer's objects; release: debug code runs the fuzzer several times slower.
swift build -c release --scratch-path "$scratch" --product FileRestoreFuzzNTFS \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
mkdir -p "$scratch/artifacts-ntfs"
"$scratch/release/FileRestoreFuzzNTFS" "$corpus" -max_len=2097152 -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$scratch/artifacts-ntfs/"
