# mailadm's launcher, sourced by bin/mailadm and bin/mailadm-server (POSIX sh).
#
# Expects MAILADM_HOME (the installed distribution) and MAILADM_MAIN (the main class). Then:
# - finds a Java 21 or newer: $MAILADM_JAVA, the runtime the archive carries ($MAILADM_HOME/runtime),
#   $JAVA_HOME, the newest under /usr/lib/jvm (or the folders in $MAILADM_JVM_DIRS), `java` on the
#   PATH; says clearly when there is none;
# - loads the SQLite native library shipped unpacked in lib/native (no extraction at every start);
# - tunes the JVM for the role: a command runs for well under a second, the server (and `web`,
#   `demo`) for days;
# - uses a class-data archive per role (JDK 25+: AOT cache, 21-24: AppCDS), keyed to the jars and
#   the JDK so a stale archive is never used. An AOT cache loads every class it holds at each start,
#   so each role has one trained once on just what it does: commands that stay local (tokens,
#   QR codes, the audit log) and commands that call mailcow on org.mailadm.cli.AotTraining (the
#   usual commands against a throwaway database and a stand-in mailcow), the server (and `web`,
#   `demo`) on `mailadm demo --exit`. Archives live in $MAILADM_CACHE, by default
#   $MAILADM_HOME/cache when writable, else /var/cache/mailadm when writable (install.sh makes it
#   for the mailadm user), else ~/.cache/mailadm.
#   MAILADM_JVM_CACHE=0 turns it off.
# - reads the installed configuration, /etc/mailadm/mailadm.env (or $MAILADM_CONFIG): its NAME=value
#   lines become environment variables unless the environment already sets them; when it names
#   MAILADM_USER and the launcher runs as root, it runs the program as that user (setpriv), so the
#   files it creates belong to that user.
# MAILADM_JAVA_OPTS adds JVM options (for example -Xmx256m).

# Every step below uses shell built-ins where it can: each program started costs a command about a
# millisecond, and a command should start in a quarter of a second.

