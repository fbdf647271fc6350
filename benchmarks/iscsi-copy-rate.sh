#!/bin/bash
# Usage: benchmarks/iscsi-copy-rate.sh [scratch-dir] (root; tgt, qemu-utils, qemu-block-extra). Two private tgtd
# daemons on loopback (control ports 27311/27312, portals 13261/13262), 1 GiB of random data; see docs/multi-host.md.
# Copy rate: local file -> iSCSI export (our cross-host engine) vs iSCSI -> iSCSI (qemu-img between two targets).
set -e
dir=${1:-/tmp/iscsi-bench}; mkdir -p "$dir"; cd "$dir"
truncate -s 0 a.img b.img; truncate -s 1G a.img b.img
dd if=/dev/urandom of=a.img bs=1M count=1024 conv=notrunc status=none
tgtd -f -C 27311 --iscsi portal=127.0.0.1:13261 > ta.log 2>&1 & TA=$!
tgtd -f -C 27312 --iscsi portal=127.0.0.1:13262 > tb.log 2>&1 & TB=$!
sleep 2
tgtadm -C 27311 --lld iscsi --op new --mode target --tid 1 -T iqn.2010-10.org.openstack:bench-a
tgtadm -C 27311 --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b $dir/a.img
tgtadm -C 27311 --lld iscsi --op bind --mode target --tid 1 -I ALL
tgtadm -C 27312 --lld iscsi --op new --mode target --tid 1 -T iqn.2010-10.org.openstack:bench-b
tgtadm -C 27312 --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b $dir/b.img
tgtadm -C 27312 --lld iscsi --op bind --mode target --tid 1 -I ALL
A="driver=raw,file.driver=iscsi,file.transport=tcp,file.portal=127.0.0.1:13261,file.target=iqn.2010-10.org.openstack:bench-a,file.lun=1"
B="driver=raw,file.driver=iscsi,file.transport=tcp,file.portal=127.0.0.1:13262,file.target=iqn.2010-10.org.openstack:bench-b,file.lun=1"
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; local e=$(date +%s.%N); echo "$(echo "1024 / ($e - $s)" | bc -l | cut -c1-6) MiB/s"; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
echo -n "local file -> iSCSI (engine's argv: -n -W -S 0): "; t qemu-img convert -n -W -S 0 --image-opts --target-image-opts "driver=raw,file.driver=file,file.filename=$dir/a.img" "$B"
cmp a.img b.img && echo "  byte for byte"
truncate -s 0 b.img; truncate -s 1G b.img
echo -n "iSCSI -> iSCSI (qemu-img convert -n -W -S 0 between the two targets): "; t qemu-img convert -n -W -S 0 --image-opts --target-image-opts "$A" "$B"
cmp a.img b.img && echo "  byte for byte"
echo -n "iSCSI -> iSCSI (plain qemu-img convert -n): "; t qemu-img convert -n --image-opts --target-image-opts "$A" "$B"
echo -n "local file -> local file (qemu-img convert -n -S 0, reference): "; t qemu-img convert -n -S 0 -f raw -O raw a.img b.img
tgtadm -C 27311 --op delete --mode target --tid 1 --force; tgtadm -C 27312 --op delete --mode target --tid 1 --force
tgtadm -C 27311 --op delete --mode system; tgtadm -C 27312 --op delete --mode system
sleep 1; kill $TA $TB 2>/dev/null || true
rm -f /var/run/tgtd/socket.2731[12]*
uptime
