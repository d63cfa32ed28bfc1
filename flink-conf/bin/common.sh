# Shared by bin/cluster, bin/flink, bin/kafka and bin/e2e (sourced, not run).
#
# Everything generated lives under flink-conf/run/ (git-ignored): Maven-resolved classpaths,
# the rendered Flink configuration, logs, pid files, checkpoints, savepoints and Kafka data.
# All paths derive from this file's location, so the scripts work from any working directory
# and from a fresh clone.
#
# Two environment variables let a second broker and cluster run beside the usual ones (bin/e2e
# uses them; both default to nothing):
#   FC_RUN_DIR      run directory instead of flink-conf/run (configuration, logs, pids,
#                   checkpoints, savepoints, Kafka data; the classpath caches stay shared)
#   FC_FLINK_CONF   "key=value ..." settings applied over conf/config.yaml when it is rendered,
#                   e.g. "rest.port=18081 jobmanager.rpc.port=16123"

FC_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
FC_TEMPLATE_DIR="$FC_HOME/conf"
if [[ -n "${FC_RUN_DIR:-}" ]]; then
  # Absolute: it ends up in file:// URIs of the Flink configuration.
  RUN_DIR="$(realpath -m -- "$FC_RUN_DIR")"
else
  RUN_DIR="$FC_HOME/run"
fi
# The Maven-resolved classpaths depend only on the poms: one cache for every run directory.
CLASSPATH_CACHE_DIR="$FC_HOME/run"
FLINK_RUN_CONF_DIR="$RUN_DIR/conf"
LOG_DIR="$RUN_DIR/log"
PID_DIR="$RUN_DIR/pids"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MVN="${MVN:-mvn}"

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on the PATH"
  done
}

# Seconds since the epoch with decimals, for the "ready in N s" messages.
now() { date +%s.%N; }
elapsed_since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# resolve_classpath POM NAME -> prints the classpath (Maven-resolved, cached in run/NAME.classpath).
# Re-resolved when the cache is missing, older than the pom, or names a jar that has vanished
# from the local repository.
resolve_classpath() {
  local pom="$1" name="$2"
  local cache="$CLASSPATH_CACHE_DIR/$name.classpath"
  local stale=0 jar
  if [[ ! -s "$cache" || "$pom" -nt "$cache" ]]; then
    stale=1
  else
    local -a jars
    IFS=':' read -r -a jars < "$cache"
    for jar in "${jars[@]}"; do
      [[ -f "$jar" ]] || { stale=1; break; }
    done
  fi
  if (( stale )); then
    require_tools "$MVN"
    mkdir -p "$CLASSPATH_CACHE_DIR"
    log "Resolving the $name classpath with Maven ($(basename "$pom")) ..."
    local tmp="$cache.tmp.$$" out
    if ! out="$("$MVN" -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$tmp" 2>&1)"
    then
      rm -f "$tmp"
      die "Maven could not resolve $pom:"$'\n'"$out"
    fi
    mv -f "$tmp" "$cache"
  fi
  cat "$cache"
}

# The cluster classpath: Maven-resolved jars, then the loopback Prometheus reporter (reporter_jar).
flink_classpath() {
  local cp jar
  cp="$(resolve_classpath "$FC_HOME/cluster-pom.xml" cluster)" || exit 1
  jar="$(reporter_jar "$cp")" || exit 1
  printf '%s:%s\n' "$cp" "$jar"
}
kafka_classpath() { resolve_classpath "$FC_HOME/kafka-pom.xml" kafka; }

