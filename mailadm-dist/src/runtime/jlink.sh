#!/usr/bin/env bash
# Builds mailadm's own Java runtime with jlink: only the modules mailadm uses, stripped, with the
# JDK's default class-data archive. The release archive ships it as runtime/ (the launcher prefers
# it), the container image as /opt/java.
#
# Usage: jlink.sh OUT   (OUT is replaced)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1

# The JDK: the same search as the launchers, which need a JDK with jlink here.
MAILADM_HOME=
# shellcheck source=../main/dist/lib/launcher.sh
. "$HERE/../main/dist/lib/launcher.sh"
mailadm_find_java
JDK=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
[ -x "$JDK/bin/jlink" ] || { echo "jlink.sh: $JDK has no jlink; install a full JDK 21+" >&2; exit 1; }

# From `jdeps -s` over every jar in lib/ (java.security.* for Jakarta Mail's SASL, jdk.crypto.ec
# for TLS to mailcow on older JDKs); jdk.httpserver for the stand-in mailcow of the commands'
# class-data training (AotTraining).
MODULES=java.base,java.logging,java.sql,java.desktop,java.xml,java.net.http,java.management,jdk.management
MODULES=$MODULES,java.naming,java.security.sasl,java.security.jgss,jdk.unsupported,jdk.crypto.ec,jdk.charsets
MODULES=$MODULES,jdk.httpserver

rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive --output "$OUT" >/dev/null
# Headless only: without these the runtime needs no X11 or ALSA libraries.
rm -f "$OUT"/lib/libawt_xawt.so "$OUT"/lib/libsplashscreen.so "$OUT"/lib/libjsound.so
# The class-data archive for heaps over 32 GB (no compressed oops): mailadm never runs with one.
rm -f "$OUT"/lib/server/classes_nocoops.jsa
echo "runtime: Java $("$OUT/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1), $(du -sh "$OUT" | cut -f1) in $OUT"
