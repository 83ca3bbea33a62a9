#!/usr/bin/env python3
"""A system under test for streambench, in Python with only the standard library.

It speaks the stream contract (README, "The stream contract") to Redis over a plain socket,
with a RESP client of its own, and runs the pipeline of streambench's `steady` scenario:

    map    value -> (value * 3 + 7) mod 1000003
    filter drop values that are multiples of 4
    count  a running count per key: emits (key, count so far)

    streambench run --target local --sut 'python3 examples/sut/steady_sut.py' --scenario steady

Everything it needs comes from the environment the harness sets: STREAMBENCH_TARGET
(redis://host:port), STREAMBENCH_INPUT_STREAMS and STREAMBENCH_OUTPUT_STREAMS (comma lists,
partition by partition), STREAMBENCH_GROUP and STREAMBENCH_GENERATORS (how many end markers end
each input). It reads all input streams with one XREADGROUP, so it needs a standalone Redis (not
a cluster). Results are written and their inputs acknowledged in one pipelined round trip
(XADD then XACK): a crash in between delivers results twice (at-least-once), never loses one.
"""
import os
import re
import socket
import sys


class Resp:
    """A minimal RESP2 client: commands as lists of strings, replies as Python values."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.pos = 0

    def send(self, commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                b = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(out))

    def call(self, *args):
        self.send([args])
        return self.reply()

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the broker closed the connection")
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0

    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line = self.buf[self.pos:end]
                self.pos = end + 2
                return line
            self._fill()

    def _bytes(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = self.buf[self.pos:self.pos + n]
        self.pos += n + 2
        return data

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._bytes(n).decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError("unexpected reply from the broker: %r" % line)


def main():
    target = os.environ["STREAMBENCH_TARGET"]
    match = re.match(r"^redis://([^:/]+):(\d+)/?$", target)
    if not match:
        sys.exit("steady_sut: STREAMBENCH_TARGET %r is not redis://host:port" % target)
    inputs = os.environ["STREAMBENCH_INPUT_STREAMS"].split(",")
    outputs = os.environ["STREAMBENCH_OUTPUT_STREAMS"].split(",")
    group = os.environ.get("STREAMBENCH_GROUP", "streambench")
    generators = int(os.environ.get("STREAMBENCH_GENERATORS", "1"))
    consumer = "py-%d" % os.getpid()
    redis = Resp(match.group(1), int(match.group(2)))

    for stream in inputs:  # ready: the harness starts the source once this consumer is in every group
        redis.call("XGROUP", "CREATECONSUMER", stream, group, consumer)
    partition_of = {stream: p for p, stream in enumerate(inputs)}
    counts = {}
    ends = [0] * len(inputs)
    expected = [0] * len(inputs)
    processed = [0] * len(inputs)
    written = [0] * len(inputs)

    while not all(ends[p] >= generators and processed[p] == expected[p] for p in range(len(inputs))):
        reply = redis.call("XREADGROUP", "GROUP", group, consumer, "COUNT", "2000", "BLOCK", "100", "STREAMS", *inputs, *([">"] * len(inputs)))
        if reply is None:
            continue
        commands = []
        for stream, entries in reply:
            p = partition_of[stream]
            ids = []
            for entry_id, fields in entries:
                ids.append(entry_id)
                f = dict(zip(fields[::2], fields[1::2]))
                if "end" in f:
                    ends[p] += 1
                    expected[p] += int(f["end"])
                    continue
                processed[p] += 1
                key = int(f["k"])
                value = (int(f["v"]) * 3 + 7) % 1000003
                if value % 4 == 0:
                    continue
                counts[key] = counts.get(key, 0) + 1
                # The result carries the input's event time verbatim, and its index.
                commands.append(("XADD", outputs[p], "*", "t", f["t"], "k", key, "v", counts[key], "i", f.get("i", "")))
                written[p] += 1
            if ids:
                commands.append(("XACK", stream, group, *ids))
        if commands:
            redis.send(commands)
            for _ in commands:
                redis.reply()

    for p, stream in enumerate(outputs):
        redis.call("XADD", stream, "*", "end", written[p])


if __name__ == "__main__":
    main()
