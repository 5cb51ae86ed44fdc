#!/usr/bin/env bash
# Builds the file-level restore test images in OUT, without mounting anything:
#   src/           the files the big image holds (the tests compare what they read against them)
#   ext4.img       mkfs.ext4 -d src (extents, htree, 64-bit descriptors)
#   inline.img     mkfs.ext4 -O inline_data -d small
#   ext3.img       mkfs.ext4 -t ext3 -d small (block maps, 32-bit descriptors)
#   gpt.img        a GPT disk with ext4.img in partition 1
#   mbr.img        an MBR disk with a primary partition and ext3.img in logical partition 5
# Usage: make-images.sh OUT
set -euo pipefail
out=$1
export PATH="$PATH:/sbin:/usr/sbin"
src=$out/src
small=$out/small
rm -rf "$src" "$small"
mkdir -p "$src" "$small"

for size in 0 1 59 60 61 1000 4095 4096 4097 65536 100000 1048576 3000001; do
    head -c "$size" /dev/urandom >"$src/size-$size.bin"
done
deep=$src
for level in $(seq 1 30); do deep=$deep/level$level; done
mkdir -p "$deep"
echo "at the bottom" >"$deep/leaf.txt"
truncate -s 20M "$src/sparse.bin"
printf 'head' | dd of="$src/sparse.bin" conv=notrunc status=none
printf 'tail' | dd of="$src/sparse.bin" bs=1 seek=$((15 * 1024 * 1024)) conv=notrunc status=none
ln -s size-1000.bin "$src/fast-link"
ln -s "target/$(printf 'x%.0s' $(seq 1 200))" "$src/slow-link"
ln "$src/size-4096.bin" "$src/hard-link.bin"
mkdir "$src/many"
(cd "$src/many" && for index in $(seq 1 10000); do echo "$index" >"file-$index.txt"; done)
chmod 0640 "$src/size-1.bin"
touch -d '2001-02-03 04:05:06.123456789' "$src/size-1.bin"

echo "tiny" >"$small/tiny.txt"
head -c 150 /dev/urandom >"$small/small.bin"
head -c 70000 /dev/urandom >"$small/medium.bin"
head -c 5000000 /dev/urandom >"$small/large.bin"
mkdir -p "$small/folder/sub"
echo "inside" >"$small/folder/sub/file.txt"
ln -s tiny.txt "$small/link"

mkfs.ext4 -q -F -b 4096 -d "$src" "$out/ext4.img" 96M
mkfs.ext4 -q -F -O inline_data -d "$small" "$out/inline.img" 16M
mkfs.ext4 -q -F -t ext3 -O ^64bit -b 1024 -d "$small" "$out/ext3.img" 16M

truncate -s 128M "$out/gpt.img"
sgdisk -n 1:2048:+100M -t 1:8300 "$out/gpt.img" >/dev/null  # (with -q, sgdisk writes nothing)
dd if="$out/ext4.img" of="$out/gpt.img" bs=1M seek=1 conv=notrunc status=none

truncate -s 40M "$out/mbr.img"
printf 'label: dos\nstart=2048, size=8192, type=83\nstart=12288, type=5\nstart=14336, size=34816, type=83\n' |
    sfdisk -q "$out/mbr.img" >/dev/null
dd if="$out/ext3.img" of="$out/mbr.img" bs=512 seek=14336 conv=notrunc status=none
