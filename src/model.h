/* model.h - what sslsift learns from the logs: inputs, handshakes, the
 * certificates the peer sent, symptoms, and the findings over them.  Every
 * stage after the reader writes into, or reads from, a struct report.
 *
 * Ownership: a struct report owns everything reachable from it, every
 * string included (all strings are NUL-terminated, heap-allocated copies,
 * already valid UTF-8 or not, as the log had them: renderers sanitise).
 * report_free() releases it all and sets the pointer to NULL. */
#ifndef SSLSIFT_MODEL_H
#define SSLSIFT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnosis.h"
#include "events.h"

#define EVBIT(ev) (UINT64_C(1) << (ev))
_Static_assert(EV__COUNT <= 64, "every event must have a bit in EVBIT()");

enum role { ROLE_UNKNOWN = 0, ROLE_CLIENT, ROLE_SERVER };
enum outcome { OUTCOME_UNKNOWN = 0, OUTCOME_OK, OUTCOME_FAILED };

enum symptom_kind {
	SYM_SSL_HANDSHAKE_EXCEPTION,
	SYM_SOCKET_CLOSED,
	SYM_PEER_NOT_AUTHENTICATED,
	SYM_OTHER,
};

struct cert {
	char *subject;
	char *issuer;
	char *not_before;
	char *not_after;
	char *serial;
	/* The SubjectAlternativeName DNS names and IP addresses, as logged. */
	char **names;
	size_t n_names, cap_names;
};

/* A list of strings, each owned by the list. */
struct strlist {
	char **v;
	size_t n, cap;
};

/* What the local side sent in its own Certificate message. */
enum own_cert {
	OWN_CERT_NONE = 0,   /* no Certificate message of ours was logged */
	OWN_CERT_EMPTY,      /* an empty one: no certificate to send */
	OWN_CERT_SENT,       /* one with a certificate in it */
};

/* How much JSSE debug output the log holds for a handshake. */
enum debug_level {
	DEBUG_NONE = 0,      /* only application lines (no javax.net.debug) */
	DEBUG_ALERTS,        /* debug records, but no handshake messages (ssl) */
	DEBUG_HANDSHAKE,     /* handshake messages (ssl:handshake and up) */
};

/* What the log says about a handshake beyond its chain: mutual TLS, host
 * names, versions, alerts and how sure the assembly is. */
struct hs_detail {
	/* mutual TLS */
	bool cert_requested;          /* a CertificateRequest went by */
	struct strlist authorities;   /* the CAs it named, in order */
	enum own_cert own_cert;
	char *own_subject;            /* first certificate of our own chain */
	char *own_issuer;
	size_t n_own_certs;
	struct strlist key_store;     /* "alias: subject (issued by ...)" */
	/* names and versions */
	char *name_checked;           /* the name a host name check failed on */
	char *versions_local;         /* "TLSv1.3, TLSv1.2" as offered/enabled */
	char *versions_peer;          /* what the peer offered or chose */
	char *expiry_text;            /* "NotAfter: Sun Oct 18 09:37:57 UTC 2026" */
	long expired_cert;            /* index into peer_certs, -1 if none */
	/* alerts: the first fatal one, and who raised it */
	char *alert;
	bool alert_by_peer;
	/* how the assembly went */
	int server_hellos;            /* ServerHellos, HelloRetryRequests aside */
	bool hrr_pending;             /* a HelloRetryRequest awaits its hello */
	bool ambiguous;               /* two ServerHellos with no boundary */
	bool settled;                 /* TLS 1.3 client: a ticket came after */
	bool debug_seen;              /* any JSSE debug record */
	bool messages_seen;           /* any handshake message record */
	bool before_hello;            /* failed before any message was sent */
	bool bodies_dropped;          /* the Certificate message had no body */
	bool classic;                 /* classic JDK 8 / IBM output: printed
				       * whole with "ssl", no JDK 11 levels */
	enum debug_level debug_level; /* set by the diagnosis */
};

/* A line that supports a verdict, kept for the report. */
struct evidence {
	uint32_t file;     /* index into report.inputs */
	uint64_t line;
	char *text;        /* the line's message, envelope stripped, capped */
};

