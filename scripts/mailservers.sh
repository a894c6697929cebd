#!/usr/bin/env bash
# Starts the throwaway mail servers the email tests use, on 127.0.0.1, and prints
# `export` lines for the caller to eval:
#   - Dovecot (IMAP on 31143, LMTP on 31024; no TLS, plaintext auth) with users
#     support, other, crash, bench, idle, flow1, flow2, limits1 and limits2, all with the password `secret`;
#   - an SMTP sink (scripts/smtp_sink.py, aiosmtpd) on 31025 that stores every
#     message as <dir>/sink/*.eml with a *.json envelope beside it, and answers
#     451 / 550 for recipients starting with `tempfail` / `reject`.
# Usage: eval "$(bash scripts/mailservers.sh)"   (state in /tmp/rapport-mail-31143)
# Installs dovecot-imapd, dovecot-lmtpd (apt-get) and aiosmtpd (pip) if missing.
# Runs as root, needs no systemd; both servers outlive the script, and a second
# run while they answer only prints the exports again.
set -euo pipefail
imap_port="${RAPPORT_MAIL_IMAP_PORT:-31143}"
lmtp_port="${RAPPORT_MAIL_LMTP_PORT:-31024}"
smtp_port="${RAPPORT_MAIL_SMTP_PORT:-31025}"
dir="/tmp/rapport-mail-$imap_port"
sink_dir="$dir/sink"
here="$(cd "$(dirname "$0")" && pwd)"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # port name log
  for _ in $(seq 1 100); do answers "$1" && return 0; sleep 0.1; done
  echo "$2 did not start on 127.0.0.1:$1" >&2; [ -f "$3" ] && tail -n 30 "$3" >&2; exit 1
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$dir"

# --- Dovecot -----------------------------------------------------------------
d="$dir/dovecot"
# Dovecot re-reads this file when it changes, so a running server gets new users too.
write_users() {
  for u in support other crash bench idle flow1 flow2 limits1 limits2; do echo "$u:{PLAIN}secret::::::"; done >"$d/users.new"
  mv "$d/users.new" "$d/users"
}
if ! answers "$imap_port" || ! answers "$lmtp_port"; then
  if [ ! -x /usr/sbin/dovecot ] || [ ! -e /usr/lib/dovecot/imap ] || [ ! -e /usr/lib/dovecot/lmtp ]; then
    echo "installing dovecot-imapd dovecot-lmtpd" >&2
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      dovecot-imapd dovecot-lmtpd >/dev/null
  fi
  # A stale instance (one port up, the other not) is stopped before starting over.
  [ -f "$d/run/master.pid" ] && as_root kill "$(cat "$d/run/master.pid")" 2>/dev/null && sleep 1
  rm -rf "$d"
  mkdir -p "$d/mail" "$d/run" "$d/state"
  chmod 755 "$dir" "$d"
  write_users
  cat >"$d/dovecot.conf" <<EOF
# Written by scripts/mailservers.sh: a test-only Dovecot, no TLS, plaintext passwords.
base_dir = $d/run
state_dir = $d/state
instance_name = rapport-test-$imap_port
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# user@any.domain delivers to (and logs in as) user.
auth_username_format = %Ln
log_path = $d/dovecot.log
mail_location = maildir:$d/mail/%u/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$d/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
protocol imap {
  mail_max_userip_connections = 1000
}
EOF
  as_root chown -R nobody:nogroup "$d/mail"
  as_root /usr/sbin/dovecot -c "$d/dovecot.conf" >&2 || { tail -n 30 "$d/dovecot.log" >&2 2>/dev/null; exit 1; }
  wait_for "$imap_port" "Dovecot IMAP" "$d/dovecot.log"
  wait_for "$lmtp_port" "Dovecot LMTP" "$d/dovecot.log"
elif [ -d "$d" ]; then
  write_users
fi

# --- SMTP sink ---------------------------------------------------------------
if ! answers "$smtp_port"; then
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "installing aiosmtpd" >&2
    python3 -m pip install -q aiosmtpd >&2
  fi
  mkdir -p "$sink_dir"
  setsid nohup python3 "$here/smtp_sink.py" --host 127.0.0.1 --port "$smtp_port" --dir "$sink_dir" \
    >"$dir/smtp_sink.log" 2>&1 </dev/null &
  wait_for "$smtp_port" "SMTP sink" "$dir/smtp_sink.log"
fi

echo "export RAPPORT_TEST_IMAP=127.0.0.1:$imap_port"
echo "export RAPPORT_TEST_LMTP=127.0.0.1:$lmtp_port"
echo "export RAPPORT_TEST_SMTP=127.0.0.1:$smtp_port"
echo "export RAPPORT_TEST_SMTP_SINK_DIR=$sink_dir"
