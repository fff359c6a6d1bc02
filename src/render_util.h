/* render_util.h - helpers the renderers share (private to render*.c):
 * handshakes grouped per (diagnosis, peer), the lines of evidence for one
 * handshake, and cleaning of log text for a terminal or a Markdown page.
 *
 * Ownership: groups_build() fills a struct hs_groups that the caller
 * releases with groups_free().  clean_text() and fill_template() return
 * strings the caller frees.  Everything else borrows from the report. */
#ifndef SSLSIFT_RENDER_UTIL_H
#define SSLSIFT_RENDER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diagnosis.h"
#include "model.h"

/* All handshakes of one diagnosis against one peer. */
struct hs_group {
	enum diag_code code;
	enum severity severity;
	char *peer;          /* handshake_peer_string() of them, or NULL */
	size_t first;        /* index of the first handshake in the report */
	size_t earliest;     /* index of the kept one that started first (a
			      * rotation read later may hold it), else
			      * first: where "first seen" points */
	size_t count;        /* handshakes, the omitted ones included */
	size_t omitted;      /* of them, left out by the detail caps */
	int64_t ts_first;    /* earliest / latest ts_start, or TS_NONE */
	int64_t ts_last;
};

struct hs_groups {
	struct hs_group *v;
	size_t n;
};

/* Groups the report's handshakes, worst first: severity, then the codes
 * with most handshakes, then the peers with most, then log order. */
void groups_build(const struct report *r, struct hs_groups *g);
void groups_free(struct hs_groups *g);

/* Handshakes of severity error (failed) and warning (at risk), and the
 * number of distinct peers among the failed ones. */
struct report_counts {
	uint64_t lines;
	size_t failed, at_risk, ok;
	size_t cut;                 /* of ok: cut off by the end of the log
				     * before they finished (outcome unknown) */
	size_t failed_peers;        /* distinct named peers among failed */
	size_t failed_unnamed;      /* failed handshakes with no peer name */
	enum diag_code main_cause;  /* the error code with most handshakes */
};
void report_counts(const struct report *r, const struct hs_groups *g,
		   struct report_counts *c);

/* The severity of a handshake's diagnosis. */
enum severity handshake_severity(const struct handshake *h);

/* Certificates the peer sent: those kept and those counted past the cap. */
size_t handshake_cert_total(const struct handshake *h);
/* How many of the kept certificates to show, at most max. */
size_t handshake_certs_shown(const struct handshake *h, size_t max);

/* The path of input `file`, or "?" if there is no such input. */
const char *input_path(const struct report *r, uint32_t file);

/* One line that supports a verdict: the handshake's own evidence, then the
 * application lines tied to it, without repeats. */
struct ev_line {
	uint32_t file;
	uint64_t line;
	const char *text;    /* borrowed, raw log bytes; may be NULL */
};
size_t handshake_ev_lines(const struct report *r, const struct handshake *h,
			  struct ev_line *out, size_t max);

/* The application's error lines tied to handshakes that finished ("Socket
 * is closed" after the handshake, on its thread): no TLS failure, but an
 * error the reader looks for.  Fills at most max, in report order;
 * returns how many there are in all. */
size_t ok_symptom_lines(const struct report *r, struct ev_line *out,
			size_t max);

/* Log text made safe to show: invalid UTF-8 replaced by U+FFFD; control
 * characters, escape sequences, C1 controls and bidi overrides replaced by
 * '?'; tab and newline become a space.  If max_chars is not 0 the result
 * is cut to that many characters, ending with an ellipsis.  NULL gives
 * NULL. */
char *clean_text(const char *s, size_t max_chars);

/* A diagnosis template (title or steps) with its placeholders filled in
 * from h (which may be NULL): diag_fill(). */
char *fill_template(const char *tmpl, const struct handshake *h);

/* The date part of a certificate validity ("2026-11-22 09:19:44.000 UTC"
 * gives "2026-11-22"), as a length into s; the whole of s if it does not
 * start with a date. */
size_t date_prefix_len(const char *s);

/* How to label a handshake's missing issuer ("missing", or "not trusted"
 * for a root that was sent or is known but has no trust anchor), and why
 * it matters, in a few words. */
const char *missing_issuer_label(const struct handshake *h);
const char *missing_issuer_note(const struct handshake *h);

/* The chain h's peer sent as a picture in text, one line per certificate
 * on the path from the leaf up, with arrows to each issuer and the one
 * that is missing or untrusted marked (render_chain.c); at most max_certs
 * certificates, names cut to name_chars.  "" if none was sent; the caller
 * frees. */
char *chain_picture(const struct handshake *h, size_t max_certs,
		    size_t name_chars);

/* How many distinct nodes the handshakes of a group were seen on, and the
 * first of them (NULL if none is known). */
size_t group_nodes(const struct report *r, const struct hs_group *g,
		   const char **first);
/* How many distinct nodes the report covers. */
size_t report_node_count(const struct report *r);
/* ---- render_facts.c: what the log says beyond the chain ---------------- */

/* "peer" or "local": who raised the handshake's first fatal alert; NULL if
 * none was logged. */
const char *handshake_alert_by(const struct handshake *h);
/* The host name a failed name check was about, or NULL. */
const char *handshake_name_called(const struct handshake *h);
/* Did the client send a certificate ("sent", "empty"), and its subject;
 * the client is us on a client and the peer on a server.  NULL: unknown. */
const char *client_cert_status(const struct handshake *h);
const char *client_cert_subject(const struct handshake *h);
/* Milliseconds from the first record to the last, -1 if unknown. */
int64_t handshake_duration_ms(const struct handshake *h);
const char *debug_level_name(enum debug_level l);
/* Why the peer's certificates are not shown, in a few words. */
const char *certs_absent_reason(const struct handshake *h);
/* The leaf's subject alternative names, ", "-separated, into b. */
struct strbuf;
void leaf_names(const struct handshake *h, struct strbuf *b);

/* One line of the "what else the log says" list. */
struct fact {
	const char *label;   /* static */
	char *value;         /* owned; log text, not yet cleaned */
};
#define MAX_FACTS 48
size_t handshake_facts(const struct handshake *h, struct fact *out, size_t max);
void facts_free(struct fact *v, size_t n);

/* Calls fn for each line of text (without the newline); stops and
 * returns -1 as soon as fn does. */
typedef int (*line_fn)(void *ctx, size_t index, const char *line, size_t len);
int for_each_line(const char *text, line_fn fn, void *ctx);

/* Flushes out; -1 if anything written to it failed. */
int render_finish(FILE *out);

#endif