# reporter_jar CP -> prints the path of run/reporter.jar, compiling it first when it is missing or
# older than a file of reporter/. It holds io.fraudcep.cluster.BoundPrometheusReporterFactory:
# Flink's Prometheus reporter bound to one host (Flink 2.2's own listens on every interface; see
# reporter/src/). javac and jar come with the JDK; about 2 s, once.
reporter_jar() {
  local cp="$1" src="$FC_HOME/reporter" jar="$CLASSPATH_CACHE_DIR/reporter.jar"
  if [[ ! -s "$jar" || "$FC_HOME/cluster-pom.xml" -nt "$jar" \
      || -n "$(find "$src" -type f -newer "$jar" -print -quit)" ]]; then
    local javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac" jartool="${JAVA_HOME:+$JAVA_HOME/bin/}jar"
    require_tools "$javac" "$jartool"
    mkdir -p "$CLASSPATH_CACHE_DIR"
    local tmp out
    local -a sources
    mapfile -t sources < <(find "$src/src" -name '*.java')
    tmp="$(mktemp -d "$CLASSPATH_CACHE_DIR/reporter.tmp.XXXXXX")"
    log "Compiling the Prometheus reporter (reporter/) ..."
    if ! out="$("$javac" --release 17 -cp "$cp" -d "$tmp/classes" "${sources[@]}" 2>&1)" \
      || ! out="$(cp -r "$src/META-INF" "$tmp/classes/" \
        && "$jartool" --create --file "$tmp/reporter.jar" -C "$tmp/classes" . 2>&1)"; then
      rm -rf -- "$tmp"
      die "could not build the Prometheus reporter:"$'\n'"$out"
    fi
    mv -f "$tmp/reporter.jar" "$jar"
    rm -rf -- "$tmp"
  fi
  printf '%s\n' "$jar"
}

# render TEMPLATE TARGET NAME=VALUE... : replaces @NAME@ by VALUE, writes TARGET atomically.
render() {
  local template="$1" target="$2"
  shift 2
  local -a sed_args=()
  local pair name value
  for pair in "$@"; do
    name="${pair%%=*}"
    value="${pair#*=}"
    value="${value//\\/\\\\}"
    value="${value//|/\\|}"
    value="${value//&/\\&}"
    sed_args+=(-e "s|@${name}@|${value}|g")
  done
  local tmp="$target.tmp.$$"
  sed "${sed_args[@]}" "$template" > "$tmp"
  if [[ -f "$target" ]] && cmp -s "$tmp" "$target"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$target"
  fi
}

# The options bin/cluster start was last given, one `name=value` a line in run/cluster.options
# (absent after a plain `cluster start`): `profile=NAME` (conf/NAME.yaml laid over config.yaml),
# `taskmanagers=N`, and `derived=key=value` settings bin/cluster computed from them. bin/flink
# reads the same file, so the CLI renders the very configuration the cluster runs with.
CLUSTER_OPTIONS_FILE="$RUN_DIR/cluster.options"

# cluster_option NAME [DEFAULT]: the value of a line NAME=... of run/cluster.options (the first).
cluster_option() {
  local value=""
  [[ -f "$CLUSTER_OPTIONS_FILE" ]] \
    && value="$(sed -n "s/^$1=//p" "$CLUSTER_OPTIONS_FILE" | head -n 1)"
  printf '%s\n' "${value:-${2-}}"
}

