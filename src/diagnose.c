/* diagnose.c - see diagnose.h. */
#include "config.h"
#include "diagnose.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Distinguished names as JSSE prints them ("CN=a, O=b") compared without
 * regard to case or to the spaces after separators. */
static bool dn_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

static bool self_signed(const struct cert *c)
{
	return dn_equal(c->subject, c->issuer);
}

/* Index of the certificate whose subject is `issuer`, other than skip. */
static long find_subject(const struct cert *certs, size_t n, const char *issuer,
			 size_t skip)
{
	for (size_t i = 0; i < n; i++)
		if (i != skip && dn_equal(certs[i].subject, issuer))
			return (long)i;
	return -1;
}

/* Certificates that do not follow issuing order are out_of_order, also when
 * one of them is not an issuer of the others at all: either way the peer's
 * chain file is wrong, and missing_issuer() names what the leaf lacks. */
enum chain_kind chain_classify(const struct cert *certs, size_t n)
{
	if (n == 0)
		return CHAIN_EMPTY;
	if (n == 1)
		return self_signed(&certs[0]) ? CHAIN_SELF_SIGNED : CHAIN_LEAF_ONLY;
	for (size_t i = 0; i + 1 < n; i++)
		if (!dn_equal(certs[i].issuer, certs[i + 1].subject) ||
		    self_signed(&certs[i]))
			return CHAIN_OUT_OF_ORDER;
	return self_signed(&certs[n - 1]) ? CHAIN_COMPLETE_WITH_ROOT
					  : CHAIN_COMPLETE;
}

/* The issuer the peer should have sent, or the root it relies on. */
static const char *missing_issuer(const struct handshake *h)
{
	if (h->n_peer_certs == 0)
		return NULL;
	const struct cert *leaf = &h->peer_certs[0];
	const struct cert *last = &h->peer_certs[h->n_peer_certs - 1];
	switch (h->chain) {
	case CHAIN_LEAF_ONLY:
		return leaf->issuer;
	case CHAIN_COMPLETE:
	case CHAIN_COMPLETE_WITH_ROOT:
		return last->issuer;
	case CHAIN_OUT_OF_ORDER:
		return find_subject(h->peer_certs, h->n_peer_certs, leaf->issuer,
				    0) < 0 ? leaf->issuer : NULL;
	default:
		return NULL;
	}
}

static bool has(const struct handshake *h, enum ss_event ev)
{
	return (h->events & EVBIT(ev)) != 0;
}

static bool alert_is(const struct handshake *h, const char *name)
{
	return (h->alert_sent && !strcmp(h->alert_sent, name)) ||
	       (h->alert_received && !strcmp(h->alert_received, name));
}

/* A trust failure: which certificate chain problem explains it. */
static enum diag_code trust_verdict(const struct handshake *h)
{
	bool inbound = h->role == ROLE_SERVER;
	switch (h->chain) {
	case CHAIN_LEAF_ONLY:
		return inbound ? DIAG_CLIENT_CHAIN_INCOMPLETE : DIAG_LEAF_ONLY_CHAIN;
	case CHAIN_SELF_SIGNED:
		return DIAG_SELF_SIGNED_UNTRUSTED;
	case CHAIN_COMPLETE:
	case CHAIN_COMPLETE_WITH_ROOT:
		return DIAG_UNTRUSTED_ROOT;
	case CHAIN_OUT_OF_ORDER:
		return DIAG_CHAIN_OUT_OF_ORDER;
	case CHAIN_EMPTY:
		return inbound ? DIAG_CLIENT_CERT_NOT_SENT : DIAG_TRUST_PATH_FAILED;
	default:
		return DIAG_TRUST_PATH_FAILED;
	}
}

/* Causes the log names outright, checked in this order before the chain
 * is looked at.  One row per cause: the event or alert that shows it. */
static const struct {
	enum ss_event event;
	const char *alert;
	enum diag_code code;
} named_causes[] = {
	{EV_CERT_EXPIRED_TEXT, "certificate_expired", DIAG_CERT_EXPIRED},
	{EV_REVOKED_TEXT, "certificate_revoked", DIAG_REVOKED},
	{EV_HOSTNAME_MISMATCH_TEXT, NULL, DIAG_HOSTNAME_MISMATCH},
	{EV_CHAINING_FAILED_TEXT, NULL, DIAG_CHAIN_OUT_OF_ORDER},
	{EV_PROTOCOL_MISMATCH_TEXT, "protocol_version", DIAG_PROTOCOL_MISMATCH},
	{EV_CIPHER_MISMATCH_TEXT, NULL, DIAG_CIPHER_MISMATCH},
	{EV_CLIENT_CERT_MISSING_TEXT, "certificate_required", DIAG_CLIENT_CERT_NOT_SENT},
	{EV_EKU_REJECTED_TEXT, NULL, DIAG_CLIENT_CERT_REJECTED},
};

