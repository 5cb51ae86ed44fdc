#!/usr/bin/env bash
# Builds small seed inputs for the fuzz targets in OUT/partitions, OUT/ext4 and OUT/ntfs (no mounting).
# Usage: Fuzz/make-corpus.sh OUT
set -euo pipefail
out=$1
export PATH="$PATH:/sbin:/usr/sbin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/partitions" "$out/ext4" "$work/src/folder"
echo "hello" >"$work/src/hello.txt"
head -c 3000 /dev/zero | tr '\0' 'a' >"$work/src/folder/text.txt"
ln -s hello.txt "$work/src/link"
for index in $(seq 1 40); do echo "$index" >"$work/src/folder/f$index"; done
mkfs.ext4 -q -F -b 1024 -N 64 -O ^has_journal,^resize_inode -d "$work/src" "$out/ext4/extents.img" 160K
mkfs.ext4 -q -F -b 1024 -N 64 -t ext3 -O ^has_journal,^resize_inode -d "$work/src" "$out/ext4/blockmap.img" 160K
mkfs.ext4 -q -F -b 1024 -N 64 -O ^has_journal,^resize_inode,inline_data -d "$work/src" "$out/ext4/inline.img" 160K
truncate -s 128K "$out/partitions/gpt.img"
sgdisk -a 8 -n 1:40:+20K -n 2:0:+10K "$out/partitions/gpt.img" >/dev/null
truncate -s 64K "$out/partitions/mbr.img"
printf 'label: dos\nstart=1, size=20, type=83\nstart=30, type=5\nstart=32, size=10, type=83\nstart=50, size=10, type=7\n' |
    sfdisk -q "$out/partitions/mbr.img" >/dev/null 2>&1 || true
cp "$out/ext4/extents.img" "$out/partitions/whole-disk.img"
"$(dirname "$0")/FileRestoreFuzzNTFS/make-seeds.sh" "$out/ntfs" >/dev/null
