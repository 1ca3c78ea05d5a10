#!/bin/sh
# Makes a fresh machine (Node and npm only) ready, then runs a root pnpm script:
#   sh scripts/bootstrap.sh <script>   (what `npm start` and `npm test` call)
# It installs pnpm if missing, installs dependencies from the lockfile and makes sure
# PostgreSQL and Redis answer on localhost. Migrations are run by the script itself.
set -e
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
if ! command -v pnpm >/dev/null 2>&1; then
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No permission for a global install: keep pnpm inside the checkout instead.
    npm install --no-save --prefix .tools "pnpm@$PNPM_VERSION" >/dev/null
    PATH="$PWD/.tools/node_modules/.bin:$PATH"
    export PATH
  fi
fi

if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install --frozen-lockfile --prefer-offline --reporter=silent
fi

sh scripts/ensure-services.sh

exec pnpm run "$@"
