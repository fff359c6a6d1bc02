#!/usr/bin/env python3
"""bench/run.py - sslsift against the tools a user would use instead.

Generates realistic application logs with real captured failing handshakes
embedded at known places (bench/genlog), then times, in one run and on the
same files, interleaved round by round:

  plain    1 GiB log:  sslsift, rg -c ALT, grep -c -E ALT, wc -l
  gzip     the same, gzipped:  sslsift, the gzread floor (bench/gzfloor),
           gzip -dc (zcat)
  rotations  64 gzipped daily rotations: sslsift -j 1, sslsift -j N (N =
           cores), rg -z -c ALT
  debug-all  a log that is nothing but -Djavax.net.debug=all output
  stdin    8 GiB generated on the fly into a pipe: sslsift's peak RSS

and prints medians, ratios and peak RSS.  Every sslsift run's JSON is
checked against the generator's manifest: every embedded handshake found,
where it was put, with the diagnosis its capture gets on its own, its
symptom lines tied to it, and nothing else; a fast wrong answer fails.

  bench/run.py --sslsift ./sslsift --genlog bench/genlog \\
      --gzfloor bench/gzfloor --samples samples/jdk17 --out bench/README.md
  bench/run.py --check ...     the quick correctness check (CI): no timing

`make bench` and `make bench-check` run it with the right paths.
"""

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time

ALT = (r"SSLHandshakeException|Socket is closed|peer not authenticated|"
       r"javax\.net\.ssl|Certificate chain")
GIB = 1 << 30
MIB = 1 << 20
TARGETS = {
    "plain": "sslsift <= 1.5 x rg -c",
    "gzip": "sslsift <= 1.15 x gzread floor",
    "rotations": "sslsift -j N <= 0.6 x sslsift -j 1",
    "rss": "peak RSS <= 32 MiB (1 GiB file, 8 GiB stdin)",
    "debug-all": ">= 200 MB/s",
}


def say(*a):
    print(*a, flush=True)


# ---- running and measuring ------------------------------------------------

class Result:
    def __init__(self, wall, cpu, rss_kib, status, out):
        self.wall, self.cpu, self.rss_kib = wall, cpu, rss_kib
        self.status, self.out = status, out


MEASURE = None   # bench/measure: set in main()


def measured(argv, stdin, stdout):
    """Starts argv under bench/measure; returns (Popen, read end of the
    report pipe)."""
    r, w = os.pipe()
    p = subprocess.Popen([MEASURE, str(w)] + argv, stdin=stdin, stdout=stdout,
                         stderr=subprocess.PIPE, pass_fds=(w,))
    os.close(w)
    return p, r


def report_of(r):
    """bench/measure's "wall cpu maxrss status" line."""
    with os.fdopen(r) as f:
        wall, cpu, rss, code = f.read().split()
    return float(wall), float(cpu), int(rss), int(code)


def run(argv, stdin=None, keep=False, null_out=False):
    """Runs argv: its wall time, CPU time and peak RSS (of it alone), and
    its output if keep.  Output goes to a pipe unless null_out: GNU grep
    stops at the first match when it sees /dev/null."""
    p, r = measured(argv, stdin or subprocess.DEVNULL,
                    subprocess.DEVNULL if null_out else subprocess.PIPE)
    data = None
    if not null_out:
        data = p.stdout.read() if keep else None
        while not keep and p.stdout.read(1 << 20):
            pass
        p.stdout.close()
    err = p.stderr.read()
    p.stderr.close()
    p.wait()
    wall, cpu, rss, code = report_of(r)
    if code not in (0, 1):
        sys.exit("bench: %s failed (exit %d): %s" % (
            " ".join(argv), code, err.decode(errors="replace")[:500]))
    return Result(wall, cpu, rss, code, data)


