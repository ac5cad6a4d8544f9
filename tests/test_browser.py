"""A real browser calls the local front door from pages on other origins: what the API's CORS
configuration allows succeeds, the rest is blocked by the browser itself.

Headless Chromium (Debian's ``chromium``; ``make test`` installs it when missing) loads a page
that calls the API with ``fetch`` (a simple request, a preflighted one and a credentialed one)
and writes what each gave into the page, which ``--dump-dom`` prints. Servers listen on
127.0.0.1 only; each browser run is bounded in time.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aws_cdk import App, Duration, Stack
from werkzeug.wrappers import Request, Response

from cdk_front_door import PUBLIC, Cors, HttpApiGateway
from cdk_front_door.testing import TEST_ENV, LocalFrontDoor, snapshot_context
from tests.support import inline_function, serve

PAGE = """<!doctype html>
<html><body><pre id="out">pending</pre><script>
const api = new URLSearchParams(location.search).get("api");
const out = {};
async function attempt(name, init) {
  try {
    const answer = await fetch(api + "hello", init);
    out[name] = {status: answer.status, body: await answer.json()};
  } catch (error) {
    out[name] = {blocked: String(error)};
  }
}
(async () => {
  await attempt("simple", {});
  await attempt("preflighted", {method: "PUT", headers: {"x-custom": "1"}});
  await attempt("credentialed", {credentials: "include"});
  document.getElementById("out").textContent = JSON.stringify(out);
})();
</script></body></html>
"""

HELLO = """\
import json

def handler(event, context):
    method = event["requestContext"]["http"]["method"]
    return {"statusCode": 200, "body": json.dumps({"method": method})}
"""

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=10000",
)


@contextmanager
def _page_server() -> Iterator[str]:
    """A server of ``PAGE`` on 127.0.0.1: its own origin, yielded."""

    @Request.application
    def page(_: Request) -> Response:
        return Response(PAGE, content_type="text/html")

    with serve(page) as url:
        yield url


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("Chromium is needed: `make test` installs Debian's chromium package")
    return found


def _results(chromium: str, page_origin: str, api_url: str) -> dict[str, Any]:
    """What the page at ``page_origin`` got from each of its calls to ``api_url``."""
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--dump-dom",
                f"{page_origin}/?api={api_url}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None, dom
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.fixture(scope="module")
def browser_results() -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """The page's results from the allowed origin and from another one, and the access log."""
    chromium = _chromium()
    with _page_server() as allowed, _page_server() as other:
        stack = Stack(App(context=snapshot_context()), "Browser", env=TEST_ENV)
        api = HttpApiGateway(
            stack,
            "Api",
            cors=Cors(
                allow_origins=[allowed],
                allow_headers=["x-custom"],
                allow_credentials=True,
                max_age=Duration.seconds(0),
            ),
        )
        hello = inline_function(stack, "Hello", code=HELLO)
        api.add_route("GET /hello", hello, auth=PUBLIC)
        api.add_route("PUT /hello", hello, auth=PUBLIC)
        log = io.StringIO()
        with LocalFrontDoor(stack, access_log=log) as local:
            yield (
                _results(chromium, allowed, local.url),
                _results(chromium, other, local.url),
                log.getvalue(),
            )


def test_an_allowed_origin_makes_simple_preflighted_and_credentialed_calls(
    browser_results: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    allowed, _, _ = browser_results
    assert allowed == {
        "simple": {"status": 200, "body": {"method": "GET"}},
        "preflighted": {"status": 200, "body": {"method": "PUT"}},
        "credentialed": {"status": 200, "body": {"method": "GET"}},
    }


def test_the_browser_blocks_every_call_from_another_origin(
    browser_results: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    _, other, log = browser_results
    assert set(other) == {"simple", "preflighted", "credentialed"}
    assert all(result == {"blocked": "TypeError: Failed to fetch"} for result in other.values())
    lines = [json.loads(line) for line in log.splitlines()]
    methods = [(line["httpMethod"], line["status"]) for line in lines]
    # The API answered the simple calls of both pages (the browser hid the other page's
    # answers), the preflight of each page, and the PUT of the allowed page only: the other
    # page's preflight got no CORS headers, so its PUT was never sent.
    assert methods.count(("PUT", "200")) == 1
    assert methods.count(("GET", "200")) == 4
    assert methods.count(("OPTIONS", "204")) == 2
