#!/bin/bash
# Builds the container image's root filesystem, except the jars (Jib layers those itself):
#   /opt/java               a jlink'd Java runtime (only the modules mailadm uses, with a CDS archive)
#   /lib*, /usr/lib*        the glibc files that runtime and the SQLite native library need
#   /bin/sh                 dash, for the launch scripts and `docker exec ... mailadm`
#   /opt/mailadm            launch scripts and the unpacked SQLite native library
#   /etc/passwd, /etc/group root and the unprivileged user mailadm (uid/gid 1000)
#   /mailadm/docker-data    where MAILADM_DB points (mount a volume here)
# Usage: build-root.sh OUTPUT_DIR SQLITE_NATIVE_DIR
# Runs on Linux x86_64 or aarch64 with a JDK 21+ (jlink from its run-time image, no jmods needed on 24+).
set -euo pipefail
OUT=$1
NATIVE=$2
HERE=$(cd "$(dirname "$0")" && pwd)

rm -rf "$OUT"
mkdir -p "$OUT/opt" "$OUT/opt/mailadm/bin" "$OUT/opt/mailadm/native" "$OUT/etc" "$OUT/bin" "$OUT/tmp" "$OUT/mailadm/docker-data"
# The runtime: the archive's (runtime/jlink.sh), copied, or built here when there is none.
if [ -n "${RUNTIME:-}" ] && [ -x "$RUNTIME/bin/java" ]; then
  cp -a "$RUNTIME" "$OUT/opt/java"
else
  "$HERE/../runtime/jlink.sh" "$OUT/opt/java"
fi
cp "$NATIVE/libsqlitejdbc.so" "$OUT/opt/mailadm/native/"
cp /bin/dash "$OUT/bin/sh"
install -m 0755 "$HERE"/bin/* "$OUT/opt/mailadm/bin/"

# Every shared library the runtime, the native library and dash load, at the same paths.
find "$OUT/opt/java" "$OUT/opt/mailadm/native" "$OUT/bin" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | sort -u \
  | while read -r lib; do
      case "$lib" in "$OUT"/*) continue ;; esac  # the runtime's own libraries are there already
      mkdir -p "$OUT$(dirname "$lib")"
      cp -L "$lib" "$OUT$lib"
    done

cat > "$OUT/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
mailadm:x:1000:1000:mailadm:/mailadm/docker-data:/bin/sh
PASSWD
cat > "$OUT/etc/group" <<GROUP
root:x:0:
mailadm:x:1000:
GROUP
echo "image root: $(du -sh "$OUT" | cut -f1) in $OUT"
