"""Block the network in every Python process the tests start (pytest, nbval's kernels, subprocesses).

The root ``conftest.py`` imports this module and puts this folder first on ``PYTHONPATH``, where
``sitecustomize.py`` imports it in every Python process that starts. Connections to this machine stay
allowed: Jupyter talks to its kernels over loopback.
"""

import ipaddress
import socket

MESSAGE = "network access is blocked while the course's tests run (everything must work offline)"


class NetworkBlockedError(ConnectionError):
    """A test, notebook or library tried to reach another machine."""


def _is_local(host: object) -> bool:
    if not isinstance(host, str):  # AF_UNIX paths (bytes) never leave the machine
        return True
    if host in ("", "localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False  # a host name other than localhost
    return address.is_loopback or address.is_unspecified


def _check(address: object) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if not _is_local(host):
        raise NetworkBlockedError(f"{MESSAGE}: tried to reach {host!r}")


def block_network() -> None:
    """Make every connection, datagram and name lookup to another machine raise NetworkBlockedError."""
    if getattr(socket, "_course_network_blocked", False):
        return
    connect, connect_ex, sendto, getaddrinfo = (
        socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto, socket.getaddrinfo
    )

    def guarded_connect(self: socket.socket, address: object) -> None:
        _check(address)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        _check(address)
        return connect_ex(self, address)

    def guarded_sendto(self: socket.socket, data: bytes, *args: object) -> int:
        _check(args[-1])
        return sendto(self, data, *args)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        _check(host.decode() if isinstance(host, bytes) else host if host is not None else "")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket.socket.sendto = guarded_sendto
    socket.getaddrinfo = guarded_getaddrinfo
    socket._course_network_blocked = True


block_network()
