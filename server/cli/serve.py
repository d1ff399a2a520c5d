"""`empowerer serve [--host] [--port] [--workers]`."""

from __future__ import annotations

import argparse
import os
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="start the web service")
    parser.add_argument("--host", default=os.environ.get("EMPOWERER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("EMPOWERER_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    parser.add_argument("--log-level", default="info")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.arrival import StampedHTTPProtocol
    from server.cli.common import catalog_or_exit

    catalog_or_exit()  # a broken data file stops the start here, naming the file
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
        http=StampedHTTPProtocol,  # stamps when each request arrived (two tabs at once)
    )
    return 0
