/* envelope.h - strips a log line's envelope.  Each line is looked at on its
 * own (files mix envelopes): first the outer envelope the log file adds
 * (Tanuki wrapper, ServiceNow app-node/localhost log, ServiceNow MID agent
 * log, Tomcat JULI, WebSphere/Liberty, JBoss/WildFly, Kubernetes CRI,
 * docker compose, a prefix learned from the input, or none for raw JVM
 * output), then the inner one the
 * JSSE debug logger adds (the JDK 11+ `javax.net.ssl|LEVEL|ID|THREAD|TIME|
 * SOURCE|message` record header, or the classic JDK 8 `thread, message`
 * form).  Both are tables of rows in envelope.c: a new envelope is a row
 * (and, for a fixed layout, a scanner in envelope_scan.c).
 *
 * Ownership: struct envelopes is created once and freed by envelopes_free;
 * it is read-only while stripping, so one may serve many threads.  A
 * struct env_cache is per input (it remembers which envelope matched last,
 * which is tried first, and a foreign prefix learned from the input) and
 * is plain data.  Every slice in a struct
 * envline borrows from the line that was stripped. */
#ifndef SSLSIFT_ENVELOPE_H
#define SSLSIFT_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum env_inner {
	INNER_NONE = 0,
	INNER_JSSE,      /* javax.net.ssl|DEBUG|0C|main|2026-...|File.java:NN|msg */
	INNER_CLASSIC,   /* main, WRITE: TLSv1.2 Handshake, length = 123 */
};

struct envline {
	const char *outer_name;  /* "wrapper", "sn-app", "raw", ... */
	int64_t ts;              /* outer timestamp, naive ms, or TS_NONE */
	struct slice thread;     /* outer thread name, or empty */
	struct slice level;      /* outer level word, or empty */

	enum env_inner inner;
	struct slice jsse_level; /* INNER_JSSE: DEBUG, ALL, WARNING, ... */
	struct slice jsse_thread;/* INNER_JSSE or INNER_CLASSIC thread */
	int64_t jsse_ts;         /* INNER_JSSE timestamp, naive ms, or TS_NONE */
	struct slice jsse_src;   /* INNER_JSSE: "CertificateMessage.java:1172" */

	struct slice msg;        /* the payload: everything no envelope claimed */

	/* A raw line with an application symptom, right under a logger's
	 * line (Tomcat's "... threw exception", the exception on the next
	 * line): that line's thread and time (pipeline.c fills them in). */
	bool above;
	unsigned above_up;       /* how many lines up: 1, the line above */
	struct slice above_thread;
	int64_t above_ts;
};

#define ENV_PREFIX_MAX 96

struct env_cache {
	int last_outer;          /* row index that matched last, -1 at start */
	/* A prefix no row knows, learned from an anchor line of this input
	 * (FORMATS.md §0) and stripped from each line it is found on again:
	 * its shape, a run of digits as one '9'; 0 bytes: none learned. */
	size_t prefix_n;
	char prefix[ENV_PREFIX_MAX];
};

struct envelopes;

struct envelopes *envelopes_new(struct ss_err *err);
void envelopes_free(struct envelopes **e);
void env_cache_init(struct env_cache *c);
/* Never fails: a line no envelope claims is raw, msg = the whole line. */
void envelope_strip(const struct envelopes *e, struct env_cache *c,
		    const char *line, size_t n, struct envline *out);
/* Literals one of which every line the envelope stage must see holds,
 * for prefilters: every line with an inner header (JSSE record or
 * classic "thread, VERB"), and every line a prefix may be learned from
 * (what is learned must not depend on which lines a prefilter let
 * through).  NULL-terminated. */
const char *const *envelope_inner_marks(void);
/* Whether the line may teach a prefix (an anchor of FORMATS.md §0 starts
 * after its first byte): such a line must be stripped even where nothing
 * in it matters otherwise. */
bool envelope_may_learn(const char *line, size_t n);
/* Names of the outer envelopes, for --help and docs: NULL-terminated. */
const char *const *envelope_names(void);

#endif
