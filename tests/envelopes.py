#!/usr/bin/env python3
"""envelopes.py SSLSIFT PATTERNS SCRATCH [ENVELOPE...] - a diagnosis must not
depend on the envelope.

Every unwrapped sample of samples/jdk17, samples/jdk8-classic,
samples/ibm-jsse and samples/node1 is copied into SCRATCH/plain, and once
per envelope of ENVELOPES into SCRATCH/<envelope>, each line behind that
envelope's prefix the way the real tool prints it (a logger, a wrapper, an
app server, a container runtime, journald or syslog).  sslsift runs once
per directory (-f json); each wrapped copy must give the same handshakes
as the plain one: the same count and order, and per handshake the same
diagnosis, number of peer certificates, tls_version, outcome, role and
peer.  Each difference is one line

    DIFF sample envelope field want got

and fails the run, unless EXPECTED lists it with the reason the envelope
really loses what the field needs.  With ENVELOPE names, only those run.

Where the samples come from.  A sample already behind an envelope (its
name or its README says so: compose_*, journald_*, k8s_*, wildfly_*,
websphere_*, liberty_*, a ServiceNow localhost log) is not wrapped a
second time.  A Tanuki wrapper.log (node1/, fragment_end_only.log) is
JVM output behind the wrapper's prefix: the JVM's own lines are taken out
of it (the wrapper's STATUS lines dropped) and that is the plain sample.

How the prefixes are made.  The time is the JVM's where its text has one
(a JDK 11+ record header, which continuation lines share), a few
milliseconds later, never going backwards; classic JDK 8 text has no
clock, so one starts at 10:00:07 and advances 3 ms a line.  The thread
is the JVM's: the record header's, or for classic text the thread of the
`thread, VERB` line the block belongs to (after a READ line, the reader;
else the thread that writes next), since System.out.println runs on the
thread that prints.  Stack trace lines of the application go to stderr
(classic), JDK 11+ records to stderr (SSLLogger writes there); envelopes
that tell streams apart say which."""
import datetime
import gzip
import json
import os
import re
import shutil
import subprocess
import zlib
import sys

GROUPS = ["samples/jdk17", "samples/jdk8-classic", "samples/ibm-jsse",
          "samples/node1"]
ALREADY = re.compile(r"^(compose|journald|k8s|wildfly|websphere|liberty)_|"
                     r"localhost_log")
TANUKI = re.compile(rb"^([A-Z]+) *\| ([a-z]+ *\d*) *\| "
                    rb"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? \| ?")
JSSE = re.compile(rb"^javax\.net\.ssl\|[A-Z]+\|[0-9A-F ]+\|(.*?)\|"
                  rb"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) [^|]*\|")
EXPAND_THREAD = re.compile(rb'^ {2}"thread name" : "(.*)",$')
EXPAND_TIME = re.compile(rb'^ {2}"time" {8}: "(\d{4}-\d\d-\d\d '
                         rb'\d\d:\d\d:\d\d\.\d{3}) ')
HEXROW = re.compile(rb"^[0-9A-Fa-f]{4}: ")
CLASSIC = re.compile(rb"^([^ \t,][^,]{0,120}), (WRITE|READ|SEND|RECV|"
                     rb"handling exception|called close|fatal error|"
                     rb"received EOFException|setSoTimeout)")
TRACE = re.compile(rb"^(Exception in thread |Caused by: |\tat |\t\.\.\. \d+ "
                   rb"more|[a-z][\w.]*\.[A-Z]\w*(Exception|Error)\b)")
HOST = "midhost"
PID = 2345

# Differences an envelope cannot avoid: (sample, envelope, field, reason),
# each a regular expression but the reason.
EXPECTED = [
    (r"ibm-jsse/.*", "sn-mid", r".*",
     "the MID agent log ends a thread name at a space, and nothing after "
     "it (no session id, txid or level marker) says where a name with "
     "spaces, IBM's 'WebContainer : 3', ends: every line of the JVM's text "
     "starts inside the thread name, the `*** ` blocks before the first "
     "`thread, VERB` line too"),
]


# ---- the samples --------------------------------------------------------

def unwrap_tanuki(data):
    """The JVM's lines of a Tanuki wrapper.log, its prefix taken off."""
    out = []
    for line in data.split(b"\n"):
        m = TANUKI.match(line)
        if m and m.group(2).startswith(b"jvm"):
            out.append(line[m.end():])
        elif not m and line:
            out.append(line)
    return b"\n".join(out) + b"\n"


