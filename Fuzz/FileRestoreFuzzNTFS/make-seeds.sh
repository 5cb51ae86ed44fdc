#!/usr/bin/env bash
# Builds the seed corpus of the NTFS fuzz target with ntfs-3g's tools (no mounting): a small volume with
# resident, non-resident, sparse and fragmented files and a folder index with index records.
# Usage: Fuzz/FileRestoreFuzzNTFS/make-seeds.sh CORPUS_DIR
set -euo pipefail
corpus=${1:?usage: make-seeds.sh CORPUS_DIR}
mkdir -p "$corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image="$work/seed.img"
truncate -s 2M "$image"
mkntfs -F -f -q -c 512 "$image" >/dev/null 2>&1
printf 'hello\n' > "$work/tiny"
head -c 3000 /dev/urandom > "$work/small"
: > "$work/empty"
ntfscp -q "$image" "$work/tiny" tiny.txt
ntfscp -q "$image" "$work/small" small.bin
for index in $(seq 1 40); do ntfscp -q "$image" "$work/tiny" "name number $index in the root folder.txt"; done
ntfscp -q "$image" "$work/empty" frag.bin
ntfscp -q "$image" "$work/empty" gap.bin
for index in 0 1 2 3 4 5; do
    ntfsfallocate -l 512 -o $((index * 512)) "$image" frag.bin >/dev/null 2>&1
    ntfsfallocate -l 512 -o $((index * 512)) "$image" gap.bin >/dev/null 2>&1
done
ntfscp -q "$image" "$work/small" sparse.bin
inode=$(ntfsinfo -F sparse.bin "$image" 2>/dev/null | sed -n 's/^Dumping Inode \([0-9]*\).*/\1/p')
ntfstruncate -q "$image" "$inode" 0x80 100000 >/dev/null 2>&1
# The seed keeps the image up to its last non-zero byte; the fuzz target reads the rest as zeros.
python3 - "$image" "$corpus/seed-volume" <<'PY'
import sys
data = open(sys.argv[1], "rb").read().rstrip(b"\0")
open(sys.argv[2], "wb").write(data)
PY
echo "seed: $(wc -c < "$corpus/seed-volume") bytes in $corpus"
