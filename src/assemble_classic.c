/* assemble_classic.c - which thread a classic JDK 8 line belongs to
 * (see the top of assemble.c): a message a thread read follows its
 * "READ: ... Handshake" line, one it writes comes before its "WRITE:"
 * line, and a ClientHello printed where no READ explains it waits, as a
 * handshake without a thread, in a reserved slot until a WRITE names its
 * thread.
 *
 * When two threads' handshakes overlap, a thread prints what it read
 * when it gets to it, so a peer chain may follow another thread's READ.
 * The chain's leaf then tells: see classic_chain_owner(). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "util.h"

size_t pending_slot(struct assembler *a)
{
	struct stream *s = &a->s;
	if (!s->have_pending_thread) {
		/* a slot of its own: no log line can name it */
		xgrow(&a->threads, &a->cap_threads, a->n_threads + 1,
		      sizeof *a->threads);
		struct thread_slot *t = &a->threads[a->n_threads];
		memset(t, 0, sizeof *t);
		t->name = xstrdup("");
		t->hs = -1;
		t->reserved = true;
		s->pending_thread = a->n_threads++;
		s->have_pending_thread = true;
	}
	a->threads[s->pending_thread].last_use = ++a->clock;
	return s->pending_thread;
}

void adopt_pending(struct assembler *a, size_t t)
{
	struct stream *s = &a->s;
	if (!s->n_pending || !s->have_pending_thread)
		return;
	long idx = s->pending[0];
	s->n_pending--;
	memmove(s->pending, s->pending + 1, s->n_pending * sizeof *s->pending);
	struct thread_slot *from = &a->threads[s->pending_thread];
	struct thread_slot *to = &a->threads[t];
	struct handshake *h = hs_at(a, idx);
	free(h->thread);
	h->thread = to->name[0] ? xstrdup(to->name) : NULL;
	to->hs = idx;
	/* the slot's state is the newest waiting handshake's */
	bool newest = from->hs == idx;
	to->seen_server_hello_done = newest && from->seen_server_hello_done;
	to->classic_finished = newest ? from->classic_finished : 0;
	if (newest)
		from->hs = -1;
}

/* The thread's handshake is decided: it can start another. */
static bool thread_free(struct assembler *a, size_t t)
{
	const struct handshake *h = hs_at(a, a->threads[t].hs);
	return !h || h->outcome != OUTCOME_UNKNOWN;
}

/* A classic "thread, ..." line ends the region of the lines before it
 * (the READ/WRITE handler sets the one its record opens).  Until the
 * input's first READ/WRITE line (a log cut in the middle, or debug
 * output without "record") any named line names the thread of what
 * waits for one. */
void classic_named_line(struct assembler *a, struct ctx *c,
			       const struct pattern_hit *hits, size_t n_hits)
{
	struct stream *s = &a->s;
	bool record = hits_have(hits, n_hits, EV_CLASSIC_READ) ||
		      hits_have(hits, n_hits, EV_CLASSIC_WRITE);
	s->region = REGION_OPEN;
	s->resuming = false;
	if (!record)
		a->threads[c->thread].mid_flight = false;
	if (!s->classic_records && !record && thread_free(a, c->thread))
		adopt_pending(a, c->thread);
	else if (!s->have_classic_thread && thread_free(a, c->thread))
		adopt_pending(a, c->thread);
}

/* A client whose handshake is under way reads a ServerHello, never a
 * ClientHello: one after its READ is another thread's. */
static bool client_in_flight(struct assembler *a, size_t t)
{
	const struct handshake *h = hs_at(a, a->threads[t].hs);
	return h && h->role == ROLE_CLIENT && h->outcome == OUTCOME_UNKNOWN;
}

/* The one thread slot that wrote Change Cipher Spec and has not
 * printed its Finished yet, in *t; false if none or several have. */
static bool only_ccs_written(struct assembler *a, size_t *t)
{
	size_t n = 0;
	for (size_t i = 0; i < a->n_threads; i++) {
		if (a->threads[i].ccs_written) {
			*t = i;
			n++;
		}
	}
	return n == 1;
}

/* The thread of a classic line without a prefix (see the top). */
size_t classic_unnamed_thread(struct assembler *a,
				     const struct pattern_hit *hits,
				     size_t n_hits)
{
	struct stream *s = &a->s;
	bool hello = hits_have(hits, n_hits, EV_CLASSIC_CLIENT_HELLO);
	if (s->resuming && hits_have(hits, n_hits, EV_CLASSIC_BLOCK_END)) {
		s->region = s->resume;
		s->resuming = false;
		return pending_slot(a);
	}
	if (s->region == REGION_READ &&
	    !(hello && client_in_flight(a, s->classic_thread)))
		return s->classic_thread;
	if (s->region == REGION_CCS && !hello)
		return s->classic_thread;
	/* a Finished after another thread's line broke into a region: the
	 * one thread that wrote Change Cipher Spec and owes its Finished */
	size_t t;
	if (hits_have(hits, n_hits, EV_CLASSIC_FINISHED) &&
	    only_ccs_written(a, &t))
		return t;
	if (hello && s->region != REGION_OPEN) {
		s->resume = s->region;
		s->resuming = true;
		s->region = REGION_OPEN;
	}
	if (hello || s->n_pending || !s->have_classic_thread)
		return pending_slot(a);
	return s->classic_thread;
}

