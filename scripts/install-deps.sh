#!/usr/bin/env bash
# Installs the Debian packages a Nimbus command needs, only when one is missing.
# Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail

packages=(libzstd-dev libsqlite3-dev pkg-config python3 python3-venv)
if [[ "${1:-build}" == "test" ]]; then
    # The file-level restore tests build disk images with these (mkfs.ext4, sgdisk, sfdisk;
    # mkntfs, ntfscp, ntfsfallocate and ntfstruncate for NTFS).
    packages+=(e2fsprogs gdisk fdisk ntfs-3g)
fi
if [[ "${1:-build}" == "bench" ]]; then
    packages+=(restic borgbackup time curl)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if (( ${#missing[@]} > 0 )); then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    if [[ "$(id -u)" != "0" ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
