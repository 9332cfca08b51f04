#!/usr/bin/env bash
# A local registry for this example: Debian's docker-registry as a process on 127.0.0.1 (the engine
# trusts 127.0.0.0/8 over plain HTTP), its storage under $REGISTRY_DIR.
#   ./registry.sh start [PORT]   (default 5000)    ./registry.sh stop
set -euo pipefail
dir=${REGISTRY_DIR:-/tmp/berth-example-registry}
case ${1:-} in
  start)
    port=${2:-5000}
    command -v docker-registry >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null; }
    mkdir -p "$dir/data"
    printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n' "$dir" "$port" >"$dir/config.yml"
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
      if wget -qO- "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 || curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
        echo "registry listening on 127.0.0.1:$port"; exit 0
      fi
      sleep 0.1
    done
    echo "registry did not start, see $dir/registry.log" >&2; exit 1 ;;
  stop)
    [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
    rm -rf "$dir" ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
