#!/usr/bin/env bash
# The side-by-side comparison only: chat, broadcast ramp and crosspod against Relaymesh and against
# Socket.IO 4 + @socket.io/redis-adapter, in one run (bench/README.md). Options are passed on,
# e.g. bench/compare.sh --chat-seconds=30 --step-seconds=10
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" compare "$@"