/* ---- whose chain ------------------------------------------------------ */

/* The CN of a distinguished name as JSSE prints it ("CN=a, O=b"). */
static struct slice dn_cn(const char *dn)
{
	for (const char *p = dn; *p; p++) {
		if ((p == dn || p[-1] == ' ' || p[-1] == ',') &&
		    strncmp(p, "CN=", 3) == 0) {
			p += 3;
			size_t n = strcspn(p, ",");
			return slice_make(p, n);
		}
	}
	return slice_make(NULL, 0);
}

/* Does the certificate name `cn` (maybe "*.example.com") cover host? */
static bool cn_covers(struct slice cn, const char *host)
{
	size_t hn = strlen(host);
	if (cn.n > 2 && cn.p[0] == '*' && cn.p[1] == '.') {
		const char *dot = strchr(host, '.');
		if (!dot)
			return false;
		host = dot + 1;
		hn = strlen(host);
		cn.p += 2;
		cn.n -= 2;
	}
	if (cn.n != hn)
		return false;
	for (size_t i = 0; i < hn; i++)
		if (tolower((unsigned char)cn.p[i]) !=
		    tolower((unsigned char)host[i]))
			return false;
	return true;
}

/* A client handshake still waiting for the peer's chain (which asked
 * for a host the leaf's CN covers, if cn is given). */
static bool waits_for(const struct handshake *h, struct slice cn)
{
	return h->role == ROLE_CLIENT && h->outcome == OUTCOME_UNKNOWN &&
	       h->peer_certs_state == CERTS_NOT_CAPTURED &&
	       (!cn.n || (h->sni && cn_covers(cn, h->sni)));
}

/* The one handshake, on a thread other than `but`, that waits for the
 * chain (see waits_for()), and its thread in *to; -1 if none or more
 * than one does. */
static long only_waiting(struct assembler *a, long but, struct slice cn,
			 size_t *to)
{
	long found = -1;
	for (size_t t = 0; t < a->n_threads; t++) {
		long i = a->threads[t].hs;
		if (a->threads[t].reserved || i < 0 || i == but ||
		    !waits_for(hs_at(a, i), cn))
			continue;
		if (found >= 0)
			return -1;
		found = i;
		*to = t;
	}
	return found;
}

long classic_chain_elsewhere(struct assembler *a, size_t t, size_t *to)
{
	const struct handshake *h = hs_at(a, a->threads[t].hs);
	if (!h || h->role != ROLE_CLIENT || h->d.cert_requested)
		return -1;
	return only_waiting(a, a->threads[t].hs, slice_make(NULL, 0), to);
}

/* If the handshake the chain went to asked (SNI) for a host its leaf's
 * CN does not cover, and exactly one other thread's client handshake,
 * still without a chain, asked for one it covers, the chain is that
 * one's, and so are the lines after it until a thread is named again.
 * Nothing moves when the leaf names neither (a host name mismatch) or
 * more than one could be it. */
void classic_chain_owner(struct assembler *a)
{
	struct stream *s = &a->s;
	struct handshake *h = hs_at(a, s->capture_hs);
	if (s->capture != CAPTURE_PEER || !h || h->n_peer_certs != 1 ||
	    !h->peer_certs[0].subject || !h->sni)
		return;
	struct slice cn = dn_cn(h->peer_certs[0].subject);
	if (!cn.n || cn_covers(cn, h->sni))
		return;
	size_t to = 0;
	long other = only_waiting(a, s->capture_hs, cn, &to);
	if (other < 0)
		return;
	struct handshake *o = hs_at(a, other);
	o->peer_certs = h->peer_certs;
	o->n_peer_certs = h->n_peer_certs;
	o->cap_peer_certs = h->cap_peer_certs;
	o->peer_certs_state = h->peer_certs_state;
	h->peer_certs = NULL;
	h->n_peer_certs = h->cap_peer_certs = 0;
	h->peer_certs_state = CERTS_NOT_CAPTURED;
	/* the chain's first line, noted as evidence when it began */
	if (h->n_evidence && h->evidence[h->n_evidence - 1].line ==
			     s->chain_line) {
		struct evidence *e = &h->evidence[--h->n_evidence];
		handshake_add_evidence(o, e->file, e->line, e->text,
				       strlen(e->text));
		free(e->text);
		e->text = NULL;
	}
	s->capture_hs = other;
	s->classic_thread = to;
}
