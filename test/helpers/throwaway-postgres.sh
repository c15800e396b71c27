#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests that keep Terraform state in it (the `pg` backend).
#
#   throwaway-postgres.sh start DIR   initdb in DIR, start on 127.0.0.1 at a free port, print the
#                                     connection string (stdout, one line); the log is DIR/log
#   throwaway-postgres.sh stop DIR    stop it and remove DIR
#   throwaway-postgres.sh bindir      print the directory of initdb and pg_ctl, or fail
#
# The server binaries are found in PG_BINDIR, /usr/lib/postgresql/<version>/bin (Debian, newest
# first) or the PATH. initdb refuses to run as root, so as root the server runs as the `postgres`
# user when there is one, else as `nobody`; DIR is handed over to that user (so its parents must
# let that user through: make DIR with `mktemp -d` itself, not inside one).
set -euo pipefail

find_bindir() {
  local dir
  for dir in "${PG_BINDIR:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn) \
    "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# Runs a command as the server's user (itself unless root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$(owner)" -- "$@"
  else
    "$@"
  fi
}

owner() {
  if [ "$(id -u)" != 0 ]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local dir=$1 bindir port attempt
  bindir=$(find_bindir) || {
    echo "throwaway-postgres: no PostgreSQL server binaries (initdb, pg_ctl) in PG_BINDIR, /usr/lib/postgresql/*/bin or the PATH" >&2
    return 1
  }
  mkdir -p "$dir/sock"
  : >"$dir/log"
  if [ "$(id -u)" = 0 ]; then chown -R "$(owner)" "$dir"; fi
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >>"$dir/log" 2>&1 || {
    echo "throwaway-postgres: initdb failed:" >&2
    cat "$dir/log" >&2
    return 1
  }
  # A port taken between free_port and the server's bind is retried.
  for attempt in 1 2 3; do
    port=$(free_port)
    # fsync off: the data is thrown away; max_connections: ten parallel deploys each hold a few.
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c max_connections=300" \
      start >/dev/null 2>&1; then
      echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      return 0
    fi
  done
  echo "throwaway-postgres: the server did not start; its log ($dir/log):" >&2
  tail -n 20 "$dir/log" >&2
  return 1
}

stop() {
  local dir=$1 bindir
  if [ -d "$dir/data" ] && bindir=$(find_bindir); then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?start DIR}" ;;
  stop) stop "${2:?stop DIR}" ;;
  bindir) find_bindir ;;
  *)
    echo "usage: $0 start DIR | stop DIR | bindir" >&2
    exit 2
    ;;
esac