def cores_free(seconds=1.0):
    """How many cores two busy processes get for a while: the share of the
    machine this benchmark's processes can have right now (other sessions'
    work takes the rest; Linux gives each session its share)."""
    spin = "import time\nt = time.time()\nwhile time.time() - t < %f: pass" % seconds
    t0 = time.perf_counter()
    ps = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(2)]
    cpu = 0.0
    for p in ps:
        _, _, ru = os.wait4(p.pid, 0)
        p.returncode = 0
        cpu += ru.ru_utime + ru.ru_stime
    return cpu / (time.perf_counter() - t0)


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


# The quick cases get more rounds: their medians are of runs a tenth of a
# second long, which other load on the machine moves the most.
QUICK_CASES = ("plain", "debug-all")


def case_runs(args, name):
    return 2 * args.runs + 1 if name in QUICK_CASES else args.runs


class Case:
    """Commands timed together, interleaved: each round runs every command
    once, in an order that rotates from round to round."""

    def __init__(self, name, input_desc, cmds, null_out=()):
        self.name, self.input_desc = name, input_desc
        self.cmds = cmds            # [(label, argv)]
        self.null_out = null_out    # labels whose output goes to /dev/null
        self.results = {label: [] for label, _ in cmds}
        self.first_out = {}

    def time(self, runs):
        say("== %s: %s, %d rounds" % (self.name, self.input_desc, runs))
        for r in range(runs):
            order = self.cmds[r % len(self.cmds):] + self.cmds[:r % len(self.cmds)]
            for label, argv in order:
                res = run(argv, keep=label.startswith("sslsift"),
                          null_out=label in self.null_out)
                if label not in self.first_out and res.out is not None:
                    self.first_out[label] = res.out
                self.results[label].append(res)
            say("   round %d: %s" % (r + 1, ", ".join(
                "%s %.2fs" % (l, self.results[l][-1].wall) for l, _ in self.cmds)))

    def wall(self, label):
        return median([x.wall for x in self.results[label]])

    def cpu(self, label):
        return median([x.cpu for x in self.results[label]])

    def ratio(self, label, base, what="wall"):
        """The median of the per-round ratios: the two ran within seconds
        of each other, and the machine's speed changes between rounds
        (the same gzip run takes 2.0 s or 2.6 s for a while), which a
        ratio of medians taken from different rounds would show."""
        return median([getattr(a, what) / getattr(b, what)
                       for a, b in zip(self.results[label], self.results[base])])

    def rss(self, label):
        return max(x.rss_kib for x in self.results[label])


# ---- generating the inputs -----------------------------------------------

class Gen:
    def __init__(self, args):
        self.a = args
        os.makedirs(args.tmp, exist_ok=True)
        with open(args.genlog, "rb") as f:
            self.stamp = hashlib.sha1(f.read()).hexdigest()[:12]

    def _fresh(self, path, params):
        """True if path was made by this genlog with these parameters."""
        tag = path + ".params"
        want = json.dumps([self.stamp, params])
        if os.path.exists(path) and os.path.exists(tag):
            with open(tag) as f:
                if f.read() == want:
                    return True
        return False

    def _done(self, path, params):
        with open(path + ".params", "w") as f:
            f.write(json.dumps([self.stamp, params]))

    def argv(self, size, extra):
        return [self.a.genlog, "--samples", self.a.samples, "--size", str(size)] + extra

    def make(self, name, size, extra):
        """One generated file (and its manifest), reused when up to date."""
        path = os.path.join(self.a.tmp, name)
        params = [size] + extra
        if not self._fresh(path, params):
            say("   generating %s (%s)" % (name, human(size)))
            subprocess.run(self.argv(size, extra + [
                "-o", path, "-m", path + ".json", "-l", path]), check=True)
            self._done(path, params)
        return path

    def rotations(self, name, count, size, every):
        """count gzipped daily rotations, one in `every` with a failure."""
        d = os.path.join(self.a.tmp, name)
        params = [count, size, every]
        if self._fresh(d, params):
            return d
        say("   generating %d rotations of %s in %s" % (count, human(size), name))
        mdir = d + "-manifests"
        for x in (d, mdir):
            shutil.rmtree(x, ignore_errors=True)
            os.makedirs(x)
        jobs = []
        for i in range(count):
            day = time.strftime("%Y-%m-%d", time.gmtime(1788220800 + 86400 * i))
            name_i = "localhost_log.%s.txt.gz" % day
            path = os.path.join(d, name_i)
            embed = 1 if i % every == every // 2 else 0
            jobs.append(self.argv(size, [
                "--gzip", "--seed", str(i), "--start", day, "--embed", str(embed),
                "--first", str(i), "-o", path, "-l", path,
                "-m", os.path.join(mdir, name_i + ".json")]))
        running = []
        for argv in jobs:          # two at a time
            running.append(subprocess.Popen(argv))
            if len(running) == 2:
                if running.pop(0).wait():
                    sys.exit("bench: genlog failed")
        for p in running:
            if p.wait():
                sys.exit("bench: genlog failed")
        self._done(d, params)
        return d


