# mailadm's launcher, sourced by bin/mailadm and bin/mailadm-server (POSIX sh).
#
# Expects MAILADM_HOME (the installed distribution) and MAILADM_MAIN (the main class). Then:
# - finds a Java 21 or newer: $MAILADM_JAVA, $JAVA_HOME, $MAILADM_HOME/runtime, the newest under
#   /usr/lib/jvm (or the folders in $MAILADM_JVM_DIRS), `java` on the PATH; says clearly when
#   there is none;
# - loads the SQLite native library shipped unpacked in lib/native (no extraction at every start);
# - tunes the JVM for the role: a command runs for well under a second, the server (and `web`,
#   `demo`) for days;
# - uses a class-data archive per role (JDK 25+: AOT cache, 21-24: AppCDS), keyed to the jars and
#   the JDK so a stale archive is never used, and trained once on what that role does: commands on
#   org.mailadm.cli.AotTraining (the usual commands against a throwaway database and a stand-in
#   mailcow), the server on `mailadm demo --exit` (web API, database, mail server). An archive
#   loads every class it holds at start, so one archive for both would slow commands down. It lives
#   in $MAILADM_CACHE, by default $MAILADM_HOME/cache when writable, else /var/cache/mailadm when
#   writable (install.sh makes it for the mailadm user), else ~/.cache/mailadm.
#   MAILADM_JVM_CACHE=0 turns it off.
# MAILADM_JAVA_OPTS adds JVM options (for example -Xmx256m).

# A JDK's major version, from its release file (no JVM start), else from `java -version`.
mailadm_java_version() {
  _home=$(dirname "$(dirname "$1")")
  if [ -f "$_home/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$_home/release"
  else
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
  fi
}

# Sets JAVA and JAVA_MAJOR, or explains and exits 1.
mailadm_find_java() {
  JAVA=""
  for _c in "${MAILADM_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "${MAILADM_HOME:+$MAILADM_HOME/runtime/bin/java}" \
      $(for _d in ${MAILADM_JVM_DIRS:-/usr/lib/jvm}; do ls -d "$_d"/*/bin/java 2>/dev/null; done | sort -rV) "$(command -v java 2>/dev/null || true)"; do
    [ -n "$_c" ] && [ -x "$_c" ] || continue
    _v=$(mailadm_java_version "$_c")
    if [ -n "$_v" ] && [ "$_v" -ge 21 ]; then JAVA="$_c"; JAVA_MAJOR="$_v"; return 0; fi
  done
  echo "mailadm: no Java 21 or newer found (looked at MAILADM_JAVA, JAVA_HOME, /usr/lib/jvm and the PATH)." >&2
  echo "mailadm: install one (Debian/Ubuntu: apt install openjdk-21-jre-headless, or Temurin 21+) or set MAILADM_JAVA." >&2
  exit 1
}

mailadm_run() {
  mailadm_find_java
  _lib="$MAILADM_HOME/lib"
  CP=""
  for _j in "$_lib"/*.jar; do CP="${CP:+$CP:}$_j"; done
  case "$MAILADM_MAIN:${1:-}" in
    org.mailadm.http.HttpMain:* | *:web | *:demo) _role=server ;;
    *) _role=cli ;;
  esac
  # A small GC everywhere. A larger HTTP client buffer reads big mailcow listings with fewer wake-ups.
  FLAGS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djava.awt.headless=true -Djdk.httpclient.bufsize=262144"
  FLAGS="$FLAGS -Dorg.jboss.logging.provider=slf4j"
  # Undertow's XNIO uses sun.misc.Unsafe; JDK 24+ warns about it on every start unless allowed.
  [ "$JAVA_MAJOR" -ge 24 ] && FLAGS="$FLAGS --sun-misc-unsafe-memory-access=allow"
  if [ "$_role" = cli ]; then
    # Commands: C1 only (C2 would compile too late to pay off). No Flight Recorder: Jdbi registers
    # its JFR event at the first statement when JFR is available, which initialises all of JFR's
    # metadata, about a quarter of a short command. The option is deprecated (not removed) up to
    # JDK 25, the newest tested here; -PrintWarnings, before it, keeps that notice off the screen.
    FLAGS="$FLAGS -XX:TieredStopAtLevel=1"
    [ "$JAVA_MAJOR" -le 25 ] && FLAGS="-XX:-PrintWarnings -XX:-FlightRecorder $FLAGS"
  fi
  _arch=$(uname -m)
  case "$_arch" in x86_64|amd64) _arch=x86_64 ;; aarch64|arm64) _arch=aarch64 ;; esac
  if [ "$(uname -s)" = Linux ] && [ -f "$_lib/native/Linux/$_arch/libsqlitejdbc.so" ]; then
    FLAGS="$FLAGS -Dorg.sqlite.lib.path=$_lib/native/Linux/$_arch -Dorg.sqlite.lib.name=libsqlitejdbc.so"
  fi
  if [ "${MAILADM_JVM_CACHE:-1}" != 0 ]; then
    mailadm_archive
  fi
  # shellcheck disable=SC2086
  exec "$JAVA" $FLAGS ${MAILADM_JAVA_OPTS:-} -cp "$CP" "$MAILADM_MAIN" "$@"
}

# Adds the class-data archive to FLAGS, training it first when there is none for these jars and JDK.
mailadm_archive() {
  _cache="${MAILADM_CACHE:-}"
  if [ -z "$_cache" ]; then
    if mkdir -p "$MAILADM_HOME/cache" 2>/dev/null && [ -w "$MAILADM_HOME/cache" ]; then
      _cache="$MAILADM_HOME/cache"
    elif [ -w /var/cache/mailadm ]; then
      _cache=/var/cache/mailadm
    else
      _cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mailadm"
    fi
  fi
  mkdir -p "$_cache" 2>/dev/null || return 0
  [ -w "$_cache" ] || { _ro=1; }
  # The key changes with the JDK (its path and release file) and with any jar (name, size, time).
  _key=$( (echo "$JAVA"; cat "$(dirname "$(dirname "$JAVA")")/release" 2>/dev/null; ls -l --time-style=+%s "$MAILADM_HOME/lib") | cksum | cut -d' ' -f1)
  if [ "$JAVA_MAJOR" -ge 25 ]; then
    _archive="$_cache/mailadm-$_role-$_key.aot"; _use="-XX:AOTCache=$_archive"; _make="-XX:AOTCacheOutput=$_archive.$$"
  else
    _archive="$_cache/mailadm-$_role-$_key.jsa"; _use="-XX:SharedArchiveFile=$_archive"; _make="-XX:ArchiveClassesAtExit=$_archive.$$"
  fi
  if [ ! -f "$_archive" ] && [ -z "${_ro:-}" ]; then
    # This role's archives of other jars or JDKs, and those of releases with one archive for both.
    rm -f "$_cache"/mailadm-"$_role"-*.aot "$_cache"/mailadm-"$_role"-*.jsa "$_cache"/mailadm-[0-9]*.aot "$_cache"/mailadm-[0-9]*.jsa 2>/dev/null || true
    _train=$(mktemp -d)
    if [ "$_role" = cli ]; then
      set -- org.mailadm.cli.AotTraining "$_train"
    else
      set -- org.mailadm.cli.Cli demo --dir "$_train" --port 0 --smtp-port 0 --imap-port 0 --accounts 3 --exit
    fi
    # shellcheck disable=SC2086
    if MAILADM_DB="$_train/mailadm.db" "$JAVA" $FLAGS $_make -Xlog:disable -Xlog:all=off -cp "$CP" "$@" >/dev/null 2>&1; then
      mv "$_archive.$$" "$_archive" 2>/dev/null || true
    fi
    rm -rf "$_train" "$_archive.$$"
  fi
  [ -f "$_archive" ] && FLAGS="$FLAGS $_use -Xlog:disable -Xlog:all=warning:stderr"
  return 0
}
