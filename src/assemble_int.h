/* assemble_int.h - what the assemble*.c files share, and nothing else
 * includes: the assembler's state, one line as the event handlers see it,
 * and the helpers they have in common.
 *
 *   assemble.c         lines to handshakes: threads, records, certificate
 *                      blocks, application lines, the dispatch of events
 *   assemble_events.c  the event handlers: hellos and versions, the
 *                      certificate messages, Finished, alerts, failures
 *   assemble_auth.c    client authentication: CertificateRequest and its
 *                      CA list, our own Certificate message, the key store,
 *                      and the subject alternative names of the peer's chain
 *   assemble_expand.c  the expanded (JSON-like) record header of
 *                      javax.net.debug=...:expand
 *
 * Ownership: as in assemble.h; the stream's strings are owned by the
 * assembler and freed by stream_reset(). */
#ifndef SSLSIFT_ASSEMBLE_INT_H
#define SSLSIFT_ASSEMBLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assemble.h"
#include "util.h"

enum capture {
	CAPTURE_NONE,      /* fields are ignored */
	CAPTURE_PEER,      /* the peer's chain: fields fill peer_certs */
	CAPTURE_OWN,       /* our own chain: counted, its first subject kept */
	CAPTURE_KEYSTORE,  /* a key store entry: its first subject kept */
	CAPTURE_OTHER,     /* a trusted certificate, our server chain: ignored */
};

/* Which hello message a record body belongs to. */
enum hello_rec {
	HELLO_NONE,
	HELLO_CH_OURS,     /* Produced ClientHello: we are the client */
	HELLO_CH_PEERS,    /* Consuming ClientHello: we are the server */
	HELLO_SH_OURS,     /* Produced ServerHello */
	HELLO_SH_PEERS,    /* Consuming ServerHello */
};

/* A CA list that runs over several lines. */
enum ca_list {
	CA_LIST_NONE,
	CA_LIST_TLS13,     /* "certificate authorities": [ then one DN a line */
	CA_LIST_CLASSIC,   /* Cert Authorities: then <DN> lines */
};

/* Text kept from one log field (a subject, a thread name, an exception
 * message): a hostile log cannot make one field cost more. */
#define FIELD_MAX 2048
/* Thread slots per input; past this the least recently used half is
 * forgotten (their handshakes are over: a handshake takes milliseconds).
 * The fuzz build shrinks it. */
#ifndef MAX_THREADS
#define MAX_THREADS 1024
#endif

struct thread_slot {
	char *name;        /* "" for lines that name no thread */
	size_t name_len;
	uint64_t last_use; /* assembler.clock when last looked up */
	long hs;           /* open handshake, -1 if none */
	bool seen_server_hello_done; /* classic: ServerHelloDone passed */
	/* classic: the thread's last line was a Handshake or Change Cipher
	 * Spec record, so a handshake of its own is in flight */
	bool mid_flight;
	bool reserved;     /* the slot of handshakes that wait for a thread */
	/* classic: wrote Change Cipher Spec, its Finished not printed yet */
	bool ccs_written;
	int classic_finished;        /* classic "*** Finished" count */
};

/* Classic JDK 8: what the lines without a thread prefix after the last
 * "thread, ..." line are.  A thread prints a message it read right after
 * its "READ: ... Handshake" line, and a message it writes before its
 * "WRITE: ..." line (its own Finished right after its "WRITE: ... Change
 * Cipher Spec"); see FORMATS.md 4.9. */
enum classic_region {
	REGION_OPEN,       /* after any other line: a ClientHello here is one
			    * we are about to write, for the next WRITE */
	REGION_READ,       /* the messages of the thread's READ record, and
			    * what it answers with */
	REGION_CCS,        /* the thread's own Finished */
};

/* Classic ClientHellos waiting for the WRITE that names their thread.
 * Two threads may print theirs before either WRITE; more are not kept
 * waiting (the oldest stays without a thread). */
#define PENDING_MAX 4

