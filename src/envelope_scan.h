/* envelope_scan.h - the hand-written scanners behind envelope.c's tables:
 * a cursor over one line, dates and times, the fixed-layout outer
 * envelopes (Tanuki wrapper, ServiceNow app node and MID, Tomcat JULI;
 * containers and app servers in envelope_foreign.c),
 * the inner JSSE and classic JDK 8 headers, byte-order marks and colour
 * codes.  Internal to the envelope stage: other stages use envelope.h.
 *
 * Ownership: everything works on borrowed bytes; every slice a scanner
 * fills points into the line it was given.  Nothing reads past c.end. */
#ifndef SSLSIFT_ENVELOPE_SCAN_H
#define SSLSIFT_ENVELOPE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"


/* What every JDK 11+ debug record header starts with. */
#define ENV_JSSE_TAG "javax.net.ssl|"
#define ENV_JSSE_TAG_LEN (sizeof ENV_JSSE_TAG - 1)

struct cur {
	const char *p;
	const char *end;
};

static inline size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

static inline struct slice cur_rest(const struct cur *c)
{
	return slice_make(c->p, cur_left(c));
}

static inline bool cur_eat(struct cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static inline void cur_skip(struct cur *c, char ch)
{
	while (c->p < c->end && *c->p == ch)
		c->p++;
}

static inline bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline bool is_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static inline bool is_alpha(char ch)
{
	return is_upper(ch) || (ch >= 'a' && ch <= 'z');
}

static inline bool is_hex(char ch)
{
	return is_digit(ch) || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f');
}

/* Absent fields are empty slices that still point into the line, so that
 * no caller ever hands a NULL pointer to memcmp or printf. */
static inline struct slice present(struct slice s, const char *line)
{
	return s.p ? s : slice_make(line, 0);
}


struct civil {
	int y, mon, d, h, mi, s, ms;
};

/* What an outer envelope yields; copied into the envline only on success. */
struct outer_hit {
	int64_t ts;
	struct slice thread;
	struct slice level;
	struct slice msg;
};

struct inner_hit {
	struct slice level, thread, src, msg;
	int64_t ts;
};

/* Does the line at p start like shape?  '9' a digit, 'A' an upper-case
 * letter, 'a' a lower-case letter, '?' any byte; others stand for
 * themselves. */
bool env_shape_ok(const char *shape, const char *p, const char *end);

int64_t env_civil_ms(const struct civil *t);
/* Milliseconds from the digits of a fraction of a second. */
int env_frac_to_ms(const char *p, size_t n);
/* Jan..Dec at the start of p (3 bytes), 1..12, or 0. */
int env_month_from_name(const char *p, size_t n);

/* Outer envelopes: true if the line (the cursor) has this layout. */
bool env_scan_wrapper(struct cur c, struct outer_hit *h);
bool env_scan_sn_app(struct cur c, struct outer_hit *h);
bool env_scan_sn_mid(struct cur c, struct outer_hit *h);
bool env_scan_juli(struct cur c, struct outer_hit *h);
bool env_scan_juli_level(struct cur c, struct outer_hit *h);
/* ... and those of containers and app servers (envelope_foreign.c). */
bool env_scan_websphere(struct cur c, struct outer_hit *h);
bool env_scan_jboss(struct cur c, struct outer_hit *h);
bool env_scan_cri(struct cur c, struct outer_hit *h);
bool env_scan_compose(struct cur c, struct outer_hit *h);

/* A prefix no row knows, learned from a line where an anchor of the
 * debug output (`*** ClientHello`, `%% `, `chain [0]`, `[Raw `, an
 * expanded record's "logger" line, `javax.net.ssl|`) starts after it,
 * within the first ENV_PREFIX_SCAN bytes.  Its shape (a run of digits
 * as one '9') goes to shape[0..*shape_n); false if the line teaches
 * nothing. */
#define ENV_PREFIX_SCAN 160
bool env_prefix_learn(struct cur c, char *shape, size_t cap, size_t *shape_n);
/* Whether an anchor starts within the first ENV_PREFIX_SCAN bytes: the
 * line may teach a prefix, so it must be looked at. */
bool env_anchor_within(struct cur c);
/* Literals one of which every anchor holds (kept in step with the
 * anchors of envelope_foreign.c; test_envelope checks each). */
#define ENV_ANCHOR_MARKS                                                 \
	"*** ClientHello", "*** ServerHello", "*** Certificate",            \
	"*** ClientKeyExchange", "*** ECDH", "*** Diffie-Hellman ",           \
	"*** RSA ServerKeyExchange", "*** HelloRequest", "*** Finished",      \
	"%% ", "chain [", "[Raw ", "\"logger\"", "trustStore is: ",           \
	"Allow unsafe renegotiation: ", "Using SSLEngineImpl.",           \
	"IBMJSSEProvider2 Build-Level: "
/* How many bytes at the start of the line the shape covers, or 0. */
size_t env_prefix_match(const char *shape, size_t shape_n, struct cur c);
/* A hex dump row ("0080: 16 00 0b  ...") with text glued after its
 * ASCII column: that text; else a NULL slice. */
struct slice env_hexrow_tail(struct cur c);
/* Inner headers. */
bool env_scan_jsse(struct cur c, struct inner_hit *h);
bool env_scan_classic(struct cur c, struct inner_hit *h);

/* Steps over a byte-order mark and colour codes at the start; drops
 * colour codes that end the text. */
void env_skip_bom_ansi(struct cur *c);
void env_trim_ansi_tail(struct cur *c);

/* What every line the envelope stage must see holds: the JSSE tag, then
 * ", VERB" for each classic verb (the lines with an inner header), then
 * ENV_ANCHOR_MARKS (the lines a prefix may be learned from).
 * NULL-terminated. */
extern const char *const env_inner_marks[];

#endif
