#!/bin/sh
# The production web server: the one place its command is written. The Dockerfile CMD
# runs this script, compose.yaml inherits that CMD, and tests/test_containers.py starts it.
#
#   PORT             listen port (default 8000: the Dockerfile's EXPOSE and HEALTHCHECK use it)
#   LISTEN_HOST      bind address (default 0.0.0.0, so the container port is reachable)
#   WEB_CONCURRENCY  worker processes (default 1: scale out with replicas; >1 needs REDIS_URL,
#                    the in-memory channel layer is per process)
#   FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-* (read by uvicorn; default 127.0.0.1)
#   WS_PER_MESSAGE_DEFLATE  compress WebSocket frames (default false, see below)
set -eu

# glibc hands threads extra malloc arenas (up to 8 per core) and seldom gives their memory
# back; Django runs each request's sync code in a thread of its own under ASGI, so a busy
# process kept growing. Two arenas keep a loaded process close to what it really uses.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# WebSocket compression is off: every open socket would keep its own zlib state (~50 KB,
# 13 MB per process at 250 sockets) and every broadcast would be compressed once per
# socket, for JSON frames of a few hundred bytes to a few kilobytes. Off, the fan-out p99 to 500 sockets went
# from 125 to 99 ms.
# Django has no ASGI lifespan support: "off" avoids a startup warning.
# The graceful timeout stays under Docker's 10 s stop timeout so open WebSockets get closed
# cleanly instead of the process being killed.
exec uvicorn allas_site.asgi:application \
    --host "${LISTEN_HOST:-0.0.0.0}" \
    --port "${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-1}" \
    --lifespan off \
    --ws websockets-sansio \
    --ws-per-message-deflate "${WS_PER_MESSAGE_DEFLATE:-false}" \
    --proxy-headers \
    --timeout-graceful-shutdown 8
