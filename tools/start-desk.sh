#!/bin/sh
# npm start: the desk in Electron, on a developer's or trainer's machine that can install Electron's
# runtime (it downloads from github.com; CI and these sandboxes cannot, so they test the shell with
# fakes). Needs Node 22.12 or newer: electron-builder's native rebuild (for better-sqlite3 against
# Electron's ABI) requires it. Run `npm rebuild better-sqlite3` afterwards to get back the Node build
# that `npm test` uses.
# Usage: MINWON_DESK_POLICY=resources/demo/desk-policy.json MINWON_USER=agent1 MINWON_PASSWORD=agent1 npm start
set -eu
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".").map(Number).reduce((a, n, i) => i === 0 ? n * 1000 : i === 1 ? a + n : a, 0)')
if [ "$major" -lt 22012 ]; then
  echo "minwon: npm start needs Node 22.12 or newer (this is $(node --version)); npm test and npm run demo work on Node 20.19+." >&2
  exit 1
fi
if [ -z "${MINWON_DESK_POLICY:-}" ] || [ ! -f "$MINWON_DESK_POLICY" ]; then
  echo "minwon: set MINWON_DESK_POLICY to a desk policy file, e.g. resources/demo/desk-policy.json (with npm run demo running)." >&2
  exit 1
fi
if [ -z "${MINWON_USER:-}" ] || [ -z "${MINWON_PASSWORD:-}" ]; then
  echo "minwon: set MINWON_USER and MINWON_PASSWORD to the agent's account (demo: agent1 / agent1)." >&2
  exit 1
fi
if [ ! -f node_modules/electron/path.txt ]; then
  echo "minwon: installing Electron's runtime (node node_modules/electron/install.js)" >&2
  if ! node node_modules/electron/install.js; then
    echo "minwon: Electron's runtime could not be downloaded from github.com. Set ELECTRON_MIRROR to a reachable mirror, or copy node_modules/electron/dist and path.txt from a machine that has them." >&2
    exit 1
  fi
fi
npm run build:renderer
npm run build:shell
npx electron-builder install-app-deps
exec npx electron .