static enum diag_code failed_verdict(const struct handshake *h)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(named_causes); i++)
		if (has(h, named_causes[i].event) ||
		    (named_causes[i].alert && alert_is(h, named_causes[i].alert)))
			return named_causes[i].code;
	if (h->pkix_failed ||
	    (h->alert_sent && !strcmp(h->alert_sent, "certificate_unknown")))
		return trust_verdict(h);
	if (has(h, EV_PEER_CLOSED_TEXT))
		return DIAG_PEER_CLOSED;
	return DIAG_HANDSHAKE_FAILED;
}

void diagnose_handshake(struct handshake *h)
{
	h->chain = h->peer_certs_state == CERTS_CAPTURED
			   ? chain_classify(h->peer_certs, h->n_peer_certs)
			   : CHAIN_NOT_CAPTURED;
	switch (h->outcome) {
	case OUTCOME_OK:
		h->diagnosis = h->chain == CHAIN_LEAF_ONLY
				       ? DIAG_LEAF_ONLY_CHAIN_TOLERATED
				       : DIAG_OK;
		break;
	case OUTCOME_FAILED:
		h->diagnosis = failed_verdict(h);
		break;
	default:
		/* Cut off by the end of the log: nothing failed that we saw. */
		h->diagnosis = DIAG_OK;
		break;
	}
	free(h->missing_issuer);
	const char *mi = missing_issuer(h);
	h->missing_issuer = mi ? xstrdup(mi) : NULL;
}

/* Symptoms tied to a handshake add what they say to its evidence. */
static void merge_symptoms(struct report *r, struct handshake *h)
{
	for (size_t i = 0; i < h->n_symptoms; i++) {
		const struct symptom *s = &r->symptoms[h->symptoms[i]];
		h->events |= s->events;
		h->pkix_failed |= s->pkix;
	}
}

static struct finding *finding_for(struct report *r, enum diag_code code)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].code == code)
			return &r->findings[i];
	struct finding *f = &r->findings[r->n_findings++];
	memset(f, 0, sizeof *f);
	f->code = code;
	return f;
}

static void finding_add_peer(struct finding *f, char *peer)
{
	for (size_t i = 0; i < f->n_peers; i++) {
		if (!strcmp(f->peers[i], peer)) {
			free(peer);
			return;
		}
	}
	if (f->n_peers >= FINDING_MAX_PEERS) {
		f->peers_truncated = true;
		free(peer);
		return;
	}
	xgrow(&f->peers, &f->cap_peers, f->n_peers + 1, sizeof *f->peers);
	f->peers[f->n_peers++] = peer;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	enum severity sa = diag_info(a->code)->severity;
	enum severity sb = diag_info(b->code)->severity;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (int)a->code - (int)b->code;
}

void diagnose_report(struct report *r)
{
	free(r->findings);
	r->findings = xcalloc(DIAG__COUNT, sizeof *r->findings);
	r->n_findings = 0;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		struct handshake *h = &r->handshakes[i];
		merge_symptoms(r, h);
		diagnose_handshake(h);
		struct finding *f = finding_for(r, h->diagnosis);
		f->count++;
		char *peer = handshake_peer_string(h);
		if (peer)
			finding_add_peer(f, peer);
	}
	/* The handshakes the detail caps left out count all the same. */
	for (size_t i = 0; i < r->n_tallies; i++) {
		const struct tally *t = &r->tallies[i];
		if (!t->omitted)
			continue;
		struct finding *f = finding_for(r, t->code);
		f->count += t->omitted;
		f->omitted += t->omitted;
		if (t->peer)
			finding_add_peer(f, xstrdup(t->peer));
	}
	qsort(r->findings, r->n_findings, sizeof *r->findings, finding_cmp);
}

enum severity report_worst_severity(const struct report *r)
{
	enum severity worst = SEV_INFO;
	for (size_t i = 0; i < r->n_findings; i++) {
		enum severity s = diag_info(r->findings[i].code)->severity;
		if (s > worst)
			worst = s;
	}
	return worst;
}
