/* genlog - writes a realistic application log of a chosen size, with real
 * captured failing TLS handshakes embedded at known places, for sslsift's
 * benchmark (bench/run.py) and its correctness check (make bench-check).
 *
 * The bulk is ServiceNow localhost-log lines (about 150 bytes, INFO most of
 * the time, some DEBUG, WARNING and SEVERE, Java stack traces now and then).
 * Each embedded handshake is one of the captured JDK 17 debug logs in
 * samples/jdk17 (whole, as the JVM wrote it, with the record headers'
 * timestamps moved to the log's clock) followed by the three symptom lines
 * the application writes in the localhost envelope on the same thread.
 * --manifest writes a JSON document naming every embedded handshake and
 * the line numbers it landed on.
 *
 *   genlog --size 1G --samples samples/jdk17 --embed 6 -o app.log -m app.json
 *   genlog --size 16M --gzip ... -o rot/localhost_log.2026-01-07.txt.gz
 *   genlog --size 256M --only-embeds --embed-file X-debug-all.log -o all.log
 *
 * Output is deterministic for a given --seed.  No TLS signature appears in
 * the generated bulk, so every handshake sslsift reports must be one this
 * program embedded. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* The failing captures embedded by default, in turn. */
static const char *const default_samples[] = {
	"leaf_only-tls12.log", "root_not_imported-tls13.log",
	"self_signed-tls12.log", "leaf_only-tls13.log",
	"root_not_imported-tls12.log", "self_signed-tls13.log",
};

/* ---- output: plain or gzip, through one big buffer ------------------- */

