/* diagnose.c - see diagnose.h. */
#include "config.h"
#include "diagnose.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
		return cert_self_signed(&certs[0]) ? CHAIN_SELF_SIGNED
						   : CHAIN_LEAF_ONLY;
	for (size_t i = 0; i + 1 < n; i++)
		if (!dn_equal(certs[i].issuer, certs[i + 1].subject) ||
		    cert_self_signed(&certs[i]))
			return CHAIN_OUT_OF_ORDER;
	return cert_self_signed(&certs[n - 1]) ? CHAIN_COMPLETE_WITH_ROOT
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
	return ev < EV__COUNT && (h->events & EVBIT(ev)) != 0;
}

/* ---- dates: which certificate is out of its validity -------------------- */

static int month_number(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (!strncmp(names + 3 * i, m, 3))
			return i + 1;
	return 0;
}

/* A certificate date as JSSE logs it, to the second, as naive time:
 * "2026-10-18 09:37:57.000 UTC" (SSLLogger; hour 24 is past midnight) or
 * "Sun Oct 18 09:37:57 UTC 2026" (Date.toString(): classic dumps and the
 * exception texts).  The zone is the JVM's in both: compared as is. */
static int64_t cert_time(const char *s)
{
	int y, mo, d, h, mi, sec;
	char mon[4], zone[16];
	if (!s)
		return TS_NONE;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) == 6) {
		if (h == 24)
			h = 0;
		return civil_to_ms(y, mo, d, h, mi, sec, 0);
	}
	if (sscanf(s, "%*3s %3s %2d %2d:%2d:%2d %15s %4d", mon, &d, &h, &mi, &sec,
		   zone, &y) == 7)
		return civil_to_ms(y, month_number(mon), d, h, mi, sec, 0);
	return TS_NONE;
}

#define DAY_MS (24 * 3600 * 1000LL)

/* Out of its validity at `at`, by more than a day (the log's clock and the
 * JVM's zone need not agree to the hour). */
static bool out_of_validity(const struct cert *c, int64_t at)
{
	int64_t nb = cert_time(c->not_before), na = cert_time(c->not_after);
	if (at == TS_NONE)
		return false;
	return (na != TS_NONE && na + DAY_MS < at) ||
	       (nb != TS_NONE && nb > at + DAY_MS);
}

/* The certificate the expiry names: the one whose date the exception
 * quotes ("NotAfter: <date>"), else one out of its validity at the time
 * of the handshake; -1 if the log does not tell. */
static long find_expired(const struct handshake *h)
{
	const char *t = h->d.expiry_text;
	const char *date = t ? strchr(t, ':') : NULL;
	bool before = t && strstr(t, "NotBefore");
	int64_t when = date ? cert_time(date + 1 + strspn(date + 1, " ")) : TS_NONE;
	for (size_t i = 0; when != TS_NONE && i < h->n_peer_certs; i++) {
		const struct cert *c = &h->peer_certs[i];
		if (cert_time(before ? c->not_before : c->not_after) == when)
			return (long)i;
	}
	for (size_t i = 0; i < h->n_peer_certs; i++)
		if (out_of_validity(&h->peer_certs[i], h->ts_start))
			return (long)i;
	return -1;
}

/* ---- verdicts ----------------------------------------------------------- */

