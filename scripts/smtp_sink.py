#!/usr/bin/env python3
"""A test-only SMTP sink for Rapport's email tests (started by scripts/mailservers.sh).

Every accepted message is stored as <dir>/<name>.eml, byte for byte as received,
with <dir>/<name>.json beside it holding the envelope:
{"mail_from": "...", "rcpt_tos": ["..."], "peer": "..."}. The .json is written
first and the .eml appears by an atomic rename, so a reader that sees the .eml
sees its envelope too.

Recipients whose local part starts with `tempfail` get `451` (temporary failure)
and those starting with `reject` get `550` (permanent), to test retry logic.
"""

import argparse
import asyncio
import itertools
import json
import os
import time

from aiosmtpd.smtp import SMTP

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
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(
            handler,
            hostname="rapport-sink",
            decode_data=False,
            enable_SMTPUTF8=True,
            data_size_limit=64 * 1024 * 1024,
        )

    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    print("SMTP sink on %s:%d storing into %s" % (args.host, args.port, args.dir), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
