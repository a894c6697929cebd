#!/usr/bin/env python3
"""A test-only SMTP sink for Rapport's email tests (started by scripts/mailservers.sh).

Every accepted message is stored as <dir>/<name>.eml, byte for byte as received,
with <dir>/<name>.json beside it holding the envelope:
{"mail_from": "...", "rcpt_tos": ["..."], "peer": "..."}. The .json is written
first and the .eml appears by an atomic rename, so a reader that sees the .eml
sees its envelope too.

Recipients whose local part starts with `tempfail` get `451` (temporary failure)
and those starting with `reject` get `550` (permanent), to test retry logic.

With `--auth user:password` the sink offers AUTH PLAIN and LOGIN (without TLS),
refuses other credentials with `535`, and records the login as "auth_user" in
the envelope (null for a client that did not authenticate).
"""

import argparse
import asyncio
import itertools
import json
import os
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

_counter = itertools.count()


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("tempfail"):
            return "451 4.3.0 Temporary failure (test address)"
        if local.startswith("reject"):
            return "550 5.1.1 Recipient rejected (test address)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%d-%d" % (time.time_ns(), os.getpid(), next(_counter))
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": str(session.peer),
            "auth_user": session.auth_data.login.decode("utf-8", "replace")
            if session.authenticated and isinstance(session.auth_data, LoginPassword)
            else None,
        }
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        with open(os.path.join(self.directory, name + ".json"), "w") as f:
            json.dump(meta, f)
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(content)
        os.rename(tmp, os.path.join(self.directory, name + ".eml"))
        return "250 OK queued as " + name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=31025)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth", help="user:password to accept with AUTH")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    auth = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        auth = {"authenticator": authenticator, "auth_require_tls": False}

    def factory():
        return SMTP(
            handler,
            hostname="rapport-sink",
            decode_data=False,
            enable_SMTPUTF8=True,
            data_size_limit=64 * 1024 * 1024,
            **auth,
        )

    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    print("SMTP sink on %s:%d storing into %s" % (args.host, args.port, args.dir), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
