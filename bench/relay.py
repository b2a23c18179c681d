#!/usr/bin/env python3
"""A counting relay for the Docker Engine API: listens on a unix socket, forwards every connection to the engine's
socket and appends one line per HTTP request ("METHOD PATH") to a log, so a benchmark counts engine calls by
counting lines. Requests are parsed only as far as needed to find where each ends (Content-Length or chunked);
answers are passed back untouched. Usage: relay.py LISTEN_SOCKET ENGINE_SOCKET LOG"""
import os
import socket
import sys
import threading

listen_path, engine_path, log_path = sys.argv[1:4]
log = open(log_path, "a", buffering=1)
log_lock = threading.Lock()


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Reader:
    """Buffered reads from the client that forward everything they consume to the engine."""

    def __init__(self, client, engine):
        self.client, self.engine, self.buf = client, engine, b""

    def fill(self):
        data = self.client.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        self.engine.sendall(line + b"\r\n")
        return line

    def skip(self, n):
        while n > 0:
            if not self.buf:
                self.fill()
            part, self.buf = self.buf[:n], self.buf[n:]
            self.engine.sendall(part)
            n -= len(part)


def requests(client, engine):
    reader = Reader(client, engine)
    try:
        while True:
            request = reader.line()
            if not request:
                continue
            method, path = (request.decode("latin-1").split(" ") + ["", ""])[:2]
            with log_lock:
                log.write(f"{method} {path}\n")
            length, chunked = 0, False
            while True:
                header = reader.line()
                if not header:
                    break
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
                elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                    chunked = True
            if chunked:
                while True:
                    size = int(reader.line().split(b";")[0], 16)
                    if size == 0:
                        while reader.line():  # trailers up to the empty line
                            pass
                        break
                    reader.skip(size + 2)
            else:
                reader.skip(length)
    except (EOFError, OSError, ValueError):
        pass
    finally:
        try:
            engine.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client):
    engine = socket.socket(socket.AF_UNIX)
    try:
        engine.connect(engine_path)
    except OSError:
        client.close()
        return
    threading.Thread(target=pipe, args=(engine, client), daemon=True).start()
    requests(client, engine)


if os.path.exists(listen_path):
    os.unlink(listen_path)
server = socket.socket(socket.AF_UNIX)
server.bind(listen_path)
server.listen(256)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
