"""Outgoing connections that only reach public addresses, within one overall deadline.

An httpx transport whose network backend resolves each host itself, refuses it when any of its
addresses is loopback, private, link-local, multicast, reserved or unspecified (or an IPv6
address that leads to such an IPv4 one: IPv4-mapped, 6to4, NAT64), and connects to
the address it checked (no second lookup that DNS rebinding could answer differently). Every
connection, redirect hops included, goes through it. Reads and writes share one deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from propscan.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: translation inside a network


def reached(ip: IPAddress) -> IPAddress:
    """The IPv4 address that an IPv4-mapped, 6to4 or NAT64 ``ip`` leads to; else ``ip``."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip.ipv4_mapped or ip.sixtofour or ip


def refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be fetched from (None: it is a public unicast address, or leads to
    one)."""
    if ip in LOCAL_NAT64:
        return "a private address"
    ip = reached(ip)
    for kind in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    return None if ip.is_global else "not a public address"


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise InputError(f"{host}: cannot resolve this host name ({error})") from None
    return list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found)
    )


class Deadline:
    """One point in time that every connect, read and write of a fetch must finish by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        """Whether the deadline is behind us."""
        return time.monotonic() >= self.end

    def left(self, timeout: float | None) -> float:
        """The smaller of ``timeout`` and the time left; raises once the deadline has passed."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout(f"over the {self.seconds:g} s limit for one fetch")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner, self.deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self.inner.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        return _Stream(tls, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Resolves, checks, then connects to the checked address."""

    def __init__(self, deadline: Deadline, allow_private: bool) -> None:
        self.inner = httpcore.SyncBackend()
        self.deadline, self.allow_private = deadline, allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        for ip in addresses if not self.allow_private else ():
            reason = refusal(ip)
            if reason:
                raise InputError(
                    f"{host} is {reason} ({ip}): this server fetches public pages only"
                )
        for ip in addresses[:-1]:  # in the resolver's order, as a browser would
            try:
                return self._connect(ip, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        return self._connect(addresses[-1], port, timeout, local_address, socket_options)

    def _connect(
        self,
        ip: IPAddress,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        timeout = self.deadline.left(timeout)
        stream = self.inner.connect_tcp(str(ip), port, timeout, local_address, socket_options)
        return _Stream(stream, self.deadline)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that connects only to public addresses, all by one deadline."""

    def __init__(self, *, deadline: Deadline, allow_private: bool = False) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_Backend(deadline, allow_private),
        )