def human(n):
    for unit, k in (("GiB", GIB), ("MiB", MIB), ("KiB", 1024)):
        if n >= k:
            v = n / k
            return ("%d %s" % (v, unit)) if v == int(v) else ("%.1f %s" % (v, unit))
    return "%d B" % n


# ---- checking sslsift's answers ------------------------------------------

class Expect:
    """What each capture gets when sslsift reads it alone."""

    def __init__(self, sslsift, samples, patterns):
        self.sslsift, self.samples, self.patterns = sslsift, samples, patterns
        self.cache = {}

    def of(self, sample):
        if sample not in self.cache:
            r = run(self.sslsift_argv(["-f", "json", os.path.join(self.samples, sample)]),
                    keep=True)
            hs = json.loads(r.out)["handshakes"]
            if len(hs) != 1:
                sys.exit("bench: %s: %d handshakes on its own" % (sample, len(hs)))
            self.cache[sample] = hs[0]
        return self.cache[sample]

    def sslsift_argv(self, rest):
        return [self.sslsift] + (["--patterns", self.patterns] if self.patterns else []) + rest


def rotation_manifests(d):
    m = d + "-manifests"
    return sorted(os.path.join(m, f) for f in os.listdir(m) if f.endswith(".json"))


def manifests(paths):
    out = []
    for p in paths:
        with open(p) as f:
            out.append(json.load(f))
    return out


def check_report(report, mans, expect, label, file_of=lambda m: m["file"]):
    """Every embedded handshake found where it was put, as its capture is
    diagnosed alone, with its symptom lines; nothing else found."""
    problems = []
    by_place = {(h["file"], h["line"]): h for h in report["handshakes"]}
    want = 0
    for m in mans:
        for e in m["embedded"]:
            want += 1
            alone = expect.of(e["sample"])
            place = (file_of(m), e["first_line"] + alone["line"] - 1)
            h = by_place.get(place)
            if h is None:
                problems.append("%s: no handshake at %s:%d (%s)" % (
                    label, place[0], place[1], e["sample"]))
                continue
            for key in ("diagnosis", "chain", "tls_version", "outcome"):
                if h[key] != alone[key]:
                    problems.append("%s: %s:%d: %s %s, alone %s" % (
                        label, place[0], place[1], key, h[key], alone[key]))
            if len(h["peer_certificates"] or []) != len(alone["peer_certificates"] or []):
                problems.append("%s: %s:%d: certificates differ" % (label, *place))
            got = {(s["file"], s["line"]) for s in h["symptoms"]}
            for line in e["symptom_lines"]:
                if (file_of(m), line) not in got:
                    problems.append("%s: %s:%d: symptom line %d not tied to it" % (
                        label, place[0], place[1], line))
    if len(report["handshakes"]) != want:
        problems.append("%s: %d handshakes reported, %d embedded" % (
            label, len(report["handshakes"]), want))
    return problems, want


# ---- the machine -----------------------------------------------------------

def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True).stdout
        return out.splitlines()[0].strip() if out else "?"
    except OSError:
        return "missing"


