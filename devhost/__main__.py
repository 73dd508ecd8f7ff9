"""``python -m devhost [--app function_app[:app]] [--port 7071] [--state .devhost/state.db]
[--time real|virtual] [--app-dir DIR]``: run the function app locally until interrupted.
``python -m devhost replay ...`` and ``... export ...``: the replay check (see replay_check)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from devhost import replay_check
from devhost.functions.app_index import AppIndexError
from devhost.functions.host_config import HostConfigError
from devhost.server import DevHost, HostOptions


def parse_options(argv: list[str]) -> HostOptions:
    parser = argparse.ArgumentParser(prog="python -m devhost", description=__doc__)
    parser.add_argument("--app", default="function_app", help="module[:attribute]")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=7071, help="0 picks a free port")
    parser.add_argument("--state", type=Path, default=Path(".devhost/state.db"))
    parser.add_argument("--time", choices=("real", "virtual"), default="real")
    parser.add_argument("--app-dir", type=Path, default=Path.cwd(), help="default: cwd")
    args = parser.parse_args(argv)
    app_dir = args.app_dir.resolve()
    return HostOptions(args.app, args.host, args.port, args.state, args.time, app_dir)


async def serve(options: HostOptions) -> None:
    host = DevHost(options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await host.start()
    try:
        await stop.wait()
    finally:
        await host.stop()


# Subcommands beside serving; `python -m devhost` alone serves the app.
COMMANDS = {"replay": replay_check.replay, "export": replay_check.export}


def main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    logging.basicConfig(
        level=logging.INFO,
        format="[%(asctime)s] %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stdout,
    )
    logging.getLogger("azure").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(parse_options(argv)))
    except (AppIndexError, HostConfigError) as error:
        logging.getLogger("devhost").error("cannot host the app: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
