#!/usr/bin/env bash
# Builds the test guest of LibvirtNoLostWriteTest: Debian's kernel (downloaded and extracted, never installed)
# and a busybox-static initramfs whose /init (guest-init beside this script) writes numbered, fsync'ed 4 KiB
# records to /dev/vda and prints "ACK <n>" on the serial console after each fsync returned.
# Idempotent: a cache that matches this script and guest-init is reused. Prints the cache directory.
# Needs root-free tools only (apt-get download, dpkg-deb, cpio, gzip) and /bin/busybox from busybox-static.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${JCINDER_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jcinder-guest}"
stamp="$(cat "$0" "$here/guest-init" | sha256sum | cut -d' ' -f1)"
if [ -s "$cache/vmlinuz" ] && [ -s "$cache/initrd.img" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$cache"
  exit 0
fi
busybox_bin=/bin/busybox
if [ ! -x "$busybox_bin" ] || [[ "$(ldd "$busybox_bin" 2>&1 || true)" != *"not a dynamic"* ]]; then
  echo "build-guest.sh: $busybox_bin is missing or not static (apt-get install busybox-static)" >&2
  exit 1
fi
command -v cpio >/dev/null || { echo "build-guest.sh: cpio is missing (apt-get install cpio)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt-get download runs as _apt and must write here
cd "$work"
# linux-image-amd64 is a metapackage: download the versioned image package it depends on.
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
if [ -z "$pkg" ]; then
  apt-get update -qq
  pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
fi
apt-get download -qq "$pkg" >&2
dpkg-deb -x ./linux-image-*.deb kernel
ver="$(ls kernel/lib/modules | head -1)"

mkdir -p root/bin root/dev root/proc root/sys root/lib/modules
cp "$busybox_bin" root/bin/busybox
ln -s busybox root/bin/sh
# The virtio stack in load order; a module the kernel has built in is simply absent.
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
  ko="$(find "kernel/lib/modules/$ver" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -1)"
  [ -n "$ko" ] || continue
  case "$ko" in
    *.xz) xz -dc "$ko" > "root/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$ko" > "root/lib/modules/$m.ko" ;;
    *) cp "$ko" "root/lib/modules/$m.ko" ;;
  esac
done
install -m 755 "$here/guest-init" root/init

mkdir -p "$cache"
cp "kernel/boot/vmlinuz-$ver" "$cache/vmlinuz.new"
(cd root && find . | cpio -o -H newc --quiet | gzip -1) > "$cache/initrd.img.new"
mv "$cache/vmlinuz.new" "$cache/vmlinuz"
mv "$cache/initrd.img.new" "$cache/initrd.img"
echo "$pkg" > "$cache/kernel-package"
echo "$stamp" > "$cache/stamp"
echo "$cache"
