# Starts and stops the real triplestores the tests use, on 127.0.0.1 only, each with its
# data in a fresh directory under target/test-env/stores. Sourced by tests/run.sh, which
# calls start_stores and, on exit, stop_stores; the tests find the stores through:
#   TIPKG_OXIGRAPH_URL   base URL of an Oxigraph server (/query, /update, /store)
#   TIPKG_VIRTUOSO_URL   base URL of a Virtuoso HTTP server (/sparql, /sparql-auth, ...)
#   TIPKG_VIRTUOSO_ISQL  host:port of Virtuoso's SQL port, for isql-vt
#   TIPKG_VIRTUOSO_PASSWORD  the dba password
# The ports can be overridden with TIPKG_OXIGRAPH_PORT, TIPKG_VIRTUOSO_HTTP_PORT and
# TIPKG_VIRTUOSO_SQL_PORT.

stores_dir="$PWD/target/test-env/stores"
oxigraph_bin="$PWD/target/test-env/venv/bin/oxigraph"

wait_for() { # url tries
  local url=$1 tries=$2
  for _ in $(seq "$tries"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  echo "stores: $url did not answer" >&2
  return 1
}

start_stores() {
  rm -rf "$stores_dir"
  mkdir -p "$stores_dir/oxigraph" "$stores_dir/virtuoso"
  local ox_port=${TIPKG_OXIGRAPH_PORT:-17878}
  local v_http=${TIPKG_VIRTUOSO_HTTP_PORT:-18890}
  local v_sql=${TIPKG_VIRTUOSO_SQL_PORT:-11111}

  "$oxigraph_bin" serve --location "$stores_dir/oxigraph" --bind "127.0.0.1:$ox_port" \
    >"$stores_dir/oxigraph.log" 2>&1 &
  echo $! >"$stores_dir/oxigraph.pid"
  export TIPKG_OXIGRAPH_URL="http://127.0.0.1:$ox_port"
  export TIPKG_OXIGRAPH_BIN="$oxigraph_bin"

  cat >"$stores_dir/virtuoso/virtuoso.ini" <<INI
[Database]
DatabaseFile = $stores_dir/virtuoso/virtuoso.db
ErrorLogFile = $stores_dir/virtuoso/virtuoso.log
LockFile = $stores_dir/virtuoso/virtuoso.lck
TransactionFile = $stores_dir/virtuoso/virtuoso.trx
xa_persistent_file = $stores_dir/virtuoso/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $stores_dir/virtuoso/virtuoso-temp.db
TransactionFile = $stores_dir/virtuoso/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$v_sql
NumberOfBuffers = 100000
MaxDirtyBuffers = 60000
DirsAllowed = ., $stores_dir
CheckpointInterval = 60
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:$v_http
ServerRoot = $stores_dir/virtuoso
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
DefaultGraph =
INI
  (cd "$stores_dir/virtuoso" && virtuoso-t +foreground +configfile "$stores_dir/virtuoso/virtuoso.ini" \
    >"$stores_dir/virtuoso.out" 2>&1) &
  echo $! >"$stores_dir/virtuoso.pid"
  export TIPKG_VIRTUOSO_URL="http://127.0.0.1:$v_http"
  export TIPKG_VIRTUOSO_ISQL="127.0.0.1:$v_sql"
  export TIPKG_VIRTUOSO_PASSWORD=dba
  export TIPKG_STORES_DIR="$stores_dir"

  wait_for "$TIPKG_OXIGRAPH_URL/query?query=ASK%7B%7D" 80
  wait_for "$TIPKG_VIRTUOSO_URL/sparql?query=ASK%7B%7D" 240
  echo "stores: oxigraph at $TIPKG_OXIGRAPH_URL, virtuoso at $TIPKG_VIRTUOSO_URL" >&2
}

stop_stores() {
  for name in oxigraph virtuoso; do
    local pidfile="$stores_dir/$name.pid"
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    # The pid of the virtuoso subshell: stop its children too.
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  pkill -TERM -f "virtuoso-t .*$stores_dir" 2>/dev/null || true
}