/* A trust failure: which certificate chain problem explains it. */
static enum diag_code trust_verdict(const struct handshake *h)
{
	bool inbound = h->role == ROLE_SERVER;
	if (h->d.ambiguous)
		return DIAG_TRUST_PATH_FAILED;  /* whose chain? do not guess */
	/* Dates decide only when the log does not say path *building*
	 * failed: that means no path to an anchor was found (the JDK reports
	 * an expired certificate as a validation failure), and the log's
	 * clock is local time while the certificate's dates are not. */
	if (!(h->events & EVBIT(EV_PKIX_PATH_BUILDING_FAILED)) &&
	    find_expired(h) >= 0)
		return DIAG_CERT_EXPIRED;
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

enum alert_by { BY_EITHER, BY_PEER, BY_LOCAL };

static bool alert_is(const struct handshake *h, const char *name,
		     enum alert_by by)
{
	bool local = h->alert_sent && !strcmp(h->alert_sent, name);
	bool peer = h->alert_received && !strcmp(h->alert_received, name);
	return by == BY_LOCAL ? local : by == BY_PEER ? peer : local || peer;
}

static bool role_server(const struct handshake *h)
{
	return h->role == ROLE_SERVER;
}

static bool not_sent_own(const struct handshake *h)
{
	return h->d.own_cert != OWN_CERT_SENT;
}

/* We answered a CertificateRequest with an empty Certificate, and the
 * peer (not we) ended the handshake. */
static bool own_empty_refused(const struct handshake *h)
{
	return h->d.own_cert == OWN_CERT_EMPTY &&
	       !(h->d.alert && !h->d.alert_by_peer);
}

/* We sent a certificate, and the peer refused with an alert that is about
 * certificates (or the generic one some servers use for everything). */
static bool own_sent_refused(const struct handshake *h)
{
	static const char *const refusals[] = {
		"bad_certificate", "unknown_ca", "certificate_unknown",
		"unsupported_certificate", "certificate_expired",
		"certificate_revoked", "access_denied", "handshake_failure",
		"decrypt_error", "certificate_required",
	};
	if (h->d.own_cert != OWN_CERT_SENT || !h->d.alert || !h->d.alert_by_peer)
		return false;
	for (size_t i = 0; i < SS_ARRAY_LEN(refusals); i++)
		if (!strcmp(h->d.alert, refusals[i]))
			return true;
	return false;
}

/* An outbound call the log shows without its handshake messages (no
 * debug output, or only alerts), refused by the server with an alert that
 * only a verdict on a certificate the client sent explains (a client that
 * sent none hears bad_certificate, handshake_failure or
 * certificate_required instead, so those stay open). */
static bool outbound_cert_refused(const struct handshake *h)
{
	static const char *const refusals[] = {
		"unknown_ca", "certificate_unknown", "certificate_expired",
		"certificate_revoked", "unsupported_certificate",
	};
	if (h->role != ROLE_CLIENT || h->d.messages_seen || !h->d.alert ||
	    !h->d.alert_by_peer)
		return false;
	for (size_t i = 0; i < SS_ARRAY_LEN(refusals); i++)
		if (!strcmp(h->d.alert, refusals[i]))
			return true;
	return false;
}

static bool trust_failed(const struct handshake *h)
{
	return h->pkix_failed || alert_is(h, "certificate_unknown", BY_LOCAL);
}

/* The server answered our ClientHello with handshake_failure at once:
 * it found nothing it could accept in it (FORMATS.md 6.3). */
static bool refused_at_hello(const struct handshake *h)
{
	return h->role == ROLE_CLIENT && h->d.messages_seen &&
	       h->d.server_hellos == 0 && !h->hello_retry;
}

/* Sentinel code: the chain decides (trust_verdict). */
#define BY_CHAIN DIAG__COUNT

/* The causes of a failure, checked in this order; the first row that
 * matches decides.  A row matches when the log has its event, or the
 * alert was raised by the side it names, and (if set) its condition
 * holds. */
static const struct cause_rule {
	enum ss_event event;           /* EV__COUNT: none */
	const char *alert;             /* NULL: none */
	enum alert_by by;
	bool (*when)(const struct handshake *h);   /* NULL: always */
	enum diag_code code;
} causes[] = {
	{EV_CERT_EXPIRED_TEXT, "certificate_expired", BY_LOCAL, NULL, DIAG_CERT_EXPIRED},
	{EV_REVOKED_TEXT, "certificate_revoked", BY_LOCAL, NULL, DIAG_REVOKED},
	{EV_HOSTNAME_MISMATCH_TEXT, NULL, BY_EITHER, NULL, DIAG_HOSTNAME_MISMATCH},
	{EV_CHAINING_FAILED_TEXT, NULL, BY_EITHER, NULL, DIAG_CHAIN_OUT_OF_ORDER},
	{EV_PROTOCOL_MISMATCH_TEXT, "protocol_version", BY_EITHER, NULL, DIAG_PROTOCOL_MISMATCH},
	{EV_CIPHER_MISMATCH_TEXT, "insufficient_security", BY_EITHER, NULL, DIAG_CIPHER_MISMATCH},
	{EV_EKU_REJECTED_TEXT, NULL, BY_EITHER, NULL, DIAG_CLIENT_CERT_REJECTED},
	/* a certificate the JDK will not use (disabled algorithm, short
	 * key, no serverAuth, a leaf as issuer): the path reached a trusted
	 * root, so it is no trust-store matter, and no code says more than
	 * that it failed */
	{EV_CERT_UNUSABLE_TEXT, NULL, BY_EITHER, NULL, DIAG_HANDSHAKE_FAILED},
	{EV_CLIENT_CERT_MISSING_TEXT, NULL, BY_EITHER, not_sent_own, DIAG_CLIENT_CERT_NOT_SENT},
	{EV_EMPTY_CHAIN_TEXT, NULL, BY_EITHER, role_server, DIAG_CLIENT_CERT_NOT_SENT},
	/* TLS 1.3's alert for exactly this, even when nothing else was logged */
	{EV__COUNT, "certificate_required", BY_PEER, NULL, DIAG_CLIENT_CERT_NOT_SENT},
	{EV__COUNT, NULL, BY_EITHER, own_empty_refused, DIAG_CLIENT_CERT_NOT_SENT},
	{EV__COUNT, NULL, BY_EITHER, own_sent_refused, DIAG_CLIENT_CERT_REJECTED},
	{EV__COUNT, NULL, BY_EITHER, outbound_cert_refused, DIAG_CLIENT_CERT_REJECTED},
	{EV__COUNT, NULL, BY_EITHER, trust_failed, BY_CHAIN},
	{EV_PEER_CLOSED_TEXT, NULL, BY_EITHER, NULL, DIAG_PEER_CLOSED},
	{EV__COUNT, "handshake_failure", BY_PEER, refused_at_hello, DIAG_CIPHER_MISMATCH},
};

static bool rule_matches(const struct cause_rule *c, const struct handshake *h)
{
	bool trigger = c->event == EV__COUNT && !c->alert;
	if (c->event != EV__COUNT && has(h, c->event))
		trigger = true;
	if (c->alert && alert_is(h, c->alert, c->by))
		trigger = true;
	return trigger && (!c->when || c->when(h));
}

static enum diag_code failed_verdict(const struct handshake *h)
{
	for (size_t i = 0; i < SS_ARRAY_LEN(causes); i++)
		if (rule_matches(&causes[i], h))
			return causes[i].code == BY_CHAIN ? trust_verdict(h)
							  : causes[i].code;
	return DIAG_HANDSHAKE_FAILED;
}

/* The verdicts about the chain itself, where the issuer it lacks (or the
 * root no one trusts) is the point; and handshakes that went well. */
static bool names_missing_issuer(const struct handshake *h)
{
	switch (h->diagnosis) {
	case DIAG_OK:
	case DIAG_LEAF_ONLY_CHAIN:
	case DIAG_LEAF_ONLY_CHAIN_TOLERATED:
	case DIAG_UNTRUSTED_ROOT:
	case DIAG_CHAIN_OUT_OF_ORDER:
	case DIAG_CLIENT_CHAIN_INCOMPLETE:
		return !h->d.ambiguous;
	default:
		return false;
	}
}

static enum debug_level debug_level_of(const struct handshake *h)
{
	if (h->d.messages_seen)
		return DEBUG_HANDSHAKE;
	return h->d.debug_seen ? DEBUG_ALERTS : DEBUG_NONE;
}

void diagnose_handshake(struct handshake *h)
{
	h->chain = h->peer_certs_state == CERTS_CAPTURED
			   ? chain_classify(h->peer_certs, h->n_peer_certs)
			   : CHAIN_NOT_CAPTURED;
	h->d.debug_level = debug_level_of(h);
	switch (h->outcome) {
	case OUTCOME_OK:
		/* the HTTP client's own host name check, after the handshake
		 * (an application line tied to it says so) */
		if (has(h, EV_HOSTNAME_MISMATCH_TEXT))
			h->diagnosis = DIAG_HOSTNAME_MISMATCH;
		else if (h->chain == CHAIN_LEAF_ONLY && !h->d.ambiguous)
			h->diagnosis = DIAG_LEAF_ONLY_CHAIN_TOLERATED;
		else
			h->diagnosis = DIAG_OK;
		break;
	case OUTCOME_FAILED:
		h->diagnosis = failed_verdict(h);
		break;
	default:
		/* Cut off by the end of the log: nothing failed that we saw. */
		h->diagnosis = DIAG_OK;
		break;
	}
	h->d.expired_cert =
		h->diagnosis == DIAG_CERT_EXPIRED ? find_expired(h) : -1;
	free(h->missing_issuer);
	const char *mi = names_missing_issuer(h) ? missing_issuer(h) : NULL;
	h->missing_issuer = mi ? xstrdup(mi) : NULL;
}

/* "...Received fatal alert: unknown_ca": the alert in an application
 * line, for a handshake the debug output did not show. */
static void alert_from_text(struct handshake *h, const char *text)
{
	static const char tag[] = "Received fatal alert: ";
	const char *p = text ? strstr(text, tag) : NULL;
	if (!p || h->d.alert)
		return;
	p += sizeof tag - 1;
	size_t n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_'))
		n++;
	if (!n)
		return;
	h->d.alert = xmemdup0(p, n);
	h->d.alert_by_peer = true;
	if (!h->alert_received)
		h->alert_received = xstrdup(h->d.alert);
}

/* Symptoms tied to a handshake add what they say to its evidence. */
static void merge_symptoms(struct report *r, struct handshake *h)
{
	for (size_t i = 0; i < h->n_symptoms; i++) {
		const struct symptom *s = &r->symptoms[h->symptoms[i]];
		h->events |= s->events;
		h->pkix_failed |= s->pkix;
		alert_from_text(h, s->text);
		/* "Request not sent to uri=https://host...": an outbound call */
		if (h->role == ROLE_UNKNOWN && s->host && !h->d.debug_seen)
			h->role = ROLE_CLIENT;
		if (!h->d.expiry_text && s->detail)
			h->d.expiry_text = xstrdup(s->detail);
		if (!h->d.name_checked && s->host &&
		    (s->events & EVBIT(EV_HOSTNAME_MISMATCH_TEXT)))
			h->d.name_checked = xstrdup(s->host);
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
	f->first_seen = f->last_seen = TS_NONE;
	return f;
}

/* n more handshakes with this peer; peer is taken over. */
static void finding_add_peer(struct finding *f, char *peer, size_t n)
{
	for (size_t i = 0; i < f->n_peers; i++) {
		if (!strcmp(f->peers[i], peer)) {
			f->peer_counts[i] += n;
			free(peer);
			return;
		}
	}
	if (f->n_peers >= FINDING_MAX_PEERS) {
		f->peers_truncated = true;
		free(peer);
		return;
	}
	size_t cap = f->cap_peers;
	xgrow(&f->peers, &f->cap_peers, f->n_peers + 1, sizeof *f->peers);
	xgrow(&f->peer_counts, &cap, f->n_peers + 1, sizeof *f->peer_counts);
	f->peer_counts[f->n_peers] = n;
	f->peers[f->n_peers++] = peer;
}

static void finding_add_time(struct finding *f, int64_t ts)
{
	if (ts == TS_NONE)
		return;
	if (f->first_seen == TS_NONE || ts < f->first_seen)
		f->first_seen = ts;
	if (f->last_seen == TS_NONE || ts > f->last_seen)
		f->last_seen = ts;
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
	for (size_t i = 0; i < r->n_handshakes; i++) {
		struct handshake *h = &r->handshakes[i];
		merge_symptoms(r, h);
		diagnose_handshake(h);
	}
	diagnose_findings(r);
}

void diagnose_findings(struct report *r)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		for (size_t j = 0; j < r->findings[i].n_peers; j++)
			free(r->findings[i].peers[j]);
		free(r->findings[i].peers);
		free(r->findings[i].peer_counts);
	}
	free(r->findings);
	r->findings = xcalloc(DIAG__COUNT, sizeof *r->findings);
	r->n_findings = 0;
	for (size_t i = 0; i < r->n_handshakes; i++) {
		const struct handshake *h = &r->handshakes[i];
		struct finding *f = finding_for(r, h->diagnosis);
		f->count++;
		finding_add_time(f, h->ts_start);
		char *peer = handshake_peer_string(h);
		if (peer)
			finding_add_peer(f, peer, 1);
	}
	/* The handshakes the detail caps left out count all the same. */
	for (size_t i = 0; i < r->n_tallies; i++) {
		const struct tally *t = &r->tallies[i];
		if (!t->omitted)
			continue;
		struct finding *f = finding_for(r, t->code);
		f->count += t->omitted;
		f->omitted += t->omitted;
		finding_add_time(f, t->ts_first);
		finding_add_time(f, t->ts_last);
		if (t->peer)
			finding_add_peer(f, xstrdup(t->peer), t->omitted);
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