struct symptom {
	enum symptom_kind kind;
	uint32_t file;
	uint64_t line;
	int64_t ts;        /* naive wall-clock ms or TS_NONE */
	int64_t ts_line;   /* as for handshake.ts_line */
	char *thread;      /* NULL when the envelope names none */
	char *host;        /* host the line names (Request not sent to uri=...) */
	int port;          /* 0 if none */
	bool pkix;         /* the line says PKIX path building failed */
	uint64_t events;   /* EVBIT() of the events on the line */
	char *text;
	char *detail;      /* what its Caused by: lines add ("NotAfter: ...") */
	long handshake;    /* index into report.handshakes, -1 if none yet */
};

#define HS_MAX_EVIDENCE 8

struct handshake {
	uint32_t file;
	uint64_t line;        /* first record of the handshake */
	uint64_t last_line;
	int64_t ts_start, ts_end;
	/* The same on the JVM's own clock (its debug records' headers), or
	 * TS_NONE: a wrapper's clock may be in another zone than the JVM's,
	 * whose application log a symptom may come from. */
	int64_t jvm_start, jvm_end;
	int64_t ts_line;      /* --since/--until: the time of the line that
			       * began it, inherited if it had none */
	char *thread;
	enum role role;
	char *peer_host;      /* SNI or the host a symptom named */
	int peer_port;        /* 0 if unknown */
	char *sni;            /* server_name the client sent, if logged */
	char *tls_version;
	char *cipher;
	enum outcome outcome;

	/* The peer's Certificate message: peer_certs_state says whether it
	 * was seen whole, cut off by the end of the log, or not seen. */
	enum certs_state {
		CERTS_NOT_CAPTURED,
		CERTS_CAPTURED,
		CERTS_CUT
	} peer_certs_state;
	struct cert *peer_certs;
	size_t n_peer_certs, cap_peer_certs;
	size_t peer_certs_omitted;  /* entries past the cap, counted only */

	/* What the log said about the failure. */
	uint64_t events;           /* EVBIT() of every event seen for it */
	bool hello_retry;          /* a HelloRetryRequest was exchanged */
	bool pkix_failed;          /* PKIX path building/validation failed */
	bool finished_sent, finished_received;
	char *alert_sent;          /* description of a fatal alert we sent */
	char *alert_received;      /* description of an alert the peer sent */
	char *failure_text;        /* the exception message, if any */

	enum chain_kind chain;
	enum diag_code diagnosis;
	char *missing_issuer;      /* the issuer no sent certificate covers */

	struct evidence evidence[HS_MAX_EVIDENCE];
	size_t n_evidence;
	size_t *symptoms;          /* indices into report.symptoms */
	size_t n_symptoms, cap_symptoms;
	char *node;                /* the node it was seen on (merged
				    * reports); NULL: the report's node */

	struct hs_detail d;
	/* --merge: the handshake's JSON object as the report had it; the JSON
	 * renderer writes it back as it was (with this report's node), so the
	 * fields this build does not model survive a merge.  NULL otherwise. */
	char *merged_json;

	/* compact.c's bookkeeping: kept in full once judged by the detail
	 * caps, and the tally this handshake stands for (-1 if none). */
	bool detail_kept;
	long rep_of;
};

struct input {
	char *path;               /* as given, or "-" for standard input */
	bool compressed;
	uint64_t bytes;           /* bytes read from the file (compressed) */
	uint64_t lines;
	uint64_t long_lines;      /* lines cut at the maximum line length */
	char *error;              /* the first read error, or NULL */
	char *node;               /* as for handshake.node */
};

struct finding {
	enum diag_code code;
	size_t count;             /* every handshake, listed or omitted */
	size_t omitted;           /* of them, counted in tallies only */
	char **peers;             /* distinct, in order of first appearance */
	size_t *peer_counts;      /* handshakes per peer, parallel to peers */
	size_t n_peers, cap_peers;
	int64_t first_seen;       /* earliest / latest handshake start, */
	int64_t last_seen;        /* or TS_NONE if none had a time */
	bool peers_truncated;     /* more than FINDING_MAX_PEERS peers */
};

/* Handshakes past the detail caps (compact.c) are not kept: each is
 * counted in the tally of its (diagnosis, peer).  A tally always has a
 * kept handshake of the same key to stand for it (rep). */
