#!/bin/sh
# Example installation of the mailadm archive on a systemd machine. Read it, adapt it to your
# distribution's conventions; it does only what is written here:
#
#   1. copies this unpacked archive to PREFIX (default /opt/mailadm) and links bin/mailadm and
#      bin/mailadm-server into /usr/local/bin;
#   2. creates the system user and group `mailadm` (no login shell, home = the data folder);
#   3. creates the data folder (default /var/lib/mailadm, mode 0750, owned by mailadm); the database
#      created there by `mailadm init` is mode 0600 (it holds the mailcow API key);
#   4. writes /etc/mailadm/mailadm.env (mode 0640, root:mailadm) unless it exists;
#   5. installs mailadm.service, mailadm-prune.service and mailadm-prune.timer, and reloads systemd.
#
# Usage: sudo ./install.sh [--prefix DIR] [--data DIR] [--root DIR]
#   --root DIR  install into DIR as if it were / (for packaging and for tests); needs
#               DIR/etc/passwd and DIR/etc/group; systemd is not reloaded.
# Nothing is started: the script prints the next steps.
set -eu

PREFIX=/opt/mailadm
DATA=/var/lib/mailadm
ROOT=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --root) ROOT=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$PREFIX$DATA" in *[!A-Za-z0-9/._-]*) echo "install.sh: use plain paths for --prefix and --data" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it creates a user and system folders)" >&2; exit 1; }
SRC=$(cd "$(dirname "$0")" && pwd)
[ -x "$SRC/bin/mailadm" ] || { echo "install.sh: run it from the unpacked mailadm archive" >&2; exit 1; }

# The prefix is mailadm's own folder: refuse one that holds anything else (/usr/local, say).
if [ -d "${ROOT}${PREFIX}" ] && [ -n "$(ls -A "${ROOT}${PREFIX}" 2>/dev/null)" ] && [ ! -f "${ROOT}${PREFIX}/lib/launcher.sh" ]; then
  echo "install.sh: ${ROOT}${PREFIX} exists and is not a mailadm installation; choose an empty --prefix (default /opt/mailadm)" >&2
  exit 2
fi
echo "installing mailadm into ${ROOT}${PREFIX}"
mkdir -p "${ROOT}${PREFIX}"
for d in bin lib runtime docs systemd examples; do
  rm -rf "${ROOT}${PREFIX:?}/$d"
  [ -d "$SRC/$d" ] && cp -R "$SRC/$d" "${ROOT}${PREFIX}/$d"
done
cp "$SRC/README.md" "${ROOT}${PREFIX}/" 2>/dev/null || true
chmod -R u=rwX,go=rX "${ROOT}${PREFIX}"
mkdir -p "${ROOT}/usr/local/bin"
ln -sf "$PREFIX/bin/mailadm" "${ROOT}/usr/local/bin/mailadm"
ln -sf "$PREFIX/bin/mailadm-server" "${ROOT}/usr/local/bin/mailadm-server"

# The system user. With --root, useradd --prefix edits DIR/etc/passwd instead of the host's.
if ! grep -q '^mailadm:' "${ROOT}/etc/passwd" 2>/dev/null; then
  if [ -n "$ROOT" ]; then
    groupadd --prefix "$ROOT" --system mailadm
    useradd --prefix "$ROOT" --system --gid mailadm --home-dir "$DATA" --no-create-home \
      --shell /usr/sbin/nologin --comment "mailadm" mailadm
  else
    groupadd --system mailadm 2>/dev/null || true
    useradd --system --gid mailadm --home-dir "$DATA" --no-create-home \
      --shell /usr/sbin/nologin --comment "mailadm" mailadm
  fi
fi
UID_=$(awk -F: '$1 == "mailadm" { print $3 }' "${ROOT}/etc/passwd")
GID_=$(awk -F: '$1 == "mailadm" { print $3 }' "${ROOT}/etc/group")

mkdir -p "${ROOT}${DATA}" "${ROOT}/var/cache/mailadm"
chown "$UID_:$GID_" "${ROOT}${DATA}" "${ROOT}/var/cache/mailadm"
chmod 0750 "${ROOT}${DATA}"
chmod 0750 "${ROOT}/var/cache/mailadm"

mkdir -p "${ROOT}/etc/mailadm"
if [ ! -f "${ROOT}/etc/mailadm/mailadm.env" ]; then
  cat > "${ROOT}/etc/mailadm/mailadm.env" <<ENV
# mailadm's environment (docs/configuration.md). The mailcow settings live in the database,
# written by \`mailadm init\`.
MAILADM_DB=$DATA/mailadm.db
# \`mailadm\` run by root runs as this user, so the files it creates belong to it.
MAILADM_USER=mailadm
MAILADM_BIND=127.0.0.1
MAILADM_PORT=3691
# nginx's address, when it is not on this machine:
#MAILADM_TRUSTED_PROXIES=127.0.0.1,::1
ENV
fi
chown "0:$GID_" "${ROOT}/etc/mailadm/mailadm.env"
chmod 0640 "${ROOT}/etc/mailadm/mailadm.env"

UNITS="${ROOT}/etc/systemd/system"
mkdir -p "$UNITS"
for u in mailadm.service mailadm-prune.service mailadm-prune.timer; do
  sed -e "s|@PREFIX@|$PREFIX|g" -e "s|/var/lib/mailadm|$DATA|g" "$SRC/systemd/$u" > "$UNITS/$u"
  chmod 0644 "$UNITS/$u"
done
if [ -z "$ROOT" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi

# The class-data archives for this host's runtime, now, so that the operator's first command is as
# fast as the next ones (the launcher would otherwise train each in the background at first use).
# Run as root, the launcher reads mailadm.env and trains as the mailadm user into /var/cache/mailadm.
if [ -z "$ROOT" ]; then
  echo "preparing start-up archives for this machine (once; about half a minute)..."
  for cmd in "mailadm --version" "mailadm list-users --help" "mailadm-server --version"; do
    # shellcheck disable=SC2086
    MAILADM_USER=mailadm MAILADM_TRAIN=foreground MAILADM_CACHE=/var/cache/mailadm "$PREFIX"/bin/$cmd >/dev/null 2>&1 || true
  done
fi

cat <<NEXT
mailadm installed. Next, as root (mailadm reads /etc/mailadm/mailadm.env and runs as the mailadm user):
  mailadm init --web-endpoint https://YOUR.HOST/new_email \\
      --mail-domain YOUR.DOMAIN --mailcow-endpoint https://YOUR.MAILCOW/api/v1/ --mailcow-token KEY
  systemctl enable --now mailadm.service mailadm-prune.timer
  mailadm add-token oneday --expiry 1d --prefix tmp.
Then put nginx with HTTPS in front (examples/nginx-mailadm.conf, docs/nginx.md).
NEXT
