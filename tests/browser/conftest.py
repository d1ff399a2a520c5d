"""Browser tests: a live `empowerer serve` on 127.0.0.1 and Debian's chromium, driven by Playwright.

They run in their own pytest invocation (Playwright's sync API and pytest-asyncio do not share a
process well): `pytest -m browser tests/browser`, or set EMPOWERER_BROWSER_TESTS=1. Otherwise they
are skipped with a message saying so. Without /usr/bin/chromium they skip and say how to install it.
Screenshots land in artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("EMPOWERER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _enabled(config: pytest.Config) -> bool:
    if os.environ.get("EMPOWERER_BROWSER_TESTS") == "1":
        return True
    expr = (config.option.markexpr or "").replace(" ", "")
    return "browser" in expr and "notbrowser" not in expr


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests unless asked for, or when chromium is missing."""
    mine = [item for item in items if HERE in item.path.parents]
    if not mine:
        return
    if not _enabled(config):
        reason = "browser tests run on their own: `pytest -m browser tests/browser` (or EMPOWERER_BROWSER_TESTS=1)"
    elif not CHROMIUM.exists():
        reason = (
            f"chromium not found at {CHROMIUM}: install Debian's chromium with "
            "`apt-get update && apt-get install -y chromium` (as root) to run the browser tests"
        )
    else:
        return
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("empowerer")
    if script.exists():
        base = [str(script)]
    else:
        base = [sys.executable, "-c", "import sys; from server.cli import main; sys.exit(main())"]
    return [*base, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`empowerer serve` on a free port with a fresh SQLite file; yields its base URL."""
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {**os.environ, "EMPOWERER_DB_URL": f"sqlite:///{folder / 'empowerer.db'}"}
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _serve_command(port), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url, log)
        yield url
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / "server.log")  # for reading after a failed run
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, launched once for the whole run (no browser download, ever)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did that a test may want to refuse: script errors, dialogs, CSP violations."""

    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]


def open_page(browser: Any, base_url: str, viewport: dict[str, int]) -> tuple[Any, Any, Watch]:
    """A fresh context (its own guest identity) and page, with a Watch on it."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch()
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page, watch


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember a failed test body so its page fixture can keep a screenshot of the failure."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


def _page_fixture(
    request: pytest.FixtureRequest, browser: Any, base_url: str, viewport: dict[str, int]
) -> Iterator[tuple[Any, Watch]]:
    context, page, watch = open_page(browser, base_url, viewport)
    yield page, watch
    if request.node.stash.get(FAILED, False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def desktop(
    request: pytest.FixtureRequest, browser: Any, live_server: str
) -> Iterator[tuple[Any, Watch]]:
    """A page at 1280x800 in a fresh context (a new guest)."""
    yield from _page_fixture(request, browser, live_server, DESKTOP)


@pytest.fixture
def phone(
    request: pytest.FixtureRequest, browser: Any, live_server: str
) -> Iterator[tuple[Any, Watch]]:
    """A page at 360x740 in a fresh context (a new guest)."""
    yield from _page_fixture(request, browser, live_server, PHONE)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/, emptied of old PNGs at the start of the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS
