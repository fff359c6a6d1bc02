#!/usr/bin/env python3
"""wrap.py STYLE IN OUT - puts a container's line prefix in front of every
line of a log, as the container runtime would when the JVM writes to its
standard error.  The log's own text is not changed.

STYLE is one of
  k8s-ts   `kubectl logs --timestamps`: an RFC 3339 UTC time with
           nanoseconds and a space (a prefix sslsift has no row for, so it
           learns it from the first anchor line)
  compose  `docker compose logs`: the service name, its replica number,
           padding and a bar

The times start at START and advance by STEP_US microseconds a line."""
import datetime
import sys

START = datetime.datetime(2026, 11, 22, 10, 10, 16, 0)
STEP_US = 137


def prefix(style, i):
    t = START + datetime.timedelta(microseconds=STEP_US * i)
    if style == "k8s-ts":
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d" % t.microsecond + "042Z "
    if style == "compose":
        return "mid-server-1  | "
    raise SystemExit("wrap.py: unknown style " + style)


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    style, src, dst = sys.argv[1:]
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    with open(dst, "wb") as f:
        for i, line in enumerate(lines):
            f.write(prefix(style, i).encode() + line + b"\n")


if __name__ == "__main__":
    main()
