"""`empowerer admin create --email E --name N [--password-stdin]`: an admin account from the shell."""

from __future__ import annotations

import argparse
import sys
from typing import Any

MIN_PASSWORD = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("admin", help="manage accounts from the shell")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create an admin account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else a prompt)",
    )
    create.set_defaults(handler=run_create)


def read_password(from_stdin: bool) -> str:
    """The password from stdin's first line, or typed twice at a prompt (never echoed)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("empowerer: the two passwords differ")
    return first


def run_create(args: argparse.Namespace) -> int:
    import asyncio

    from server.cli.common import fail
    from server.config import get_settings
    from server.service.accounts import AccountService
    from server.service.errors import ServiceError
    from server.store import SqlStore

    password = read_password(args.password_stdin)
    if not MIN_PASSWORD <= len(password) <= 200:
        return fail(f"the password must be {MIN_PASSWORD} to 200 characters long")
    if not args.name.strip() or len(args.name) > 100:
        return fail("the name must be 1 to 100 characters long")

    async def create() -> str:
        store = SqlStore(get_settings().db_url)
        await store.open()
        try:
            user = await AccountService(store).create_admin(args.email, password, args.name)
        finally:
            await store.close()
        return f"admin {user.email} created (id {user.id})"

    try:
        print(asyncio.run(create()))
    except ServiceError as exc:
        return fail(exc.detail, 1)
    return 0
