#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the system packages the
# tests need (Debian, via apt-get), starts a throwaway PostgreSQL on
# 127.0.0.1, runs clippy, then every test against SQLite and PostgreSQL.
# Extra arguments go to `cargo test` (e.g. a test name filter).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "cargo is missing: install Rust first (https://rustup.rs)" >&2; exit 1; }

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pg_dump >/dev/null || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

RAPPORT_TEST_DATABASE_URL="$(bash scripts/postgres.sh)"
export RAPPORT_TEST_DATABASE_URL
echo "PostgreSQL for tests: $RAPPORT_TEST_DATABASE_URL"

if [ "${RAPPORT_SKIP_CLIPPY:-}" != 1 ]; then
  cargo clippy --workspace --all-targets --locked -- -D warnings
fi
cargo test --workspace --locked "$@"