def read_sample(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if TANUKI.match(data):
        data = unwrap_tanuki(data)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def samples(top):
    for g in GROUPS:
        d = os.path.join(top, g)
        for name in sorted(os.listdir(d)):
            if name.endswith(".md") or ALREADY.search(name):
                continue
            # each sample its own node (directory), so that no symptom
            # of one is tied to a handshake of another; node1's files
            # are one node's
            rel = g[len("samples/"):]
            if g != "samples/node1":
                rel = os.path.join(rel, name.split(".")[0])
            yield os.path.join(rel, name), \
                read_sample(os.path.join(d, name))


# ---- what each line carries: time, thread, stream -----------------------

START = datetime.datetime(2026, 11, 22, 10, 0, 7)


def parse_jvm_time(b):
    return datetime.datetime.strptime(b.decode(), "%Y-%m-%d %H:%M:%S.%f")


def classic_threads(lines):
    """Per line: the classic thread it belongs to (None if none known)."""
    named = [None] * len(lines)
    for i, ln in enumerate(lines):
        m = not HEXROW.match(ln) and CLASSIC.match(ln)
        if m:
            named[i] = (m.group(1).decode("utf-8", "replace"), m.group(2))
    out = [None] * len(lines)
    prev = None
    nxt = [None] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        nxt[i] = named[i] or nxt[i + 1]
    for i in range(len(lines)):
        if named[i]:
            prev = named[i]
            out[i] = named[i][0]
        elif prev and prev[1] == b"READ":
            out[i] = prev[0]
        elif nxt[i]:
            out[i] = nxt[i][0]
        elif prev:
            out[i] = prev[0]
    return out


def annotate(lines, start):
    """(time, thread, stream) for each line; start: the clock of classic
    text, which has none of its own."""
    jdk11 = any(JSSE.match(ln) or ln.startswith(b'  "logger"') for ln in lines)
    classic = classic_threads(lines)
    clock = start
    if jdk11:
        first = next((JSSE.match(ln) or EXPAND_TIME.match(ln) for ln in lines
                      if JSSE.match(ln) or EXPAND_TIME.match(ln)), None)
        clock = parse_jvm_time(first.groups()[-1]) if first else start
    thread = None
    out = []
    for i, ln in enumerate(lines):
        m = JSSE.match(ln)
        t = None
        if m:
            thread = m.group(1).decode("utf-8", "replace")
            t = parse_jvm_time(m.group(2))
        else:
            me = EXPAND_THREAD.match(ln)
            if me:
                thread = me.group(1).decode("utf-8", "replace")
            mt = EXPAND_TIME.match(ln)
            if mt:
                t = parse_jvm_time(mt.group(1))
        if t is not None:
            clock = max(clock, t + datetime.timedelta(milliseconds=1))
        else:
            clock += datetime.timedelta(milliseconds=0 if jdk11 else 3)
        th = thread if jdk11 else classic[i]
        stream = "stderr" if jdk11 or TRACE.match(ln) else "stdout"
        out.append((clock, th or "main", stream))
    return out


# ---- the envelopes --------------------------------------------------------
# Each takes (time, thread, stream, line index) and gives the prefix; a
# two-line envelope gives a header line and a prefix.

def ms(t):
    return "%03d" % (t.microsecond // 1000)


def tanuki(t, th, st, i):
    return "INFO   | jvm 1    | %s.%s | " % (t.strftime("%Y/%m/%d %H:%M:%S"),
                                           ms(t))


def sn_app(t, th, st, i):
    level = "WARNING *** WARNING *** " if st == "stderr" else "INFO "
    return "%s (%s) %s txid=%012x %s" % (t.strftime("%Y-%m-%d %H:%M:%S"),
                                         ms(t), th, 0x4c74bfd48cd9 + i // 50,
                                         level)


def sn_mid(t, th, st, i):
    return "%s (%s) %s " % (t.strftime("%m/%d/%y %H:%M:%S"), ms(t), th)


def juli(t, th, st, i):
    return "%s.%s INFO [%s] org.apache.catalina.core.StandardContext.log " % (
        t.strftime("%d-%b-%Y %H:%M:%S"), ms(t), th)


def juli_simple(t, th, st, i):
    head = "%s %d:%s %s org.apache.catalina.core.StandardContext log" % (
        t.strftime("%b %d, %Y"), int(t.strftime("%I")), t.strftime("%M:%S"),
        t.strftime("%p"))
    return (head, "INFO: ")


def log4j1(t, th, st, i):
    logger = "STDERR" if st == "stderr" else "STDOUT"
    return "%s,%s %-5s [%s] %s - " % (t.strftime("%Y-%m-%d %H:%M:%S"), ms(t),
                                      "INFO", th, logger)


def log4j2(t, th, st, i):
    logger = "SYSERR" if st == "stderr" else "SYSOUT"
    return "%s.%s [%s] %-5s %s - " % (t.strftime("%Y-%m-%d %H:%M:%S"), ms(t),
                                      th, "INFO", logger)


def logback(t, th, st, i):
    return "%s.%s [%s] %-5s %s - " % (t.strftime("%H:%M:%S"), ms(t), th,
                                      "INFO", "STDOUT")


def spring(t, th, st, i):
    return "%s.%sZ  INFO %d --- [midapp] [%15.15s] %-40.40s : " % (
        t.strftime("%Y-%m-%dT%H:%M:%S"), ms(t), PID, th[-15:],
        "STDOUT")


def websphere(t, th, st, i):
    tid = 0x4a + (zlib.crc32(th.encode()) & 0xff)
    src, ev = ("SystemErr", "R") if st == "stderr" else ("SystemOut", "O")
    return "[%d/%d/%s %d:%s:%s CST] %08x %-13s %s " % (
        t.month, t.day, t.strftime("%y"), t.hour, t.strftime("%M:%S"), ms(t),
        tid, src, ev)


def liberty(t, th, st, i):
    tid = 0x3e + (zlib.crc32(th.encode()) & 0xff)
    src, ev = ("SystemErr", "R") if st == "stderr" else ("SystemOut", "O")
    return "[%d/%d/%s, %d:%s:%s UTC] %08x %-44s %s " % (
        t.month, t.day, t.strftime("%y"), t.hour, t.strftime("%M:%S"), ms(t),
        tid, src, ev)


def jboss(t, th, st, i):
    lv, cat = ("ERROR", "stderr") if st == "stderr" else ("INFO ", "stdout")
    return "%s,%s %s [%s] (%s) " % (t.strftime("%H:%M:%S"), ms(t), lv, cat, th)


def jboss_dated(t, th, st, i):
    return t.strftime("%Y-%m-%d ") + jboss(t, th, st, i)


def ns(t, i):
    return "%06d%03d" % (t.microsecond, (i * 137) % 1000)


def cri(t, th, st, i):
    return "%s.%sZ %s F " % (t.strftime("%Y-%m-%dT%H:%M:%S"), ns(t, i), st)


def compose(t, th, st, i):
    return "mid-server-1  | "


def compose_ts(t, th, st, i):
    return "mid-server-1  | %s.%sZ " % (t.strftime("%Y-%m-%dT%H:%M:%S"),
                                        ns(t, i))


def docker_ts(t, th, st, i):
    return "%s.%sZ " % (t.strftime("%Y-%m-%dT%H:%M:%S"), ns(t, i))


def kubectl_ts(t, th, st, i):
    # RFC 3339 with nanoseconds, trailing zeros dropped (Go's RFC3339Nano)
    frac = ns(t, i).rstrip("0")
    return "%s%sZ " % (t.strftime("%Y-%m-%dT%H:%M:%S"),
                       "." + frac if frac else "")


def journal_short(t, th, st, i):
    return "%s %s java[%d]: " % (t.strftime("%b %d %H:%M:%S"), HOST, PID)


def journal_iso(t, th, st, i):
    return "%s+00:00 %s java[%d]: " % (t.strftime("%Y-%m-%dT%H:%M:%S"), HOST,
                                       PID)


def journal_precise(t, th, st, i):
    return "%s.%06d %s java[%d]: " % (t.strftime("%b %d %H:%M:%S"),
                                      t.microsecond, HOST, PID)


def syslog_bsd(t, th, st, i):
    return "%s %2d %s %s java[%d]: " % (t.strftime("%b"), t.day,
                                        t.strftime("%H:%M:%S"), HOST, PID)


def syslog_rfc5424(t, th, st, i):
    return "%s.%06d+00:00 %s java[%d]: " % (t.strftime("%Y-%m-%dT%H:%M:%S"),
                                            t.microsecond, HOST, PID)


# name -> (function, what it is)
ENVELOPES = {
    "tanuki": (tanuki, "Tanuki wrapper.log"),
    "sn-app": (sn_app, "ServiceNow app node localhost log"),
    "sn-mid": (sn_mid, "ServiceNow MID server agent log"),
    "juli": (juli, "Tomcat JULI OneLineFormatter"),
    "juli-simple": (juli_simple, "JULI SimpleFormatter, two lines"),
    "log4j1": (log4j1, "log4j 1 %d %-5p [%t] %c - %m"),
    "log4j2": (log4j2, "log4j2 %d{yyyy-MM-dd HH:mm:ss.SSS} [%t] %-5level"),
    "logback": (logback, "logback / log4j2 default pattern"),
    "spring": (spring, "Spring Boot 3 console"),
    "websphere": (websphere, "WebSphere traditional SystemOut.log"),
    "liberty": (liberty, "Liberty console.log / messages"),
    "jboss": (jboss, "JBoss/WildFly console"),
    "jboss-dated": (jboss_dated, "JBoss/WildFly server.log"),
    "cri": (cri, "Kubernetes CRI log file"),
    "compose": (compose, "docker compose logs"),
    "compose-ts": (compose_ts, "docker compose logs --timestamps"),
    "docker-ts": (docker_ts, "docker logs --timestamps"),
    "kubectl-ts": (kubectl_ts, "kubectl logs --timestamps"),
    "journal": (journal_short, "journalctl (short)"),
    "journal-iso": (journal_iso, "journalctl -o short-iso"),
    "journal-precise": (journal_precise, "journalctl -o short-precise"),
    "syslog": (syslog_bsd, "syslog, traditional file format"),
    "syslog-5424": (syslog_rfc5424, "rsyslog high-precision file format"),
}


def wrap(lines, env, start):
    fn = ENVELOPES[env][0]
    out = []
    for i, (ln, (t, th, st)) in enumerate(zip(lines, annotate(lines, start))):
        p = fn(t, th, st, i)
        if isinstance(p, tuple):
            out.append(p[0].encode() + b"\n")
            p = p[1]
        out.append(p.encode() + ln + b"\n")
    return b"".join(out)


def write_copy(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if path.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)


# ---- running and comparing --------------------------------------------------

FIELDS = ["diagnosis", "peer_certificates", "tls_version", "outcome", "role",
          "peer"]


def run(sslsift, patterns, d):
    p = subprocess.run([sslsift, "--patterns", patterns, "--node", "n",
                        "--no-progress", "-j", "1", "-f", "json", d],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit("envelopes.py: sslsift exit %d on %s" %
                         (p.returncode, d))
    by_file = {}
    for h in json.loads(p.stdout)["handshakes"]:
        rel = os.path.relpath(h["file"], d)
        by_file.setdefault(rel, []).append(h)
    return by_file


def field(h, f):
    v = h.get(f)
    if f == "peer_certificates":
        return "null" if v is None else str(len(v))
    return "null" if v is None else str(v)


def compare(want, got):
    """(sample, field, want, got) for each difference."""
    for rel in sorted(set(want) | set(got)):
        w, g = want.get(rel, []), got.get(rel, [])
        if len(w) != len(g):
            yield rel, "count", str(len(w)), str(len(g))
        for i, (a, b) in enumerate(zip(w, g)):
            for f in FIELDS:
                if field(a, f) != field(b, f):
                    yield rel, "%d.%s" % (i, f), field(a, f), field(b, f)


def expected(rel, env, fld):
    for s, e, f, why in EXPECTED:
        if re.fullmatch(s, rel) and re.fullmatch(e, env) and \
                re.fullmatch(f, fld):
            return why
    return None


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    sslsift, patterns, scratch = sys.argv[1:4]
    envs = sys.argv[4:] or list(ENVELOPES)
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shutil.rmtree(scratch, ignore_errors=True)
    todo = list(samples(top))
    for k, (rel, lines) in enumerate(todo):
        write_copy(os.path.join(scratch, "plain"), rel,
                   b"".join(ln + b"\n" for ln in lines))
        # classic samples a quarter of an hour apart: their clocks
        # are made up, and should not make them look simultaneous
        start = START + datetime.timedelta(minutes=15 * k)
        for env in envs:
            write_copy(os.path.join(scratch, env), rel,
                       wrap(lines, env, start))
    want = run(sslsift, patterns, os.path.join(scratch, "plain"))
    diffs = exp = 0
    for env in envs:
        got = run(sslsift, patterns, os.path.join(scratch, env))
        n = 0
        for rel, fld, a, b in compare(want, got):
            why = expected(rel, env, fld)
            if why:
                exp += 1
                print("expected: %s %s %s %s %s (%s)" % (rel, env, fld, a, b,
                                                          why))
            else:
                n += 1
                print("DIFF %s %s %s %s %s" % (rel, env, fld, a, b))
        diffs += n
        print("%s: %s (%d samples, %d differences)" %
              ("ok" if n == 0 else "FAIL", env, len(todo), n))
    print("envelopes: %d envelopes, %d samples, %d differences, %d expected" %
          (len(envs), len(todo), diffs, exp))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