/* The expanded record header being read (assemble_expand.c). */
struct expand_state {
	bool open;         /* inside a { "logger" : "javax.net.ssl", ... } */
	bool have_message; /* its "message" line went by */
	char *thread;      /* "thread name" */
	char *level;       /* "level" */
	int64_t ts;        /* "time", naive ms or TS_NONE */
};

struct stream {
	uint32_t file;
	bool in_record;            /* a JDK 11+ record body is open */
	size_t record_thread;      /* its thread slot */
	bool classic_block;        /* a classic cert chain block is open */
	uint64_t chain_line;       /* ... from this line */
	size_t classic_thread;     /* slot of the last classic thread */
	bool have_classic_thread;
	enum classic_region region;
	/* another thread's ClientHello block broke into the region: it
	 * resumes after the block's closing "***" */
	enum classic_region resume;
	bool resuming;
	bool classic_records;      /* a READ/WRITE line went by */
	long pending[PENDING_MAX]; /* oldest first */
	size_t n_pending;
	size_t pending_thread;     /* the reserved slot, if have_pending */
	bool have_pending_thread;
	bool alert_record;         /* the open record is a received alert */
	bool alert_warning;        /* ... and its level is "warning" */
	enum hello_rec hello;      /* the open record is a hello message */
	enum capture capture;
	long capture_hs;
	bool in_san;               /* inside a SubjectAlternativeName [ ] */
	enum ca_list ca_list;      /* a CA list continues on the next lines */
	long ca_hs;                /* the handshake it belongs to */
	bool cert_request_rec;     /* the open record is a CertificateRequest */
	bool classic_cert_request; /* classic: inside *** CertificateRequest */
	/* the key store entry being read: alias, then its first certificate */
	char *key_alias, *key_subject, *key_issuer;
	struct strlist key_store;  /* the entries of this input, formatted */
	struct expand_state x;
	/* the line after a classic "fatal error:" is its cause */
	bool cause_next;
	bool cause_replaces;       /* ... and its text is the failure's */
	size_t cause_thread;
	long last_symptom;         /* for "Caused by:" continuations */
	uint64_t last_symptom_line;
	bool last_symptom_thread;  /* its first line named a thread */
};

struct assembler {
	struct report *r;
	struct stream s;
	struct thread_slot *threads;
	size_t n_threads, cap_threads;
	uint64_t clock;
};

/* A copy of a log field, cut at FIELD_MAX bytes. */
char *field_dup(struct slice v);

/* What one line is, for the handlers. */
struct ctx {
	uint64_t lineno;
	const struct envline *env;
	size_t thread;          /* thread slot of a debug line */
	bool debug;             /* JSSE debug output (not an application line) */
	bool header;            /* the line starts a record (or is one) */
	bool quoted;            /* an expanded header's "message": "..." line */
	const char *line_end;   /* where the line's message ends */
	/* an application line's symptom, built up over its hits */
	bool sym;
	enum symptom_kind kind;
	bool pkix;
	uint64_t events;
	struct slice host, port;
	struct slice detail;    /* an expiry's date ("NotAfter: ...") */
};

typedef void (*handler_fn)(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit);

/* ---- assemble.c ---------------------------------------------------------- */

struct handshake *hs_at(struct assembler *a, long i);
/* Starts a handshake on thread slot t; returns its index. */
long hs_open(struct assembler *a, size_t t, uint64_t lineno,
	     const struct envline *env);
/* The handshake under way on the line's thread (opened if there is none),
 * touched by this line. */
struct handshake *cur(struct assembler *a, struct ctx *c);
void set_str(char **dst, struct slice v);
char *lower_dup(struct slice v);
/* The line (its message) as evidence for h. */
void evidence(struct assembler *a, struct handshake *h, struct ctx *c);
/* A capture's text, without the quote and comma that close an expanded
 * header's "message" value. */
struct slice cap_text(const struct ctx *c, struct slice v);
void capture_begin(struct assembler *a, long hs, enum capture cap);
void capture_end(struct assembler *a);
size_t thread_slot(struct assembler *a, struct slice name);
/* The line's own time: its envelope's, else its JSSE header's. */
int64_t line_ts(const struct envline *env);
bool hits_have(const struct pattern_hit *hits, size_t n, enum ss_event ev);
void record_close(struct assembler *a);
void close_classic_block(struct assembler *a);
/* A field of a certificate block, for whichever chain is being read. */
void cert_field(struct assembler *a, enum ss_event ev,
		const struct pattern_hit *hit);

