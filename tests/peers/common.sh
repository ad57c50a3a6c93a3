# tests/peers/common.sh — shell helpers shared by the peers' start/stop scripts (sourced,
# not run). Each peer keeps its state in DIR: DIR/<peer>.pids (one PID a line, in start
# order), DIR/<peer>.env (KEY=VALUE lines for the tests) and DIR/<peer>.lock.

peers_log() { echo "peers[$PEER]: $*" >&2; }

# peers_die MSG [LOG...]: prints MSG and the tail of each LOG that exists, runs
# $PEERS_CLEANUP if set (a start script stops what it began), then exits 1.
peers_die() {
  local msg=$1
  shift
  peers_log "ERROR: $msg"
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 30 "$f" >&2
  done
  if [ -n "${PEERS_CLEANUP:-}" ]; then eval "$PEERS_CLEANUP" || true; fi
  exit 1
}

# peers_free_port: prints a TCP port on 127.0.0.1 that was free a moment ago (the kernel's
# pick for port 0, outside the 6800-7300 range Ceph daemons bind in).
peers_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  else
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

# peers_lock DIR: serialises start/stop of this peer on DIR (fd 9; children must not keep
# it: start daemons with 9>&-).
peers_lock() {
  exec 9>"$1/$PEER.lock"
  flock -w 300 9 || peers_die "another start/stop of $PEER in $1 did not finish in 300 s"
}

# peers_running PID: true while PID runs (a zombie waiting to be reaped counts as exited).
peers_running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# peers_alive PIDFILE: true when the file lists at least one PID and every one runs.
peers_alive() {
  [ -s "$1" ] || return 1
  local pid
  while read -r pid; do
    [ -n "$pid" ] || continue
    peers_running "$pid" || return 1
  done <"$1"
}

# peers_answers URL: true when an HTTP server answers URL (any status code). An HTTPS peer
# sets PEERS_CACERT to its CA file first.
peers_answers() {
  local code
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' ${PEERS_CACERT:+--cacert "$PEERS_CACERT"} \
    "$1" 2>/dev/null) || true
  [ -n "$code" ] && [ "$code" != 000 ]
}

# peers_already_up KEY PATH: true (and says so) when the instance recorded in $PIDS runs,
# $ENVF gives its endpoint as KEY=..., and the endpoint followed by PATH answers.
peers_already_up() {
  peers_alive "$PIDS" && [ -f "$ENVF" ] || return 1
  local endpoint
  endpoint=$(sed -n "s/^$1=//p" "$ENVF")
  [ -n "$endpoint" ] && peers_answers "$endpoint$2" || return 1
  peers_log "already running at $endpoint"
}

# peers_wait_http URL SECONDS PIDFILE LOG...: waits until URL answers; dies with the logs'
# tails if it does not within SECONDS or if a recorded process exits meanwhile.
peers_wait_http() {
  local url=$1 secs=$2 pidfile=$3
  shift 3
  local deadline=$((SECONDS + secs))
  until peers_answers "$url"; do
    peers_alive "$pidfile" || peers_die "a $PEER process exited during start-up" "$@"
    [ $SECONDS -lt $deadline ] || peers_die "$url did not answer within $secs s" "$@"
    sleep 0.2
  done
}

# peers_stop_pids PIDFILE MARKER: TERM to each recorded PID (last started first) whose
# working directory or command line contains MARKER (its data dir: a reused PID is left
# alone), waits up to 30 s for each to exit, then KILLs what is left. Removes PIDFILE.
peers_stop_pids() {
  local pidfile=$1 marker=$2 pid i
  [ -f "$pidfile" ] || return 0
  local pids
  pids=$(tac "$pidfile")
  for pid in $pids; do
    peers_running "$pid" || continue
    if ! { readlink "/proc/$pid/cwd"; tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null |
      grep -F -- "$marker" >/dev/null; then
      peers_log "PID $pid is not ours ($marker is neither its directory nor in its command line); leaving it"
      continue
    fi
    kill -TERM "$pid" 2>/dev/null || continue
    for ((i = 0; i < 300; i++)); do
      peers_running "$pid" || break
      sleep 0.1
    done
    if peers_running "$pid"; then
      peers_log "PID $pid did not exit 30 s after TERM; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do
        peers_running "$pid" || break
        sleep 0.1
      done
    fi
  done
  rm -f "$pidfile"
}

# peers_spawn LOG CMD...: runs CMD in the background in its own session (so ctest neither
# waits on its output nor kills it with the fixture's process group), stdin from
# /dev/null, output to LOG, without the lock fd. Prints its PID.
peers_spawn() {
  local log=$1
  shift
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $!
}

# peers_test_ca DIR: makes the throwaway test CA DIR/testca/ca.pem (key ca.key, 10 days,
# RSA 2048) unless it exists; the HTTPS peers of DIR share it (serialised on DIR/testca.lock,
# fd 8). Prints the CA file's path.
peers_test_ca() {
  local d=$1/testca
  mkdir -p "$d"
  (
    flock -w 60 8 || exit 1
    [ -s "$d/ca.pem" ] && [ -s "$d/ca.key" ] && exit 0
    openssl req -x509 -newkey rsa:2048 -nodes -days 10 -subj "/CN=cpsync test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$d/ca.key.tmp" -out "$d/ca.pem.tmp" >"$d/openssl.log" 2>&1 || exit 1
    chmod 600 "$d/ca.key.tmp"
    mv "$d/ca.key.tmp" "$d/ca.key" && mv "$d/ca.pem.tmp" "$d/ca.pem"
  ) 8>"$1/testca.lock" || peers_die "could not make the test CA in $d" "$d/openssl.log"
  echo "$d/ca.pem"
}

# peers_server_cert DIR PREFIX: a server certificate for 127.0.0.1 and localhost (subjectAltName
# IP:127.0.0.1, DNS:localhost), signed by DIR's test CA, in PREFIX.pem with its key in PREFIX.key.
peers_server_cert() {
  local d=$1/testca prefix=$2
  peers_test_ca "$1" >/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$prefix.key" \
    -out "$prefix.csr" >"$prefix.openssl.log" 2>&1 &&
    openssl x509 -req -in "$prefix.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
      -set_serial "0x$(openssl rand -hex 16)" \
      -days 10 -out "$prefix.pem" -extfile <(printf '%s\n' \
        'subjectAltName=IP:127.0.0.1,DNS:localhost' 'extendedKeyUsage=serverAuth' \
        'basicConstraints=CA:FALSE') >>"$prefix.openssl.log" 2>&1 ||
    peers_die "could not make a server certificate in $prefix.pem" "$prefix.openssl.log"
  chmod 600 "$prefix.key"
  rm -f "$prefix.csr"
}