def machine(tools, load_end):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            mem = "%.0f GiB" % (kb / (1 << 20))
    except (OSError, AttributeError):
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            osname = m.group(1) if m else osname
    except OSError:
        pass
    import zlib
    lines = [
        "CPU: %s, %d cores (os.cpu_count), %s RAM" % (cpu, os.cpu_count() or 0, mem),
        "OS: %s, kernel %s" % (osname, platform.release()),
        "load average (1, 5, 15 min) at start: %s; at the end: %s (other work "
        "shares these cores)" % (LOAD_START, load_end),
        "zlib %s; %s" % (zlib.ZLIB_RUNTIME_VERSION, "; ".join(
            "%s: %s" % (k, v) for k, v in tools.items())),
    ]
    return lines


def find_rg(install):
    rg = shutil.which("rg")
    if rg or not install:
        return rg
    apt = shutil.which("apt-get")
    if apt:
        sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None:
            say("   ripgrep is missing: %s apt-get install -y ripgrep" % " ".join(sudo))
            subprocess.run(sudo + [apt, "install", "-y", "-qq", "ripgrep"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return shutil.which("rg")


# ---- the benchmark ------------------------------------------------------------

def stdin_case(args, gen, expect, size):
    """size bytes generated on the fly into sslsift's standard input."""
    man = os.path.join(args.tmp, "stdin.json")
    g = subprocess.Popen(gen.argv(size, ["-m", man, "-l", "-"]), stdout=subprocess.PIPE)
    p, r = measured(expect.sslsift_argv(["-f", "json", "-"]), g.stdout,
                    subprocess.PIPE)
    g.stdout.close()
    out = p.stdout.read()
    err = p.stderr.read()
    p.stdout.close()
    p.stderr.close()
    p.wait()
    if g.wait():
        sys.exit("bench: genlog failed")
    wall, cpu, rss, code = report_of(r)
    if code not in (0, 1):
        sys.exit("bench: sslsift on stdin failed: %s" % err.decode(errors="replace"))
    problems, n = check_report(json.loads(out), manifests([man]), expect,
                               "stdin", file_of=lambda m: "-")
    return Result(wall, cpu, rss, code, None), problems, n


def check_case(case, label, mans, expect):
    report = json.loads(case.first_out[label])
    return check_report(report, mans, expect, "%s %s" % (case.name, label))


LOAD_START = " ".join("%.2f" % x for x in os.getloadavg())


# sslsift's prefilter levels (SSLSIFT_SIMD, sslsift(1)), best first, with
# the CPU flags each needs; scalar is left out (several seconds a GiB).
SIMD_LEVELS = (("avx512", ("avx512vbmi", "avx512bw")), ("avx512bw", ("avx512bw",)),
               ("avx2", ("avx2",)), ("ssse3", ("ssse3",)))


def lower_simd_levels():
    """The levels below the best this CPU has: the plain case also times
    sslsift capped to each, to show what CPUs without it get."""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^flags\s*:(.*)$", f.read(), re.M)
        flags = set(m.group(1).split()) if m else set()
    except OSError:
        return []
    have = [lv for lv, need in SIMD_LEVELS if all(x in flags for x in need)]
    return have[1:]


def benchmark(args):
    t_start = time.time()
    gen = Gen(args)
    expect = Expect(args.sslsift, args.samples, args.patterns)
    S = expect.sslsift_argv
    tools = {"sslsift": first_line([args.sslsift, "--version"])}
    rg = find_rg(not args.no_install)
    tools["rg"] = first_line([rg, "--version"]) if rg else "missing (apt-get install ripgrep): skipped"
    tools["grep"] = first_line(["grep", "--version"])
    gz = shutil.which("gzip")
    tools["gzip"] = first_line([gz, "--version"]) if gz else "missing: skipped"
    for k, v in tools.items():
        say("   %s: %s" % (k, v))
    jobs = os.cpu_count() or 1

    say("== generating inputs in %s" % args.tmp)
    size = args.size
    plain = gen.make("app.log", size, ["--seed", "1"])
    gzfile = gen.make("app.log.gz", size, ["--seed", "1", "--gzip"])
    rot = gen.rotations("rotations", 64, size // 64, 10)
    dball = gen.make("debug-all.log", args.debug_size, [
        "--only-embeds", "--embed-file", "leaf_only-tls13-debug-all.log"])

    cases = []
    lower = [("sslsift, SSLSIFT_SIMD=%s" % lv,
              ["env", "SSLSIFT_SIMD=" + lv] + S(["-f", "json", plain]))
             for lv in lower_simd_levels()]
    c = Case("plain", human(size) + " log", [("sslsift", S(["-f", "json", plain]))] + lower +
             ([("rg -c", [rg, "-c", ALT, plain])] if rg else []) +
             [("grep -c -E", ["grep", "-c", "-E", ALT, plain]),
              ("wc -l", ["wc", "-l", plain])])
    cases.append(c)
    c = Case("gzip", human(size) + " log, gzipped", [
        ("sslsift", S(["-f", "json", gzfile])),
        ("gzread floor", [args.gzfloor, gzfile])] +
        ([("gzip -dc", [gz, "-dc", gzfile])] if gz else []), null_out=("gzip -dc",))
    cases.append(c)
    c = Case("rotations", "64 gzipped rotations, %s in all" % human(size), [
        ("sslsift -j 1", S(["-j", "1", "-f", "json", rot])),
        ("sslsift -j %d" % jobs, S(["-j", str(jobs), "-f", "json", rot]))] +
        ([("rg -z -c", [rg, "-z", "-c", ALT, rot])] if rg else []))
    cases.append(c)
    c = Case("debug-all", human(args.debug_size) + " of -Djavax.net.debug=all", [
        ("sslsift", S(["-f", "json", dball])), ("wc -l", ["wc", "-l", dball])])
    cases.append(c)
    for c in cases:
        before = cores_free() if c.name == "rotations" else None
        c.time(case_runs(args, c.name))
        if before is not None:
            c.cores = (before, cores_free())
            say("   cores free for this case: %.2f before, %.2f after" % c.cores)

    say("== %s through standard input" % human(args.stdin_size))
    sres, sprob, sn = stdin_case(args, gen, expect, args.stdin_size)

    say("== checking sslsift's answers")
    problems = list(sprob)
    found = {"stdin": sn}
    for case, label, mans in (
            (cases[0], "sslsift", [plain + ".json"]),
            (cases[1], "sslsift", [gzfile + ".json"]),
            (cases[2], "sslsift -j 1", rotation_manifests(rot)),
            (cases[3], "sslsift", [dball + ".json"])):
        p, n = check_case(case, label, manifests(mans), expect)
        problems += p
        found[case.name] = n
    for label, _ in lower:
        if cases[0].first_out[label] != cases[0].first_out["sslsift"]:
            problems.append("plain: %s output differs" % label)
    if cases[2].first_out["sslsift -j 1"] != cases[2].first_out["sslsift -j %d" % jobs]:
        problems.append("rotations: -j %d output differs from -j 1" % jobs)
    for p in problems:
        say("   FAIL: " + p)
    if not problems:
        say("   ok: every embedded handshake found (%s); -j %d output identical to -j 1" % (
            ", ".join("%s %d" % kv for kv in found.items()), jobs))

    table, verdicts = report(cases, sres, args, jobs)
    for line in table:
        say(line)
    for v in verdicts:
        say(v)
    elapsed = time.time() - t_start
    say("bench: %.0f s in all" % elapsed)
    if args.out:
        load_end = " ".join("%.2f" % x for x in os.getloadavg())
        write_readme(args.out, machine(tools, load_end), table, verdicts, problems,
                     found, elapsed, args)
        say("bench: results written to %s" % args.out)
    return 1 if problems else 0


def report(cases, sres, args, jobs):
    plain, gzc, rot, dball = cases
    rows = []
    for c in cases:
        base = {"plain": "rg -c", "gzip": "gzread floor",
                "rotations": "sslsift -j 1", "debug-all": "wc -l"}[c.name]
        if base not in c.results:
            base = None
        for label, _ in c.cmds:
            ratio = c.ratio(label, base) if base else float("nan")
            rows.append((c.name, label, c.input_desc, c.wall(label), c.cpu(label), ratio,
                         base or "-", c.rss(label)))
    rows.append(("stdin", "sslsift", human(args.stdin_size) + " generated into a pipe",
                 sres.wall, sres.cpu, float("nan"), "-", sres.rss_kib))
    table = ["| case | tool | input | median wall | median CPU | ratio | vs | peak RSS |",
             "|---|---|---|---:|---:|---:|---|---:|"]
    for name, label, desc, wall, cpu, ratio, base, rss in rows:
        table.append("| %s | %s | %s | %.3f s | %.3f s | %s | %s | %.1f MiB |" % (
            name, label, desc, wall, cpu, "-" if ratio != ratio else "%.2f" % ratio,
            base, rss / 1024))
    v = []

    def verdict(key, ok, figure):
        v.append("- %s: %s -- %s" % (TARGETS[key], "met" if ok else "NOT met", figure))
    if "rg -c" in plain.results:
        r = plain.ratio("sslsift", "rg -c")
        verdict("plain", r <= 1.5, "%.2f x (CPU %.2f x)" % (
            r, plain.ratio("sslsift", "rg -c", "cpu")))
    r = gzc.ratio("sslsift", "gzread floor")
    verdict("gzip", r <= 1.15, "%.2f x (CPU %.2f x)" % (
        r, gzc.ratio("sslsift", "gzread floor", "cpu")))
    jn = "sslsift -j %d" % jobs
    r = rot.ratio(jn, "sslsift -j 1")
    cores = getattr(rot, "cores", (float("nan"), float("nan")))
    verdict("rotations", r <= 0.6, "%.2f x with %d jobs; two busy processes got "
            "%.2f and %.2f cores before and after this case" % (r, jobs, *cores))
    rss = max(plain.rss("sslsift"), sres.rss_kib) / 1024
    verdict("rss", rss <= 32, "%.1f MiB (1 GiB file %.1f, stdin %.1f)" % (
        rss, plain.rss("sslsift") / 1024, sres.rss_kib / 1024))
    mbs = args.debug_size / 1e6 / dball.wall("sslsift")
    verdict("debug-all", mbs >= 200, "%.0f MB/s" % mbs)
    others = ["%s %.2f x" % (l.split("=")[1], plain.ratio(l, "rg -c"))
              for l, _ in plain.cmds if "SSLSIFT_SIMD=" in l and "rg -c" in plain.results]
    if others:
        v.append("- (not a target) the plain case on CPUs without this one's best "
                 "instructions, capped with SSLSIFT_SIMD: " + ", ".join(others))
    return table, v


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_readme(path, mach, table, verdicts, problems, found, elapsed, args):
    body = ["Last `make bench`: %s, %.0f s end to end, %d rounds per case "
            "(%d for the quick ones: %s)." % (
                time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), elapsed,
                args.runs, case_runs(args, QUICK_CASES[0]),
                " and ".join(QUICK_CASES)), ""]
    body += ["Machine:", ""] + ["- " + m for m in mach] + [""]
    body += table + [""]
    body += ["rg maps the whole file, so its peak RSS counts the page cache's "
             "pages of it; sslsift maps a window at a time.  The stdin case's "
             "wall time is genlog's: sslsift waits for the pipe.", ""]
    body += ["Targets (wall-time ratios from the same run):", ""] + verdicts + [""]
    if any("NOT met" in v and "cores" in v for v in verdicts):
        body += ["When two busy processes get about one core, other sessions "
                 "hold the other one: Linux shares the CPU between sessions "
                 "first (autogroup), so a second worker thread has no core to "
                 "run on and -j cannot show; run `make bench` again on a "
                 "quieter machine.", ""]
    if problems:
        body += ["Correctness check FAILED:", ""] + ["- " + p for p in problems]
    else:
        body += ["Correctness: every embedded handshake found where it was put, "
                 "with its capture's diagnosis and its symptom lines (%s); "
                 "-j output identical to -j 1." % ", ".join(
                     "%s %d" % kv for kv in found.items())]
    text = "\n".join(body)
    try:
        with open(path) as f:
            old = f.read()
    except OSError:
        old = "# sslsift benchmark\n\n%s\n%s\n" % (BEGIN, END)
    if BEGIN not in old or END not in old:
        old = old.rstrip("\n") + "\n\n%s\n%s\n" % (BEGIN, END)
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + text + "\n" + END + tail)


# ---- the quick check -------------------------------------------------------

def quick_check(args):
    """CI: small inputs, every embedded handshake found, -j 2 == -j 1."""
    gen = Gen(args)
    expect = Expect(args.sslsift, args.samples, args.patterns)
    S = expect.sslsift_argv
    problems = []
    plain = gen.make("check.log", args.size, ["--seed", "7"])
    gzfile = gen.make("check.log.gz", args.size, ["--seed", "7", "--gzip", "--first", "2"])
    rot = gen.rotations("check-rotations", 8, args.size // 8, 3)
    for path in (plain, gzfile):
        r = run(S(["-f", "json", path]), keep=True)
        p, n = check_report(json.loads(r.out), manifests([path + ".json"]), expect,
                            os.path.basename(path))
        problems += p
        say("   %s: %d embedded handshakes checked" % (os.path.basename(path), n))
        for lv in lower_simd_levels():
            if run(["env", "SSLSIFT_SIMD=" + lv] + S(["-f", "json", path]),
                   keep=True).out != r.out:
                problems.append("%s: SSLSIFT_SIMD=%s output differs" % (
                    os.path.basename(path), lv))
    outs = {}
    for j in (1, 2, 3):
        outs[j] = run(S(["-j", str(j), "-f", "json", rot]), keep=True).out
    p, n = check_report(json.loads(outs[1]), manifests(rotation_manifests(rot)),
                        expect, "rotations")
    problems += p
    say("   rotations: %d embedded handshakes checked" % n)
    for j in (2, 3):
        if outs[j] != outs[1]:
            problems.append("rotations: -j %d output differs from -j 1" % j)
    _, p, n = stdin_case(args, gen, expect, args.size)
    problems += p
    say("   stdin: %d embedded handshakes checked" % n)
    for p in problems:
        say("FAIL: " + p)
    say("bench-check: %s" % ("FAILED" if problems else "ok"))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sslsift", default="./sslsift")
    ap.add_argument("--genlog", default="bench/genlog")
    ap.add_argument("--gzfloor", default="bench/gzfloor")
    ap.add_argument("--measure", default="bench/measure")
    ap.add_argument("--samples", default="samples/jdk17")
    ap.add_argument("--patterns", default=None, help="sslsift --patterns DIR")
    ap.add_argument("--tmp", default=os.environ.get("BENCH_TMP", "/tmp/sslsift-bench"),
                    help="where the generated logs go (kept for the next run)")
    ap.add_argument("--out", default=None, help="README to write the results into")
    ap.add_argument("--size", type=lambda s: parse_size(s), default=None)
    ap.add_argument("--debug-size", type=lambda s: parse_size(s), default=256 * MIB)
    ap.add_argument("--stdin-size", type=lambda s: parse_size(s), default=8 * GIB)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install a missing ripgrep")
    ap.add_argument("--check", action="store_true", help="the quick correctness check")
    args = ap.parse_args()
    for prog in (args.sslsift, args.genlog, args.measure) + (
            () if args.check else (args.gzfloor,)):
        if not os.access(prog, os.X_OK):
            sys.exit("bench: %s is not built" % prog)
    global MEASURE
    MEASURE = os.path.abspath(args.measure)
    if args.check:
        args.size = args.size or 20 * MIB
        return quick_check(args)
    args.size = args.size or GIB
    return benchmark(args)


def parse_size(s):
    m = re.fullmatch(r"(\d+)([KMG]?)", s)
    if not m:
        raise argparse.ArgumentTypeError("not a size: " + s)
    return int(m.group(1)) * {"": 1, "K": 1024, "M": MIB, "G": GIB}[m.group(2)]


if __name__ == "__main__":
    sys.exit(main())
