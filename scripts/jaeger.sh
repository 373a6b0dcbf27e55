#!/usr/bin/env bash
# `npm run jaeger`: Jaeger all-in-one with in-memory storage, built from source on first use
# (scripts/build-go-binaries.sh; a few minutes once, then cached). UI and query API on
# http://localhost:16686, OTLP on localhost:4317 (gRPC) and localhost:4318 (HTTP).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v go >/dev/null || { echo "Jaeger is built from source here: install Go 1.26 first" >&2; exit 1; }
jaeger="$(bash "$root/scripts/build-go-binaries.sh" jaeger)"
exec "$jaeger" --config "$root/deploy/jaeger/config.yaml"