struct out {
	FILE *f;
	gzFile gz;
	char *buf;
	size_t n, cap;
	uint64_t bytes, lines;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("genlog: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void out_flush(struct out *o)
{
	if (!o->n)
		return;
	if (o->gz) {
		if (gzwrite(o->gz, o->buf, (unsigned)o->n) != (int)o->n)
			die("gzip write failed");
	} else if (fwrite(o->buf, 1, o->n, o->f) != o->n) {
		die("write failed: %s", strerror(errno));
	}
	o->n = 0;
}

/* Room for at least k more bytes. */
static char *out_room(struct out *o, size_t k)
{
	if (o->n + k > o->cap)
		out_flush(o);
	if (k > o->cap)
		die("line too long");
	return o->buf + o->n;
}

static void out_put(struct out *o, const char *s, size_t k)
{
	memcpy(out_room(o, k), s, k);
	o->n += k;
	o->bytes += k;
}

/* Ends a line built in place with out_room(): len bytes, newline added. */
static void out_line(struct out *o, size_t len)
{
	o->buf[o->n + len] = '\n';
	o->n += len + 1;
	o->bytes += len + 1;
	o->lines++;
}

/* ---- randomness and the clock ---------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned rndn(unsigned n)
{
	return (unsigned)((rnd() >> 11) % n);
}

struct clock {
	int64_t ms;          /* naive wall clock, ms since the epoch */
	int64_t cached_s;    /* second that stamp[] holds */
	char stamp[20];      /* "2026-11-22 09:22:04" */
};

static void clock_stamp(struct clock *c)
{
	int64_t s = c->ms / 1000;
	if (s == c->cached_s)
		return;
	time_t t = (time_t)s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(c->stamp, sizeof c->stamp, "%Y-%m-%d %H:%M:%S", &tm);
	c->cached_s = s;
}

static int64_t parse_start(const char *s)
{
	struct tm tm = {0};
	if (!strptime(s, "%Y-%m-%d %H:%M:%S", &tm) &&
	    !strptime(s, "%Y-%m-%d", &tm))
		die("--start: want YYYY-MM-DD[ HH:MM:SS], not '%s'", s);
	return (int64_t)timegm(&tm) * 1000;
}

/* ---- the bulk: ServiceNow localhost lines ----------------------------- */

static const char *const threads[] = {
	"glide.scheduler.worker.0", "glide.scheduler.worker.1",
	"glide.scheduler.worker.2", "glide.scheduler.worker.4",
	"glide.scheduler.worker.5", "glide.scheduler.worker.6",
	"http-nio-16001-exec-12", "http-nio-16001-exec-7",
	"http-nio-16001-exec-31", "Default-thread-3", "Default-thread-9",
	"AMB-Send-Worker", "glide.quota.manager", "ECCSender.1",
};

static const char *const tables[] = {
	"incident", "task_sla", "sys_user", "cmdb_ci_server", "sc_req_item",
	"sys_email", "ecc_queue", "sys_audit", "change_request", "kb_knowledge",
};

static const char *const users[] = {
	"integration.user", "admin", "mid.server", "svc.monitoring",
	"j.doe", "guest",
};

static const char *const frames[] = {
	"com.glide.script.fencing.ScopedEvaluator.evaluate(ScopedEvaluator.java:%u)",
	"com.glide.script.RhinoEnvironment.executeScript(RhinoEnvironment.java:%u)",
	"com.glide.db.DBQuery.executeAsResultSet0(DBQuery.java:%u)",
	"com.glide.db.pool.DBConnectionPool.get(DBConnectionPool.java:%u)",
	"com.glide.schedule.JobExecutor.execute(JobExecutor.java:%u)",
	"com.glide.schedule.GlideScheduleWorker.run(GlideScheduleWorker.java:%u)",
	"com.glide.ui.GlideServlet.handler(GlideServlet.java:%u)",
	"org.mozilla.javascript.Interpreter.interpret(Interpreter.java:%u)",
	"java.base/java.util.HashMap.get(HashMap.java:%u)",
	"java.base/java.lang.Thread.run(Thread.java:%u)",
};

static const char *const exceptions[] = {
	"java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null",
	"java.sql.SQLTransientConnectionException: Lock wait timeout exceeded; try restarting transaction",
	"java.lang.IllegalStateException: Record is read-only",
	"com.glide.script.RhinoEcmaError: \"current\" is not defined.",
	"java.util.ConcurrentModificationException",
};

static char hexd(void)
{
	return "0123456789ABCDEF"[rndn(16)];
}

/* A message for the bulk; never a TLS signature. */
static int bulk_message(char *p, size_t cap, const char **level)
{
	unsigned r = rndn(1000), id = 100000 + rndn(900000);
	const char *tab = tables[rndn(sizeof tables / sizeof *tables)];
	const char *usr = users[rndn(sizeof users / sizeof *users)];
	*level = "INFO";
	if (r < 250)
		return snprintf(p, cap, "*** Start  #%u, path: /api/now/table/%s, user: %s",
				id, tab, usr);
	if (r < 500)
		return snprintf(p, cap, "*** End  #%u, path: /api/now/table/%s, user: %s, "
				"time: 0:00:00.%03u, render: 0:00:00.%03u", id, tab, usr,
				rndn(1000), rndn(100));
	if (r < 600)
		return snprintf(p, cap, "SYSTEM TABLE: sys_user_preference for %s (%u rows)",
				usr, rndn(5000));
	if (r < 700) {
		*level = "DEBUG";
		return snprintf(p, cap, "Glide cache flushed: syscache_%s, %u entries, took %u ms",
				tab, rndn(20000), rndn(400));
	}
	if (r < 780)
		return snprintf(p, cap, "Background message, type:info, message: Scheduled "
				"job 'Clean %s' completed in %u ms", tab, rndn(9000));
	if (r < 840)
		return snprintf(p, cap, "Response from uri=https://api.vendor%u.example:443/v1/"
				"items : HTTP/1.1 200 OK (TLSv1.3, TLS_AES_256_GCM_SHA384)",
				rndn(20));
	if (r < 900) {
		*level = "WARNING";
		return snprintf(p, cap, "*** WARNING *** Slow SQL (%u ms): SELECT %s0.`sys_id` "
				"FROM %s %s0 WHERE %s0.`active` = 1", 1000 + rndn(9000),
				tab, tab, tab, tab);
	}
	if (r < 960) {
		*level = "WARNING";
		return snprintf(p, cap, "Slow business rule 'Calculate SLA' on %s:INC%07u, "
				"time was: 0:00:00.%03u", tab, rndn(9999999), rndn(1000));
	}
	if (r < 995)
		return snprintf(p, cap, "Sending email notification 'Incident assigned' for "
				"INC%07u to %s", rndn(9999999), usr);
	*level = "SEVERE";
	return -1;      /* an error with a stack trace */
}

/* "2026-11-22 09:22:04 (323) thread SESSION txid=... " */
static int line_prefix(char *p, size_t cap, struct clock *c, const char *thread)
{
	clock_stamp(c);
	char sess[34] = "", tx[13];
	if (rndn(4) == 0) {       /* one line in four runs in a session */
		for (int i = 0; i < 32; i++)
			sess[i] = hexd();
		sess[32] = ' ';
	}
	for (int i = 0; i < 12; i++)
		tx[i] = (char)("0123456789abcdef"[rndn(16)]);
	tx[12] = '\0';
	return snprintf(p, cap, "%s (%03u) %s %stxid=%s ", c->stamp,
			(unsigned)(c->ms % 1000), thread, sess, tx);
}

static void stack_trace(struct out *o)
{
	const char *ex = exceptions[rndn(sizeof exceptions / sizeof *exceptions)];
	out_put(o, ex, strlen(ex));
	out_put(o, "\n", 1);
	o->lines++;
	unsigned n = 6 + rndn(20);
	for (unsigned i = 0; i < n; i++) {
		char *p = out_room(o, 256);
		int k = snprintf(p, 256, "\tat ");
		k += snprintf(p + k, (size_t)(256 - k),
			      frames[rndn(sizeof frames / sizeof *frames)],
			      20 + rndn(2000));
		out_line(o, (size_t)k);
	}
}

static void bulk_line(struct out *o, struct clock *c)
{
	const char *thread = threads[rndn(sizeof threads / sizeof *threads)];
	char *p = out_room(o, 1024);
	int k = line_prefix(p, 1024, c, thread);
	const char *level;
	char msg[512];
	int m = bulk_message(msg, sizeof msg, &level);
	if (m < 0) {
		k += snprintf(p + k, (size_t)(1024 - k),
			      "SEVERE *** ERROR *** Script error in '%s' at line %u",
			      tables[rndn(sizeof tables / sizeof *tables)], rndn(300));
		out_line(o, (size_t)k);
		stack_trace(o);
	} else {
		k += snprintf(p + k, (size_t)(1024 - k), "%s %s", level, msg);
		out_line(o, (size_t)k);
	}
	c->ms += rndn(25);
}

/* ---- embedded captures ------------------------------------------------ */

struct sample {
	char *name;
	char *text;
	size_t len;
	char thread[128];        /* of the first record header */
	char host[256];          /* the SNI host_name value */
	int64_t t0;              /* first record header's time, ms */
};

/* "2026-11-22 09:21:54.470" at p (23 bytes): ms, or -1. */
static int64_t parse_ts(const char *p, size_t n)
{
	if (n < 23)
		return -1;
	char tmp[24];
	memcpy(tmp, p, 23);
	tmp[23] = '\0';
	struct tm tm = {0};
	char *e = strptime(tmp, "%Y-%m-%d %H:%M:%S", &tm);
	if (!e || *e != '.' || e[1] < '0' || e[1] > '9')
		return -1;
	return (int64_t)timegm(&tm) * 1000 + atoi(e + 1);
}

/* Where the time field of a record header starts: after the 4th '|'. */
static const char *header_ts(const char *line, size_t n)
{
	static const char mark[] = "javax.net.ssl|";
	if (n < sizeof mark || memcmp(line, mark, sizeof mark - 1) != 0)
		return NULL;
	const char *p = line, *e = line + n;
	for (int bars = 0; bars < 4; bars++) {
		p = memchr(p, '|', (size_t)(e - p));
		if (!p)
			return NULL;
		p++;
	}
	return e - p >= 23 ? p : NULL;
}

static void sample_load(struct sample *s, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s->text = malloc((size_t)n + 2);
	if (!s->text || fread(s->text, 1, (size_t)n, f) != (size_t)n)
		die("%s: read failed", path);
	fclose(f);
	if (n && s->text[n - 1] != '\n')
		s->text[n++] = '\n';
	s->len = (size_t)n;
	s->name = strdup(name);
	s->t0 = -1;
	for (char *l = s->text; l < s->text + s->len;) {
		char *nl = memchr(l, '\n', (size_t)(s->text + s->len - l));
		const char *ts = header_ts(l, (size_t)(nl - l));
		if (ts && s->t0 < 0) {
			s->t0 = parse_ts(ts, (size_t)(nl - ts));
			const char *th = l;
			for (int bars = 0; bars < 3; bars++)  /* header_ts found 4 */
				th = (const char *)memchr(th, '|', (size_t)(nl - th)) + 1;
			snprintf(s->thread, sizeof s->thread, "%.*s",
				 (int)(ts - 1 - th), th);
		}
		char *v = memmem(l, (size_t)(nl - l), "type=host_name (0), value=", 26);
		if (v && !s->host[0]) {
			v += 26;
			size_t k = strcspn(v, ",] \n");
			snprintf(s->host, sizeof s->host, "%.*s", (int)k, v);
		}
		l = nl + 1;
	}
	if (s->t0 < 0 || !s->thread[0])
		die("%s: no javax.net.ssl record header", path);
}

static void put_ts(char *p, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char tmp[32];
	strftime(tmp, sizeof tmp, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(tmp + 19, sizeof tmp - 19, ".%03d", (int)(ms % 1000));
	memcpy(p, tmp, 23);
}

/* Writes the capture with its record times moved to start at the clock;
 * the clock ends at its last record. */
static void embed_block(struct out *o, const struct sample *s, struct clock *c)
{
	int64_t last = 0;
	for (const char *l = s->text; l < s->text + s->len;) {
		const char *nl = memchr(l, '\n', (size_t)(s->text + s->len - l));
		size_t n = (size_t)(nl - l);
		char *p = out_room(o, n + 1);
		memcpy(p, l, n);
		const char *ts = header_ts(l, n);
		int64_t t = ts ? parse_ts(ts, (size_t)(nl - ts)) : -1;
		if (t >= 0) {
			last = t - s->t0;
			put_ts(p + (ts - l), c->ms + last);
		}
		out_line(o, n);
		l = nl + 1;
	}
	c->ms += last;
}

static void symptom(struct out *o, struct clock *c, const char *thread,
		    const char *text)
{
	c->ms += 1 + rndn(40);
	char *p = out_room(o, 1024);
	int k = line_prefix(p, 1024, c, thread);
	k += snprintf(p + k, (size_t)(1024 - k), "%s", text);
	out_line(o, (size_t)k);
}

struct manifest {
	FILE *f;
	int n;
};

/* The capture, then the application's three lines on the same thread. */
static void embed(struct out *o, struct clock *c, const struct sample *s,
		  bool symptoms, struct manifest *m)
{
	uint64_t first = o->lines + 1;
	embed_block(o, s, c);
	uint64_t last = o->lines;
	uint64_t sym[3] = {0};
	if (symptoms) {
		char buf[512];
		sym[0] = o->lines + 1;
		symptom(o, c, s->thread, "SEVERE *** ERROR *** javax.net.ssl."
			"SSLHandshakeException: PKIX path building failed: sun."
			"security.provider.certpath.SunCertPathBuilderException: "
			"unable to find valid certification path to requested target");
		sym[1] = o->lines + 1;
		symptom(o, c, s->thread, "DBKeyStoreSocketFactory DEBUG: Unable to "
			"collect telemetry data for certificate. Exception: peer "
			"not authenticated");
		sym[2] = o->lines + 1;
		snprintf(buf, sizeof buf, "WARNING *** WARNING *** Request not sent "
			 "to uri=https://%s:443/api/now/table/incident : "
			 "java.net.SocketException: Socket is closed", s->host);
		symptom(o, c, s->thread, buf);
	}
	if (!m->f)
		return;
	fprintf(m->f, "%s\n    {\"sample\": \"%s\", \"first_line\": %llu, "
		"\"last_line\": %llu, \"thread\": \"%s\", \"host\": \"%s\", "
		"\"symptom_lines\": [", m->n++ ? "," : "", s->name,
		(unsigned long long)first, (unsigned long long)last, s->thread, s->host);
	for (int i = 0; symptoms && i < 3; i++)
		fprintf(m->f, "%s%llu", i ? ", " : "", (unsigned long long)sym[i]);
	fputs("]}", m->f);
}

/* ---- the command line ---------------------------------------------------- */

struct opts {
	uint64_t size;
	const char *samples_dir, *output, *manifest, *label;
	const char *embed_files[16];
	int n_embed_files;
	int embed;
	int first;               /* the capture the cycle starts with */
	int gzip_level;
	bool only_embeds;
	int64_t start_ms;
};

static uint64_t parse_size(const char *s)
{
	char *e;
	double v = strtod(s, &e);
	uint64_t mul = 1;
	switch (*e) {
	case 'k': case 'K': mul = 1ull << 10; e++; break;
	case 'm': case 'M': mul = 1ull << 20; e++; break;
	case 'g': case 'G': mul = 1ull << 30; e++; break;
	}
	if (e == s || *e || v < 0)
		die("not a size: '%s'", s);
	return (uint64_t)(v * (double)mul);
}

static void usage(void)
{
	puts("Usage: genlog [OPTION]...\n"
	     "  -s, --size=N[KMG]     bytes to write (default 64M)\n"
	     "  -S, --samples=DIR     the captures (default samples/jdk17)\n"
	     "  -e, --embed=N         failing handshakes to embed (default 6)\n"
	     "  -E, --embed-file=F    capture to embed (repeatable; default: the\n"
	     "                        failing ones in DIR, in turn)\n"
	     "  -F, --first=K         start the turn at the K-th capture (default 0)\n"
	     "      --only-embeds     nothing but the captures, repeated to --size\n"
	     "                        (no application lines, no symptoms)\n"
	     "  -o, --output=FILE     (default standard output)\n"
	     "  -z, --gzip[=LEVEL]    gzip the output (default level 6)\n"
	     "  -m, --manifest=FILE   write what was embedded, as JSON\n"
	     "  -l, --label=NAME      the file name the manifest gives\n"
	     "      --seed=N          (default 1)\n"
	     "      --start=DATE      the log's first time, YYYY-MM-DD[ HH:MM:SS]");
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"size", 1, NULL, 's'}, {"samples", 1, NULL, 'S'},
		{"embed", 1, NULL, 'e'}, {"embed-file", 1, NULL, 'E'},
		{"first", 1, NULL, 'F'},
		{"only-embeds", 0, NULL, 'O'}, {"output", 1, NULL, 'o'},
		{"gzip", 2, NULL, 'z'}, {"manifest", 1, NULL, 'm'},
		{"label", 1, NULL, 'l'}, {"seed", 1, NULL, 'r'},
		{"start", 1, NULL, 't'}, {"help", 0, NULL, 'h'}, {0, 0, 0, 0},
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "s:S:e:E:F:o:z::m:l:h", lo, NULL)) != -1) {
		switch (ch) {
		case 's': o->size = parse_size(optarg); break;
		case 'S': o->samples_dir = optarg; break;
		case 'e': o->embed = atoi(optarg); break;
		case 'E':
			if (o->n_embed_files == 16)
				die("too many --embed-file");
			o->embed_files[o->n_embed_files++] = optarg;
			break;
		case 'F': o->first = atoi(optarg); break;
		case 'O': o->only_embeds = true; break;
		case 'o': o->output = optarg; break;
		case 'z': o->gzip_level = optarg ? atoi(optarg) : 6; break;
		case 'm': o->manifest = optarg; break;
		case 'l': o->label = optarg; break;
		case 'r': rng_state ^= strtoull(optarg, NULL, 10) * 0x2545F4914F6CDD1Dull; break;
		case 't': o->start_ms = parse_start(optarg); break;
		case 'h': usage(); exit(0);
		default: usage(); exit(2);
		}
	}
	if (optind != argc)
		die("unexpected operand '%s'", argv[optind]);
}

