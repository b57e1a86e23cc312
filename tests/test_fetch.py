"""URL fetching against real local servers: no SSRF, one overall deadline."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from propscan.errors import InputError
from propscan.model.bundle import Model
from propscan.server import Settings, create_app, netguard
from propscan.server.deps import get_model
from propscan.server.fetch import Fetcher

SECRET = "Internal only\n\nThe secret of the intranet is that the brave patriots are here."
Handler = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A local HTTP server run by a test; ``hits`` counts the requests it answered."""

    def __init__(self, host: str, handle: Handler) -> None:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits += 1
                handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.hits = 0
        self.httpd = ThreadingHTTPServer((host, 0), _Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def secret(handler: BaseHTTPRequestHandler) -> None:
    body = SECRET.encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def intranet() -> Iterator[Server]:
    server = Server("127.0.0.1", secret)
    yield server
    server.close()


def fetch(url: str, **options: object) -> str:
    fetcher = Fetcher(max_bytes=100_000, timeout=options.pop("timeout", 5), **options)  # type: ignore[arg-type]
    return fetcher(url, ident="t").text


@pytest.mark.issue(10)
@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "0.0.0.0",
        "127.1",
        "2130706433",
        "0x7f000001",
        "[::ffff:127.0.0.1]",
    ],
)
def test_loopback_in_any_spelling_is_refused(intranet: Server, host: str) -> None:
    with pytest.raises(InputError, match="public pages only"):
        fetch(f"http://{host}:{intranet.port}/secret")
    assert intranet.hits == 0


@pytest.mark.issue(10)
@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::",
    ],
)
def test_private_link_local_multicast_and_unspecified_are_refused(address: str) -> None:
    assert netguard.refusal(ipaddress.ip_address(address)) is not None
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(InputError, match="public pages only"):
        fetch(f"http://{host}/latest/meta-data/")


@pytest.mark.issue(10)
def test_public_addresses_pass() -> None:
    for address in ("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"):
        assert netguard.refusal(ipaddress.ip_address(address)) is None


@pytest.mark.issue(10)
def test_a_redirect_to_loopback_is_refused(
    intranet: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """127.0.0.2 plays a public site that redirects to the intranet server on 127.0.0.1."""
    target = f"http://127.0.0.1:{intranet.port}/secret"

    def redirect(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    public = ipaddress.ip_address("127.0.0.2")
    real = netguard.refusal
    monkeypatch.setattr(netguard, "refusal", lambda ip: None if ip == public else real(ip))
    site = Server("127.0.0.2", redirect)
    try:
        with pytest.raises(InputError, match="public pages only"):
            fetch(f"http://127.0.0.2:{site.port}/news")
        assert (site.hits, intranet.hits) == (1, 0)
    finally:
        site.close()


@pytest.mark.issue(10)
def test_credentials_in_the_url_are_refused(intranet: Server) -> None:
    with pytest.raises(InputError, match="user name or password"):
        fetch(f"http://admin:pw@127.0.0.1:{intranet.port}/secret", allow_private=True)
    assert intranet.hits == 0


@pytest.mark.issue(10)
def test_private_urls_can_be_allowed(intranet: Server) -> None:
    assert fetch(f"http://localhost:{intranet.port}/secret", allow_private=True) == SECRET


@pytest.mark.issue(10)
def test_the_api_refuses_intranet_urls_with_a_4xx(intranet: Server, fake_model: Model) -> None:
    app = create_app(Settings(db="sqlite:///:memory:"))
    app.dependency_overrides[get_model] = lambda: fake_model
    with TestClient(app, base_url="http://127.0.0.1") as client:
        url = f"http://127.0.0.1:{intranet.port}/secret"
        for path in ("/api/analyze", "/api/articles"):
            response = client.post(path, json={"url": url})
            assert response.status_code == 422
            assert "public pages only" in response.json()["detail"]
            assert "secret" not in response.text.replace(url, "")
        page = client.post("/analyze", data={"url": url})
        assert page.status_code == 422
        assert "public pages only" in page.text
    assert intranet.hits == 0


@pytest.mark.issue(10)
def test_a_trickling_page_is_cut_at_the_overall_deadline() -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b"ab")
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    server = Server("127.0.0.1", trickle)
    try:
        began = time.monotonic()
        with pytest.raises(InputError, match="within 1 s"):
            fetch(f"http://127.0.0.1:{server.port}/slow", allow_private=True, timeout=1)
        assert time.monotonic() - began < 1.6
    finally:
        server.close()
