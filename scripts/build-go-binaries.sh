#!/usr/bin/env bash
# Builds calltrace's Go binaries from source through the Go module proxy (never a prebuilt
# download) and caches each under ~/.cache/calltrace/<name>-<hash of its module + Go version>:
#   otelcol  deploy/otel-collector  (OTLP, load balancing, tail sampling, file/debug exporters)
#   jaeger   deploy/jaeger          (github.com/jaegertracing/jaeger cmd/jaeger, all-in-one)
# Usage: scripts/build-go-binaries.sh [otelcol|jaeger|all]   builds what is missing, prints paths
#        scripts/build-go-binaries.sh --path otelcol|jaeger   prints the cached path, builds nothing
# A second run with unchanged sources reuses the cached binary at once.
# CALLTRACE_GO_JOBS sets `go build -p` (default: 1 outside CI, the core count under CI=true).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CALLTRACE_BIN_CACHE:-$HOME/.cache/calltrace}"

module_dir() {
  case "$1" in
    otelcol) echo "$root/deploy/otel-collector" ;;
    jaeger) echo "$root/deploy/jaeger" ;;
    *) echo "unknown binary: $1 (otelcol or jaeger)" >&2; exit 2 ;;
  esac
}

binary_path() {
  local dir hash
  dir="$(module_dir "$1")"
  hash="$( (go version && cd "$dir" && shopt -s nullglob && cat go.mod go.sum ./*.go) | sha256sum | cut -c1-16)"
  echo "$cache/$1-$hash"
}

build() {
  local name="$1" dir out jobs start
  dir="$(module_dir "$name")"
  out="$(binary_path "$name")"
  if [[ -x "$out" ]]; then
    echo "$name: cached $out" >&2
    echo "$out"
    return
  fi
  mkdir -p "$cache"
  if [[ "${CI:-}" == "true" ]]; then jobs="${CALLTRACE_GO_JOBS:-$(nproc)}"; else jobs="${CALLTRACE_GO_JOBS:-1}"; fi
  start=$(date +%s)
  echo "$name: building in $dir (go build -p $jobs) ..." >&2
  local pkg="."
  [[ "$name" == "jaeger" ]] && pkg="github.com/jaegertracing/jaeger/cmd/jaeger"
  (cd "$dir" && nice -n 15 go build -p "$jobs" -trimpath -ldflags="-s -w" -o "$out.tmp.$$" "$pkg")
  mv "$out.tmp.$$" "$out"
  echo "$name: built in $(($(date +%s) - start)) s, $(du -h "$out" | cut -f1): $out" >&2
  echo "$out"
}

if ! command -v go >/dev/null 2>&1; then
  echo "go not found: skipping the Collector/Jaeger builds (their tests skip too)" >&2
  exit 0
fi

case "${1:-all}" in
  --path) binary_path "${2:?otelcol or jaeger}" ;;
  all) build otelcol; build jaeger ;;
  *) build "$1" ;;
esac