/* ---- assemble_events.c --------------------------------------------------- */

/* The handler of each event on a debug line (NULL: only recorded). */
extern const handler_fn debug_handlers[EV__COUNT];
/* Structure events only count inside a record or block. */
bool event_needs_context(enum ss_event ev);
/* Events only classic JDK 8 / IBM output has. */
bool is_classic_event(enum ss_event ev);
/* Handshake message records: the log shows what was exchanged. */
bool is_message_event(enum ss_event ev);
/* The line after a classic "fatal error:" line: the cause it printed. */
void classic_cause_line(struct assembler *a, struct ctx *c);

/* ---- assemble_auth.c ----------------------------------------------------- */

void on_cert_request(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit);
void on_cert_authorities(struct assembler *a, struct ctx *c,
			 const struct pattern_hit *hit);
void on_classic_cert_authorities(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit);
void on_own_cert_msg(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit);
void on_key_entry(struct assembler *a, struct ctx *c,
		  const struct pattern_hit *hit);
void on_san_begin(struct assembler *a, struct ctx *c,
		  const struct pattern_hit *hit);
void on_san_name(struct assembler *a, struct ctx *c,
		 const struct pattern_hit *hit);
/* A certificate field while our own chain or a key store entry is being
 * read; false if the field is not for them. */
bool auth_cert_field(struct assembler *a, enum ss_event ev,
		     const struct pattern_hit *hit);
/* Lines without a rule of their own: the DNs of a multi-line CA list, the
 * end of a SubjectAlternativeName block.  True if the line was one. */
bool auth_raw_line(struct assembler *a, struct ctx *c);
/* Called when a capture ends: files a finished key store entry. */
void auth_capture_end(struct assembler *a);
void auth_reset(struct stream *s);

/* ---- assemble_app.c ------------------------------------------------------ */

/* Adds what one hit says to the line's symptom (c->sym and the rest). */
void app_hit(struct ctx *c, const struct pattern_hit *hit);
/* Files the line's symptom, or adds it to the one it continues. */
void app_symptom(struct assembler *a, struct ctx *c);

/* ---- assemble_classic.c -------------------------------------------------- */

/* The reserved slot whose handshakes wait for a thread. */
size_t pending_slot(struct assembler *a);
/* Hands the oldest waiting handshake to thread slot t. */
void adopt_pending(struct assembler *a, size_t t);
/* A "thread, ..." line: ends the region of the lines before it. */
void classic_named_line(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hits, size_t n_hits);
/* The thread of a classic line without a prefix. */
size_t classic_unnamed_thread(struct assembler *a,
			      const struct pattern_hit *hits, size_t n_hits);
/* A chain printed in thread slot t's region after its ServerHelloDone
 * is its own only if a CertificateRequest asked for one; otherwise the
 * one other client handshake still waiting for a peer chain (returned,
 * its slot in *to) is the chain's, if there is exactly one; else -1. */
long classic_chain_elsewhere(struct assembler *a, size_t t, size_t *to);
/* The first certificate of a classic peer chain was read: gives the
 * chain to another thread's handshake if its leaf says it is that one's. */
void classic_chain_owner(struct assembler *a);

/* ---- assemble_expand.c --------------------------------------------------- */

void on_expanded_record(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hit);
/* Reads a line of an open expanded record.  Returns true if the line is
 * part of its header and nothing more is to be done with it; otherwise,
 * when the line is the header's "message" line, fills *out with the line
 * seen as a compact record header (thread, time, message) and sets
 * c->header and c->quoted. */
bool expand_line(struct assembler *a, struct ctx *c, struct envline *out);
/* A "}" in column 0 ends an open expanded record. */
bool expand_closes(const struct assembler *a, const struct envline *env);
void expand_reset(struct expand_state *x);

#endif
