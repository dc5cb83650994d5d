#!/usr/bin/env bash
# Waits until a URL answers (used by `npm start` to start the feed after the hub).
url="$1"; seconds="${2:-120}"
for ((i = 0; i < seconds * 2; i++)); do
  curl -fsS -o /dev/null "$url" 2>/dev/null && exit 0
  sleep 0.5
done
echo "gave up waiting for $url" >&2
exit 1