# profile_settings NAME: the flat `key: value` lines of conf/NAME.yaml as key=value, validated
# (the same file StateBackendProfile reads from the jobs class path).
profile_settings() {
  local file="$FC_TEMPLATE_DIR/$1.yaml" line n=0
  [[ "$1" =~ ^[a-z0-9-]+$ && -f "$file" && "$1" != config ]] \
    || die "--profile $1: no such profile (conf/<name>.yaml; known: $(known_profiles))"
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
    if [[ "$line" =~ ^([A-Za-z0-9_.-]+):[[:space:]]+([^#[:space:]][^#]*[^#[:space:]]|[^#[:space:]])[[:space:]]*$ ]]
    then
      local value="${BASH_REMATCH[2]}"
      value="${value#[\"\']}"
      value="${value%[\"\']}"
      printf '%s=%s\n' "${BASH_REMATCH[1]}" "$value"
    else
      die "--profile $1: $file line $n is not a flat 'key: value' line: $line"
    fi
  done < "$file"
}

known_profiles() {
  local f names=()
  for f in "$FC_TEMPLATE_DIR"/*.yaml; do
    [[ "$(basename "$f")" == config.yaml ]] || names+=("$(basename "$f" .yaml)")
  done
  printf '%s' "${names[*]}"
}

# cluster_option_settings: the settings of run/cluster.options, prefixed profile: or derived:.
cluster_option_settings() {
  local profile kv
  profile="$(cluster_option profile)"
  if [[ -n "$profile" ]]; then
    profile_settings "$profile" | sed 's/^/profile:/' || return 1
  fi
  [[ -f "$CLUSTER_OPTIONS_FILE" ]] || return 0
  sed -n 's/^derived=/derived:/p' "$CLUSTER_OPTIONS_FILE"
}

# Renders conf/config.yaml into run/conf/config.yaml with absolute run/ paths (and the
# FC_FLINK_CONF settings), copies the log4j files next to it, and caches the flattened
# configuration (Flink's own parser, through BashJavaUtils) in run/conf/flattened.conf for
# flink_conf_get.
prepare_flink_conf() {
  local cp="$1"
  mkdir -p "$FLINK_RUN_CONF_DIR" "$LOG_DIR" "$PID_DIR" \
    "$RUN_DIR/checkpoints" "$RUN_DIR/savepoints" "$RUN_DIR/tmp/web" "$RUN_DIR/plugins"
  local f
  for f in log4j.properties log4j-console.properties log4j-cli.properties; do
    if ! cmp -s "$FC_TEMPLATE_DIR/$f" "$FLINK_RUN_CONF_DIR/$f"; then
      cp -f "$FC_TEMPLATE_DIR/$f" "$FLINK_RUN_CONF_DIR/$f"
    fi
  done
  # What bin/cluster start was given (--profile, --taskmanagers), as settings over the template.
  local -a cluster_settings=()
  local settings_text
  settings_text="$(cluster_option_settings)" || exit 1
  [[ -z "$settings_text" ]] || mapfile -t cluster_settings <<< "$settings_text"
  if [[ -z "${FC_FLINK_CONF:-}" && ${#cluster_settings[@]} -eq 0 ]]; then
    render "$FC_TEMPLATE_DIR/config.yaml" "$FLINK_RUN_CONF_DIR/config.yaml" "RUN_DIR=$RUN_DIR"
  else
    # Render into a staging directory, apply the settings there with Flink's own configuration
    # writer (BashJavaUtils UPDATE_AND_GET_FLINK_CONFIGURATION -D key=value, as Flink's Docker
    # entrypoint does): one valid standard-YAML configuration, each key once (a profile's flat
    # state.backend.type replaces the nested one of the template). config.yaml is replaced only
    # when the result differs. Order: the profile, then FC_FLINK_CONF, then what bin/cluster
    # derived (the grown Prometheus port range).
    local stage="$FLINK_RUN_CONF_DIR/staging" kv out
    local -a settings=()
    mkdir -p "$stage"
    render "$FC_TEMPLATE_DIR/config.yaml" "$stage/config.yaml" "RUN_DIR=$RUN_DIR"
    local -a profile_kvs=() derived_kvs=() fc_kvs=()
    for kv in "${cluster_settings[@]}"; do
      case "$kv" in
        profile:*) profile_kvs+=("${kv#profile:}") ;;
        derived:*) derived_kvs+=("${kv#derived:}") ;;
      esac
    done
    # Word splitting of FC_FLINK_CONF into key=value pairs is intended.
    for kv in ${FC_FLINK_CONF:-}; do
      [[ "$kv" == *=* ]] || die "FC_FLINK_CONF: '$kv' is not key=value"
      fc_kvs+=("$kv")
    done
    for kv in "${profile_kvs[@]}" "${fc_kvs[@]}" "${derived_kvs[@]}"; do
      settings+=(-D "$kv")
    done
    local origin="FC_FLINK_CONF=${FC_FLINK_CONF:-}"
    [[ -n "$(cluster_option profile)" ]] && origin+=" profile=$(cluster_option profile)"
    (( ${#derived_kvs[@]} )) && origin+=" ${derived_kvs[*]}"
    out="$(BASH_JAVA_UTILS_CONF_DIR="$stage" bash_java_utils "$cp" \
      UPDATE_AND_GET_FLINK_CONFIGURATION "${settings[@]}")" \
      || die "Flink could not apply $origin:"$'\n'"$out"
    printf '# Generated from conf/config.yaml with %s\n%s\n' "$origin" "$out" > "$stage/result.yaml"
    if cmp -s "$stage/result.yaml" "$FLINK_RUN_CONF_DIR/config.yaml"; then
      rm -f "$stage/result.yaml"
    else
      mv -f "$stage/result.yaml" "$FLINK_RUN_CONF_DIR/config.yaml"
    fi
  fi
  local flat="$FLINK_RUN_CONF_DIR/flattened.conf"
  if [[ ! -s "$flat" || "$FLINK_RUN_CONF_DIR/config.yaml" -nt "$flat" ]]; then
    local out
    out="$(bash_java_utils "$cp" UPDATE_AND_GET_FLINK_CONFIGURATION -flatten)" \
      || die "Flink could not parse $FLINK_RUN_CONF_DIR/config.yaml:"$'\n'"$out"
    printf '%s\n' "$out" > "$flat.tmp.$$"
    mv -f "$flat.tmp.$$" "$flat"
  fi
}

# flink_conf_get KEY [DEFAULT]: the value of a (flattened) key of the rendered configuration.
flink_conf_get() {
  local key="$1" default="${2-}" value
  value="$(awk -v k="$key: " 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' \
    "$FLINK_RUN_CONF_DIR/flattened.conf")"
  # A single-quoted YAML scalar (FC_FLINK_CONF values are written as strings: '18081').
  if [[ "$value" == \'*\' && ${#value} -ge 2 ]]; then
    value="${value:1:${#value}-2}"
    value="${value//\'\'/\'}"
  fi
  printf '%s\n' "${value:-$default}"
}

# bash_java_utils CP COMMAND [ARGS...]: runs Flink's BashJavaUtils like Flink's config.sh does and
# prints only its result lines (without the BASH_JAVA_UTILS_EXEC_RESULT: prefix). It reads the
# configuration in run/conf, or in $BASH_JAVA_UTILS_CONF_DIR.
bash_java_utils() {
  local cp="$1" cmd="$2"
  shift 2
  local output
  if ! output="$("$JAVA" -Dlog.file="$LOG_DIR/bash-java-utils.log" \
      -Dlog4j.configurationFile="file:$FLINK_RUN_CONF_DIR/log4j-cli.properties" \
      -classpath "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" \
      --configDir "${BASH_JAVA_UTILS_CONF_DIR:-$FLINK_RUN_CONF_DIR}" "$@" 2>&1)"; then
    printf '%s\n' "$output"
    return 1
  fi
  printf '%s\n' "$output" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# pid_alive PIDFILE PATTERN: true when the pid in PIDFILE runs a command line containing PATTERN
# (guards against a recycled pid after a reboot or crash).
pid_alive() {
  local pidfile="$1" pattern="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# stop_pid NAME PIDFILE PATTERN [TIMEOUT]: TERM, wait up to TIMEOUT s (default 30), then KILL.
stop_pid() {
  local name="$1" pidfile="$2" pattern="$3" timeout="${4:-30}" pid waited=0
  if [[ ! -e "$pidfile" ]]; then
    log "$name: not running"
    return 0
  fi
  if ! pid_alive "$pidfile" "$pattern"; then
    log "$name: not running (removing stale pid file)"
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  log "$name: stopping pid $pid ..."
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= timeout * 10 )); then
      log "$name: still alive after ${timeout}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      local n=0
      while kill -0 "$pid" 2>/dev/null && (( n < 50 )); do sleep 0.1; n=$((n + 1)); done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -0 "$pid" 2>/dev/null && die "$name: pid $pid did not stop"
  rm -f "$pidfile"
  log "$name: stopped"
}

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}
