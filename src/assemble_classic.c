/* assemble_classic.c - which thread a classic JDK 8 line belongs to
 * (see the top of assemble.c): a message a thread read follows its
 * "READ: ... Handshake" line, one it writes comes before its "WRITE:"
 * line, and a ClientHello printed where no READ explains it waits, as a
 * handshake without a thread, in a reserved slot until a WRITE names its
 * thread. */
#include "config.h"

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
	if (hello && s->region != REGION_OPEN) {
		s->resume = s->region;
		s->resuming = true;
		s->region = REGION_OPEN;
	}
	if (hello || s->n_pending || !s->have_classic_thread)
		return pending_slot(a);
	return s->classic_thread;
}