struct tally {
	enum diag_code code;
	char *peer;               /* handshake_peer_string(), or NULL */
	bool various;             /* overflow: any peer past the table */
	size_t seen;              /* handshakes judged with this key */
	size_t omitted;           /* of them, counted here only */
	long rep;                 /* index of a kept handshake, or -1 */
	int64_t ts_first, ts_last;    /* of the omitted ones, or TS_NONE */
	uint32_t file;                /* of the first omitted one */
	uint64_t line_first, line_last; /* in that file */
	size_t symptoms;          /* symptoms correlate.c gave to them */
};

struct report {
	struct input *inputs;
	size_t n_inputs, cap_inputs;
	struct handshake *handshakes;
	size_t n_handshakes, cap_handshakes;
	struct symptom *symptoms;
	size_t n_symptoms, cap_symptoms;
	struct finding *findings;   /* filled by diagnose_report() */
	size_t n_findings;

	/* About the run, for the renderers (set by main.c and merge.c). */
	char *node;                 /* the machine the logs came from */
	int64_t since, until;       /* the time window, TS_NONE if open */
	bool redacted;              /* names were replaced (redact.c) */
	/* What the detail caps left out (compact.c): handshakes counted in
	 * tallies only, symptom lines counted only. */
	struct tally *tallies;
	size_t n_tallies, cap_tallies;
	uint32_t *tally_index;      /* open-addressing hash of tallies */
	size_t tally_index_size;
	size_t handshakes_omitted;
	size_t symptoms_omitted;
	size_t detail_kept;         /* handshakes judged and kept */
	size_t detail_bytes;        /* their approximate size */
	size_t detail_scan_from;    /* no undecided handshake before this */

	/* Every problem reported while reading, as printed ("FILE: msg"). */
	char **errors;
	size_t n_errors, cap_errors;
	size_t errors_omitted;      /* past REPORT_MAX_ERRORS */
};

/* Distinct peers listed per finding; the rest are counted. */
#ifndef FINDING_MAX_PEERS
#define FINDING_MAX_PEERS 1000
#endif
#define REPORT_MAX_ERRORS 1000

struct report *report_new(void);
/* Records an error line for the report (copied). */
void report_add_error(struct report *r, const char *msg);
void report_free(struct report **r);
/* Appends a zeroed element and returns it (pointers into the arrays are
 * invalidated by the next append). */
struct input *report_add_input(struct report *r, const char *path);
struct handshake *report_add_handshake(struct report *r);
struct symptom *report_add_symptom(struct report *r);
/* Releases what h owns (h itself is an element of report.handshakes). */
void handshake_free(struct handshake *h);
struct cert *handshake_add_cert(struct handshake *h);
void cert_add_name(struct cert *c, const char *p, size_t n);
/* Frees what a certificate holds and zeroes it. */
void cert_clear(struct cert *c);
/* Distinguished names as JSSE prints them ("CN=a, O=b") compared without
 * regard to case or to the blanks after separators; false if either is
 * NULL. */
bool dn_equal(const char *a, const char *b);
/* Subject and issuer are the same name. */
bool cert_self_signed(const struct cert *c);
/* Appends a copy of n bytes at p (at most max entries are kept). */
void strlist_add(struct strlist *l, const char *p, size_t n, size_t max);
void strlist_free(struct strlist *l);
void handshake_add_evidence(struct handshake *h, uint32_t file, uint64_t line,
			    const char *text, size_t len);
void handshake_add_symptom(struct handshake *h, size_t symptom_index);
/* Moves all that *src holds to the end of dst (inputs, handshakes and
 * symptoms, their indices fixed) and frees *src: merging the reports of
 * inputs read apart, in input order, gives the report of reading them in
 * turn.  Findings are not merged: diagnose_report() makes them after. */
void report_merge(struct report *dst, struct report **src);
/* "host:port", "host", or NULL; the caller frees. */
char *handshake_peer_string(const struct handshake *h);
const char *role_name(enum role r);        /* "client", "server" or NULL */
const char *outcome_name(enum outcome o);  /* "ok", "failed", "unknown" */
const char *symptom_kind_name(enum symptom_kind k);
/* The node a handshake or input was seen on: its own, else the report's;
 * NULL if neither is known. */
const char *handshake_node(const struct report *r, const struct handshake *h);
const char *input_node(const struct report *r, const struct input *in);
/* Keeps the handshakes whose keep[i] is true, in order, with their
 * symptoms; frees the others and their symptoms.  Symptom indices and
 * findings are left for diagnose_findings() to rebuild. */
void report_keep_handshakes(struct report *r, const bool *keep);

#endif
