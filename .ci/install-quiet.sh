#!/usr/bin/env bash
# `npm ci` that must be quiet: any npm warning fails the install, except the engine warnings
# we have decided to accept on Node 20 (end of life since April 2026): openai and
# @nats-io/nuid declare Node >= 22, and the suite still passes on 20 (README, "Node versions").
set -uo pipefail
log=$(mktemp)
npm ci --no-audit --no-fund >"$log" 2>&1
status=$?
cat "$log"
if [ $status -ne 0 ]; then exit $status; fi
major=$(node -p 'process.versions.node.split(".")[0]')
warnings=$(grep -E '^npm (warn|WARN)' "$log" || true)
if [ "$major" = "20" ]; then
  # Drop the EBADENGINE blocks of the two packages named above, keep anything else.
  warnings=$(awk '
    /^npm warn EBADENGINE Unsupported engine \{/ { block = $0; inblock = 1; next }
    inblock { block = block "\n" $0
      if ($0 ~ /^npm warn EBADENGINE \}/) { inblock = 0
        if (block !~ /package: .(openai|@nats-io\/nuid)@/) print block }
      next }
    /^npm (warn|WARN)/ { print }
  ' "$log")
fi
rm -f "$log"
if [ -n "$warnings" ]; then
  echo "npm ci on Node $(node -v) was not quiet:" >&2
  echo "$warnings" >&2
  exit 1
fi
echo "npm ci on Node $(node -v): quiet"
