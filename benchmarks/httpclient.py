"""A minimal HTTP/1.1 browser for loopback load tests: one keep-alive connection, a
cookie jar, asyncio streams only (no client library: the client shares the machine's
two cores with the servers it measures).

It stands in for a browser behind the production TLS proxy: every request carries
``X-Forwarded-Proto: https`` and a per-visitor ``X-Forwarded-For`` (uvicorn's
``--proxy-headers`` trusts them from 127.0.0.1, so Django sees a secure request from that
visitor's address, and per-IP rate limits apply per visitor as they would in production).
Cookies are kept regardless of their ``Secure`` flag: the hop from the proxy is plain HTTP.
"""

import asyncio
import contextlib
import ipaddress
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
IDLE_REUSE_S = 4.0  # uvicorn closes idle keep-alive connections after 5 s


def require_loopback(host):
    """Refuse any target outside 127.0.0.0/8 and ::1."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ValueError(f"refusing non-loopback target {host!r} (give an IP address)") from None
    if not address.is_loopback:
        raise ValueError(f"refusing non-loopback target {host!r}")
    return host


@dataclass
class Response:
    status: int
    headers: list  # (lower-case name, value)
    body: bytes
    seconds: float
    cookies_set: list = field(default_factory=list)

    def header(self, name):
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    def csrf_token(self):
        match = CSRF_INPUT.search(self.body)
        return match.group(1).decode() if match else None


class Browser:
    def __init__(self, host, port, *, client_ip, timeout=30.0, extra_headers=None):
        self.host = require_loopback(host)
        self.port = port
        self.origin = f"https://{host}:{port}"
        self.client_ip = client_ip
        self.timeout = timeout
        self.cookies = {}
        self.extra_headers = extra_headers or {}
        self.reader = self.writer = None
        self.last_used = 0.0

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def set_cookie(self, raw):
        name, _, rest = raw.partition("=")
        value, _, attributes = rest.partition(";")
        name, value = name.strip(), value.strip().strip('"')
        expired = "max-age=0" in attributes.lower().replace(" ", "")
        if expired or not value:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                await asyncio.wait_for(self.writer.wait_closed(), 1)
        self.reader = self.writer = None

    async def request(self, method, path, *, form=None, headers=None):
        """Send one request and read the whole answer. Raises OSError/TimeoutError/ValueError
        on a broken or silent connection (the connection is then dropped)."""
        body = b""
        head = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "allas-loadtest/1",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": "es",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_ip,
            **self.extra_headers,
        }
        if form is not None:
            body = urlencode(form).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["Origin"] = self.origin
            head["Referer"] = self.origin + path
        if body or method == "POST":
            head["Content-Length"] = str(len(body))
        if self.cookies:
            head["Cookie"] = self.cookie_header()
        head.update(headers or {})
        raw = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items())
        data = raw.encode("latin-1") + b"\r\n" + body
        if self.writer is not None and time.monotonic() - self.last_used > IDLE_REUSE_S:
            await self.close()  # the server has (or is about to) close it
        started = time.perf_counter()
        try:
            return await asyncio.wait_for(self._exchange(data, started), self.timeout)
        except BaseException:
            await self.close()
            raise

    async def _exchange(self, data, started):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(data)
        await self.writer.drain()
        status, headers, body, keep_alive = await read_response(self.reader)
        seconds = time.perf_counter() - started
        set_cookies = [value for name, value in headers if name == "set-cookie"]
        for value in set_cookies:
            self.set_cookie(value)
        if keep_alive:
            self.last_used = time.monotonic()
        else:
            await self.close()
        return Response(status, headers, body, seconds, set_cookies)

    async def get(self, path, **kwargs):
        return await self.request("GET", path, **kwargs)

    async def post(self, path, form, **kwargs):
        return await self.request("POST", path, form=form, **kwargs)


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip().lower(), value.strip()))
    values = dict(headers)
    keep_alive = values.get("connection", "").lower() != "close"
    if "content-length" in values:
        body = await reader.readexactly(int(values["content-length"]))
    elif values.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            # The chunk and its CRLF; for the last (empty) chunk, the final CRLF
            # (servers here send no trailers).
            parts.append((await reader.readexactly(size + 2))[:size])
            if size == 0:
                break
        body = b"".join(parts)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read()
        keep_alive = False
    return status, headers, body, keep_alive


def path_of(location):
    """The path (and query) of a Location header, absolute or relative."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