# Sets _v to a JDK's major version, from its release file (no JVM start), else from `java -version`.
mailadm_java_version() {
  _v=""
  _release="${1%/bin/java}/release"
  if [ "$_release" != "$1/release" ] && [ -f "$_release" ]; then
    while IFS= read -r _line || [ -n "$_line" ]; do
      case "$_line" in
        JAVA_VERSION=*) _v=${_line#JAVA_VERSION=}; _v=${_v#\"}; _v=${_v%%[!0-9]*}; break ;;
      esac
    done < "$_release"
  else
    _v=$("$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
}

# Uses $1 when it is a Java 21 or newer: sets JAVA and JAVA_MAJOR.
mailadm_try_java() {
  [ -n "$1" ] && [ -x "$1" ] || return 1
  mailadm_java_version "$1"
  [ -n "$_v" ] && [ "$_v" -ge 21 ] || return 1
  JAVA="$1"
  JAVA_MAJOR="$_v"
}

# Sets JAVA and JAVA_MAJOR, or explains and exits 1.
mailadm_find_java() {
  JAVA=""
  for _c in "${MAILADM_JAVA:-}" "${MAILADM_HOME:+$MAILADM_HOME/runtime/bin/java}" "${JAVA_HOME:+$JAVA_HOME/bin/java}"; do
    mailadm_try_java "$_c" && return 0
  done
  # The newest JDK in the JVM folders.
  _best=""
  _best_v=0
  for _d in ${MAILADM_JVM_DIRS:-/usr/lib/jvm}; do
    for _c in "$_d"/*/bin/java; do
      [ -x "$_c" ] || continue
      mailadm_java_version "$_c"
      if [ -n "$_v" ] && [ "$_v" -gt "$_best_v" ]; then _best="$_c"; _best_v="$_v"; fi
    done
  done
  mailadm_try_java "$_best" && return 0
  mailadm_try_java "$(command -v java 2>/dev/null || true)" && return 0
  echo "mailadm: no Java 21 or newer found (looked at MAILADM_JAVA, JAVA_HOME, /usr/lib/jvm and the PATH)." >&2
  echo "mailadm: the release archive brings its own in runtime/ (Linux x86_64); without it, install one (Temurin 21+;" >&2
  echo "mailadm: openjdk-21-jre-headless where your distribution has it, not on Debian 12) or set MAILADM_JAVA." >&2
  exit 1
}

# Exports the NAME=value lines of the configuration file that the environment does not set already.
# Only lines of that form count (no shell is run: the file is data); quotes around a value are removed.
mailadm_read_config() {
  _conf="${MAILADM_CONFIG:-/etc/mailadm/mailadm.env}"
  # read once: after dropping root, the file may be root's alone
  [ -z "${MAILADM_CONFIG_READ:-}" ] || return 0
  if [ ! -r "$_conf" ]; then
    if [ -n "${MAILADM_CONFIG:-}" ]; then
      echo "mailadm: cannot read MAILADM_CONFIG=$_conf (is it there, and readable by $(id -un)?)" >&2
      exit 1
    fi
    if [ -e "$_conf" ] && [ -z "${MAILADM_DB:-}" ]; then
      echo "mailadm: $_conf is not readable by $(id -un): run as root or as the mailadm user, or set MAILADM_DB" >&2
    fi
    return 0
  fi
  while IFS= read -r _line || [ -n "$_line" ]; do
    case "$_line" in
      [A-Za-z_]*=*) ;;
      *) continue ;;
    esac
    _name=${_line%%=*}
    case "$_name" in *[!A-Za-z0-9_]*) continue ;; esac
    eval "_isset=\${$_name+x}"
    # the environment wins; within the file, the last line wins (as systemd's EnvironmentFile)
    case " ${_fromfile:-} " in *" $_name "*) ;; *) [ -z "$_isset" ] || continue ;; esac
    _fromfile="${_fromfile:-} $_name"
    _value=${_line#*=}
    # CRLF files and trailing blanks, as systemd reads them
    _value=${_value%"$(printf '\r')"}
    while :; do case "$_value" in *[" 	"]) _value=${_value%?} ;; *) break ;; esac; done
    case "$_value" in
      \"*\") _value=${_value#\"}; _value=${_value%\"} ;;
      \'*\') _value=${_value#\'}; _value=${_value%\'} ;;
    esac
    export "$_name=$_value"
  done < "$_conf"
  export MAILADM_CONFIG_READ=1
}

# As root with MAILADM_USER set (install.sh sets it to mailadm): runs this launcher again as that user.
mailadm_drop_root() {
  [ -n "${MAILADM_USER:-}" ] && [ "$(id -u)" = 0 ] || return 0
  if ! _uid=$(id -u "$MAILADM_USER" 2>/dev/null); then
    echo "mailadm: MAILADM_USER=$MAILADM_USER (from $_conf) is no user on this machine" >&2
    exit 1
  fi
  [ "$_uid" != 0 ] || return 0
  if ! command -v setpriv >/dev/null 2>&1; then
    echo "mailadm: running as root, and setpriv (util-linux) is missing to run as $MAILADM_USER; run as $MAILADM_USER" >&2
    exit 1
  fi
  exec setpriv --reuid="$_uid" --regid="$(id -g "$MAILADM_USER")" --init-groups -- "${_self:-$0}" "$@"
}

mailadm_run() {
  mailadm_read_config
  mailadm_drop_root "$@"
  mailadm_find_java
  _lib="$MAILADM_HOME/lib"
  # mailadm's own jars first: a resource lookup (simplelogger.properties, in mailadm-cli) then stops
  # at the first jar instead of opening every jar on the class path, ~40 ms of a command.
  CP=""
  for _j in "$_lib"/mailadm-*.jar; do CP="${CP:+$CP:}$_j"; done
  for _j in "$_lib"/*.jar; do
    case "$_j" in "$_lib"/mailadm-*) ;; *) CP="${CP:+$CP:}$_j" ;; esac
  done
  # Each command declares its role (Command.role() in mailadm-cli); CommandRolesTest checks these lists.
  case "$MAILADM_MAIN:${1:-}" in
    org.mailadm.http.HttpMain:* | *:web | *:demo) _role=server ;;
    *:add-user | *:del-user | *:list-users | *:prune | *:reconcile | *:restore | *:del-token) _role=mailcow ;;
    *) _role=local ;;
  esac
  # A small GC everywhere. A larger HTTP client buffer reads big mailcow listings with fewer wake-ups.
  FLAGS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djava.awt.headless=true -Djdk.httpclient.bufsize=262144"
  FLAGS="$FLAGS -Dorg.jboss.logging.provider=slf4j"
  # Undertow's XNIO uses sun.misc.Unsafe; JDK 24+ warns about it on every start unless allowed.
  [ "$JAVA_MAJOR" -ge 24 ] && FLAGS="$FLAGS --sun-misc-unsafe-memory-access=allow"
  if [ "$_role" = server ]; then
    # A service beside mailcow, whose calls (bcrypt) bound its pace: a small heap and code cache, C1
    # only (C2's compiler memory was the largest part of its footprint) and two malloc arenas.
    # Measured under 16 clients (docs/benchmarks.md, "Server"): peak RSS 129 MB instead of 330 MB,
    # the same creations per second. ServerBenchmark runs with these options and checks they are
    # the ones here. MAILADM_JAVA_OPTS comes after them, so -Xmx256m there wins.
    FLAGS="$FLAGS -Xmx96m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:TieredStopAtLevel=1"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  fi
  if [ "$_role" != server ]; then
    # Commands: C1 only (C2 would compile too late to pay off); no jstat counters file. No Flight
    # Recorder: Jdbi registers its JFR event at the first statement when JFR is available, which
    # initialises all of JFR's metadata, about a quarter of a short command. The option is
    # deprecated (not removed) up to JDK 25, the newest tested here; -PrintWarnings, before it,
    # keeps that notice off the screen.
    FLAGS="$FLAGS -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
    [ "$JAVA_MAJOR" -le 25 ] && FLAGS="-XX:-PrintWarnings -XX:-FlightRecorder $FLAGS"
  fi
  _os=""
  [ -r /proc/sys/kernel/ostype ] && read -r _os < /proc/sys/kernel/ostype
  if [ "$_os" = Linux ]; then
    _arch=$(uname -m)
    case "$_arch" in x86_64|amd64) _arch=x86_64 ;; aarch64|arm64) _arch=aarch64 ;; esac
    if [ -f "$_lib/native/Linux/$_arch/libsqlitejdbc.so" ]; then
      FLAGS="$FLAGS -Dorg.sqlite.lib.path=$_lib/native/Linux/$_arch -Dorg.sqlite.lib.name=libsqlitejdbc.so"
    fi
  fi
  if [ "${MAILADM_JVM_CACHE:-1}" != 0 ]; then
    mailadm_archive
  fi
  # shellcheck disable=SC2086
  exec "$JAVA" $FLAGS ${MAILADM_JAVA_OPTS:-} -cp "$CP" "$MAILADM_MAIN" "$@"
}

# Records this role's archive: runs the role's workload once with the archive as output.
mailadm_train() {
  # This role's archives of other jars or JDKs, and those of releases with one archive for both.
  rm -f "$_cache"/mailadm-"$_role"-*.aot "$_cache"/mailadm-"$_role"-*.jsa "$_cache"/mailadm-[0-9]*.aot "$_cache"/mailadm-[0-9]*.jsa 2>/dev/null || true
  _train=$(mktemp -d)
  if [ "$_role" != server ]; then
    set -- org.mailadm.cli.AotTraining "$_role" "$_train"
  else
    set -- org.mailadm.cli.Cli demo --dir "$_train" --port 0 --smtp-port 0 --imap-port 0 --accounts 3 --exit
  fi
  # shellcheck disable=SC2086
  if MAILADM_DB="$_train/mailadm.db" "$JAVA" $FLAGS $_make -Xlog:disable -Xlog:all=off -cp "$CP" "$@" >/dev/null 2>&1; then
    mv "$_archive.$$" "$_archive" 2>/dev/null || true
  fi
  rm -rf "$_train" "$_archive.$$"
}

# Adds the class-data archive to FLAGS. When there is none for these jars and JDK, it is trained in
# the background (MAILADM_TRAIN=foreground: now, as install.sh does), and this command runs without.
mailadm_archive() {
  _cache="${MAILADM_CACHE:-}"
  if [ -z "$_cache" ]; then
    if { [ -d "$MAILADM_HOME/cache" ] || mkdir -p "$MAILADM_HOME/cache" 2>/dev/null; } && [ -w "$MAILADM_HOME/cache" ]; then
      _cache="$MAILADM_HOME/cache"
    elif [ -w /var/cache/mailadm ]; then
      _cache=/var/cache/mailadm
    else
      _cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mailadm"
    fi
  fi
  [ -d "$_cache" ] || mkdir -p "$_cache" 2>/dev/null || return 0
  # An archive is code the JVM trusts: only from a folder of this user's own.
  [ -O "$_cache" ] || return 0
  [ -w "$_cache" ] || { _ro=1; }
  # The key changes with the JDK (its path, its java and release files) and with any jar (name,
  # size, time).
  _key=$(LC_ALL=C ls -lL --time-style=+%s "$JAVA" "${JAVA%/bin/java}/release" "$MAILADM_HOME/lib" 2>/dev/null | cksum)
  _key=${_key%% *}
  if [ "$JAVA_MAJOR" -ge 25 ]; then
    _archive="$_cache/mailadm-$_role-$_key.aot"; _use="-XX:AOTCache=$_archive"; _make="-XX:AOTCacheOutput=$_archive.$$"
  else
    _archive="$_cache/mailadm-$_role-$_key.jsa"; _use="-XX:SharedArchiveFile=$_archive"; _make="-XX:ArchiveClassesAtExit=$_archive.$$"
  fi
  if [ ! -f "$_archive" ] && [ -z "${_ro:-}" ]; then
    if [ "${MAILADM_TRAIN:-background}" = foreground ]; then
      mailadm_train
    elif mkdir "$_archive.lock" 2>/dev/null; then
      # Never in the operator's command: it runs now without an archive, the next one has it.
      (mailadm_train; rmdir "$_archive.lock" 2>/dev/null) >/dev/null 2>&1 < /dev/null &
    elif [ -n "$(find "$_archive.lock" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then
      rmdir "$_archive.lock" 2>/dev/null || true  # a training that died: the next command tries again
    fi
  fi
  [ -f "$_archive" ] && FLAGS="$FLAGS $_use -Xlog:disable -Xlog:all=warning:stderr"
  return 0
}
