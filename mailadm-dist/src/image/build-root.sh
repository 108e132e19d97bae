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

# The JDK: the same search as the launchers.
MAILADM_HOME=
# shellcheck source=../main/dist/lib/launcher.sh
. "$HERE/../main/dist/lib/launcher.sh"
mailadm_find_java
JDK=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
[ -x "$JDK/bin/jlink" ] || { echo "build-root.sh: $JDK has no jlink; install a full JDK 21+" >&2; exit 1; }

# From `jdeps -s` over every jar in lib/ (java.security.* for Jakarta Mail's SASL, jdk.crypto.ec
# for TLS to mailcow on older JDKs).
MODULES=java.base,java.logging,java.sql,java.desktop,java.xml,java.net.http,java.management,jdk.management
MODULES=$MODULES,java.naming,java.security.sasl,java.security.jgss,jdk.unsupported,jdk.crypto.ec,jdk.charsets
# jdk.httpserver: the stand-in mailcow of the commands' class-data training (AotTraining).
MODULES=$MODULES,jdk.httpserver

rm -rf "$OUT"
mkdir -p "$OUT/opt" "$OUT/opt/mailadm/bin" "$OUT/opt/mailadm/native" "$OUT/etc" "$OUT/bin" "$OUT/tmp" "$OUT/mailadm/docker-data"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive --output "$OUT/opt/java" >/dev/null

# Headless only: without these the image needs no X11 or ALSA libraries.
rm -f "$OUT"/opt/java/lib/libawt_xawt.so "$OUT"/opt/java/lib/libsplashscreen.so "$OUT"/opt/java/lib/libjsound.so
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
echo "image root: $(du -sh "$OUT" | cut -f1) in $OUT (runtime from $JDK)"
