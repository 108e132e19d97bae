#!/usr/bin/env bash
# Builds mailadm's Debian package from the unpacked release archive: the same layout install.sh
# makes (/opt/mailadm with its own Java runtime, /etc/mailadm/mailadm.env, the systemd units), plus
# /usr/bin links, the mailadm system user and the data folder, made by postinst. Upgrades keep
# /etc/mailadm (a conffile) and /var/lib/mailadm (the database is never part of the package).
#
# Usage: build-deb.sh DIST_DIR OUT.deb PROJECT_VERSION [REVISION]
#   The Debian version is PROJECT_VERSION with -SNAPSHOT as ~snapshot (sorting before the release),
#   then -REVISION (default 1): 0.1.0-SNAPSHOT gives 0.1.0~snapshot-1.
set -euo pipefail
DIST=$(cd "$1" && pwd)
OUT=$2
VERSION="$(echo "$3" | sed 's/-SNAPSHOT$/~snapshot/')-${4:-1}"
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb.sh: dpkg-deb not found: no .deb built (apt-get install dpkg-dev, or -Dmailadm.deb.skip=true)" >&2
  exit 0
fi
if [ ! -x "$DIST/runtime/bin/java" ]; then
  echo "build-deb.sh: $DIST has no runtime/ (built with -Dmailadm.runtime.skip): no .deb built" >&2
  exit 0
fi

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PREFIX=/opt/mailadm
mkdir -p "$STAGE$PREFIX" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" "$STAGE/etc/mailadm" "$STAGE/DEBIAN"
for d in bin lib runtime docs examples systemd; do
  cp -a "$DIST/$d" "$STAGE$PREFIX/"
done
cp "$DIST/README.md" "$STAGE$PREFIX/"
ln -s "$PREFIX/bin/mailadm" "$STAGE/usr/bin/mailadm"
ln -s "$PREFIX/bin/mailadm-server" "$STAGE/usr/bin/mailadm-server"
for u in mailadm.service mailadm-prune.service mailadm-prune.timer; do
  sed -e "s|@PREFIX@|$PREFIX|g" "$DIST/systemd/$u" > "$STAGE/lib/systemd/system/$u"
done
cp "$HERE/mailadm.env" "$STAGE/etc/mailadm/mailadm.env"
chmod -R u=rwX,go=rX "$STAGE$PREFIX" "$STAGE/lib" "$STAGE/etc"

SIZE=$(du -sk "$STAGE" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@SIZE@|$SIZE|" "$HERE/control" > "$STAGE/DEBIAN/control"
echo /etc/mailadm/mailadm.env > "$STAGE/DEBIAN/conffiles"
install -m 0755 "$HERE/postinst" "$STAGE/DEBIAN/postinst"
install -m 0755 "$HERE/prerm" "$STAGE/DEBIAN/prerm"
mkdir -p "$(dirname "$OUT")"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "deb: $OUT ($(du -h "$OUT" | cut -f1), version $VERSION)"