static void open_out(struct out *o, const struct opts *op)
{
	o->cap = 1 << 20;
	o->buf = malloc(o->cap);
	o->f = op->output ? fopen(op->output, "wb") : stdout;
	if (!o->buf || !o->f)
		die("%s: %s", op->output ? op->output : "-", strerror(errno));
	if (op->gzip_level > 0) {
		o->gz = gzdopen(dup(fileno(o->f)), "wb");
		if (!o->gz)
			die("gzdopen failed");
		gzbuffer(o->gz, 1 << 18);
		gzsetparams(o->gz, op->gzip_level, Z_DEFAULT_STRATEGY);
	}
}

static void close_out(struct out *o)
{
	out_flush(o);
	if (o->gz && gzclose(o->gz) != Z_OK)
		die("gzip close failed");
	if (fflush(o->f) != 0 || (o->f != stdout && fclose(o->f) != 0))
		die("write failed: %s", strerror(errno));
	free(o->buf);
}

int main(int argc, char **argv)
{
	struct opts op = {.size = 64ull << 20, .samples_dir = "samples/jdk17",
			  .embed = 6};
	op.start_ms = parse_start("2026-11-01 00:00:00");
	parse_opts(argc, argv, &op);
	if (op.first < 0)
		die("--first: not a capture number");
	if (!op.n_embed_files)
		for (size_t i = 0; i < sizeof default_samples / sizeof *default_samples; i++)
			op.embed_files[op.n_embed_files++] = default_samples[i];
	struct sample samples[16] = {{0}};
	for (int i = 0; i < op.n_embed_files; i++)
		sample_load(&samples[i], op.samples_dir, op.embed_files[i]);

	struct out o = {0};
	open_out(&o, &op);
	struct manifest m = {0};
	if (op.manifest && !(m.f = fopen(op.manifest, "w")))
		die("%s: %s", op.manifest, strerror(errno));
	if (m.f)
		fprintf(m.f, "{\n  \"file\": \"%s\",\n  \"embedded\": [",
			op.label ? op.label : op.output ? op.output : "-");

	struct clock c = {.ms = op.start_ms, .cached_s = -1};
	int done = 0;
	while (o.bytes < op.size) {
		bool due = op.only_embeds ||
			   (done < op.embed &&
			    o.bytes >= (uint64_t)((double)op.size * (done + 0.5) / op.embed));
		if (due) {
			embed(&o, &c, &samples[(done + op.first) % op.n_embed_files],
			      !op.only_embeds, &m);
			done++;
			c.ms += 50 + rndn(1000);
		} else {
			bulk_line(&o, &c);
		}
	}
	close_out(&o);
	if (m.f) {
		fprintf(m.f, "\n  ],\n  \"lines\": %llu,\n  \"bytes\": %llu\n}\n",
			(unsigned long long)o.lines, (unsigned long long)o.bytes);
		if (fclose(m.f) != 0)
			die("%s: %s", op.manifest, strerror(errno));
	}
	for (int i = 0; i < op.n_embed_files; i++) {
		free(samples[i].text);
		free(samples[i].name);
	}
	return 0;
}
