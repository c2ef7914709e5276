"""Loopback ports for servers a test starts: free ones in 8400-8499, the range this project's
machines leave to tests, picked at random so runs side by side rarely reach for the same one."""

import random
import socket

PORTS = range(8400, 8500)


def free_ports(count=1):
    found = []
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError("no free loopback port in 8400-8499")


def listening_socket():
    """A socket already listening on a free port of the range, for a server to be handed
    (gunicorn's fd://): the port is never free for a run beside this one to take meanwhile."""
    for port in random.sample(PORTS, len(PORTS)):
        listener = socket.socket()
        try:
            listener.bind(("127.0.0.1", port))
        except OSError:
            listener.close()
            continue
        listener.listen(128)
        return listener
    raise RuntimeError("no free loopback port in 8400-8499")


def free_port():
    return free_ports()[0]


def closed_port():
    """A loopback port nothing listens on: a server that is down, refusing connections."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
