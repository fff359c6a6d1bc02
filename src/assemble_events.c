/* assemble_events.c - the assembler's event handlers (see assemble_int.h):
 * hellos, versions and HelloRetryRequest; the certificate messages and the
 * classic JDK 8 blocks; Finished; alerts, exceptions and failure texts;
 * and the table that maps each event to its handler. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assemble_int.h"
#include "util.h"

/* ---- event handlers: hellos and versions -------------------------------- */

/* A failure: fatal unless a finished handshake is settled already. */
static void hs_fail(struct handshake *h)
{
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	h->outcome = OUTCOME_FAILED;
}

static bool is_tls13(const struct handshake *h)
{
	return h->tls_version && strstr(h->tls_version, "1.3");
}

static void hs_check_finished(struct handshake *h)
{
	if (!h->finished_sent || !h->finished_received ||
	    h->outcome != OUTCOME_UNKNOWN)
		return;
	h->outcome = OUTCOME_OK;
	/* Only a TLS 1.3 client can still be refused (see the top). */
	h->d.settled = !(h->role == ROLE_CLIENT && is_tls13(h));
}

/* A ClientHello starts a handshake, unless it is the second ClientHello
 * after a HelloRetryRequest, which continues the same one. */
static void start_hello(struct assembler *a, struct ctx *c, enum role role)
{
	struct thread_slot *t = &a->threads[c->thread];
	struct handshake *h = hs_at(a, t->hs);
	if (!h || !h->d.hrr_pending || h->outcome != OUTCOME_UNKNOWN)
		hs_open(a, c->thread, c->lineno, c->env);
	h = cur(a, c);
	h->d.hrr_pending = false;
	if (h->role == ROLE_UNKNOWN)
		h->role = role;
}

/* "Produced ClientHello(HRR)" (value "HRR") is the retry after a
 * HelloRetryRequest: never a new handshake. */
static void on_client_hello(struct assembler *a, struct ctx *c,
			    const struct pattern_hit *hit)
{
	bool ours = hit->event == EV_CLIENT_HELLO_PRODUCED;
	a->s.hello = ours ? HELLO_CH_OURS : HELLO_CH_PEERS;
	if (hit->cap[CAP_value].n) {
		struct handshake *h = cur(a, c);
		h->d.hrr_pending = false;
		if (h->role == ROLE_UNKNOWN)
			h->role = ours ? ROLE_CLIENT : ROLE_SERVER;
		return;
	}
	start_hello(a, c, ours ? ROLE_CLIENT : ROLE_SERVER);
}

static void on_classic_client_hello(struct assembler *a, struct ctx *c,
				    const struct pattern_hit *hit)
{
	/* The server prints the ClientHello it read, after its READ line;
	 * the client the one it is about to write, which waits for the WRITE
	 * that names its thread (assemble.c). */
	bool read = !a->threads[c->thread].reserved;
	hs_open(a, c->thread, c->lineno, c->env);
	struct handshake *h = cur(a, c);
	h->role = read ? ROLE_SERVER : ROLE_CLIENT;
	set_str(&h->tls_version, hit->cap[CAP_version]);
	set_str(read ? &h->d.versions_peer : &h->d.versions_local,
		hit->cap[CAP_version]);
}

/* A second ServerHello with no ClientHello (or HelloRetryRequest) before
 * it: two connections' records are mixed, or the log lost a boundary. */
static void count_server_hello(struct handshake *h)
{
	if (h->d.server_hellos > 0 && !h->d.hrr_pending)
		h->d.ambiguous = true;
	h->d.server_hellos++;
	h->d.hrr_pending = false;
}

static void on_server_hello(struct assembler *a, struct ctx *c,
			    const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	bool ours = hit->event == EV_SERVER_HELLO_PRODUCED;
	if (h->role == ROLE_UNKNOWN)
		h->role = ours ? ROLE_SERVER : ROLE_CLIENT;
	count_server_hello(h);
	a->s.hello = ours ? HELLO_SH_OURS : HELLO_SH_PEERS;
	if (hit->event == EV_CLASSIC_SERVER_HELLO) {
		set_str(&h->tls_version, hit->cap[CAP_version]);
		set_str(h->role == ROLE_SERVER ? &h->d.versions_local
					       : &h->d.versions_peer,
			hit->cap[CAP_version]);
	}
}

/* The server side's "Produced HelloRetryRequest", or (value set) the
 * client's ServerHello record whose body is a "HelloRetryRequest". */
static void on_hello_retry(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (hit->cap[CAP_value].n) {
		if (a->s.hello != HELLO_SH_PEERS && a->s.hello != HELLO_SH_OURS)
			return;
		if (h->d.server_hellos > 0)
			h->d.server_hellos--;
	}
	h->hello_retry = true;
	h->d.hrr_pending = true;
}

static void on_versions(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	bool ours = a->s.hello == HELLO_CH_OURS || a->s.hello == HELLO_SH_OURS;
	if (a->s.hello == HELLO_NONE)
		return;
	char **dst = ours ? &h->d.versions_local : &h->d.versions_peer;
	/* "client version" (captured as version) is the legacy field that
	 * precedes the extensions: supported_versions (value) wins */
	if (hit->cap[CAP_version].n && !*dst)
		set_str(dst, hit->cap[CAP_version]);
	else if (hit->cap[CAP_value].n)
		set_str(dst, slice_trim(hit->cap[CAP_value]));
}

static void on_new_session_ticket(struct assembler *a, struct ctx *c,
				  const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK)
		h->d.settled = true;
}

static void on_sni(struct assembler *a, struct ctx *c,
		   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	set_str(&h->sni, hit->cap[CAP_host]);
	if (h->role != ROLE_SERVER && !h->peer_host)
		set_str(&h->peer_host, hit->cap[CAP_host]);
}

static void on_tls_version(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	set_str(&cur(a, c)->tls_version, hit->cap[CAP_version]);
}

static void on_cipher(struct assembler *a, struct ctx *c,
		      const struct pattern_hit *hit)
{
	/* the ClientHello's list is what was offered, not what was chosen */
	if (a->s.hello == HELLO_CH_OURS || a->s.hello == HELLO_CH_PEERS)
		return;
	set_str(&cur(a, c)->cipher, hit->cap[CAP_value]);
}

/* ---- event handlers: certificate messages ------------------------------- */

static void on_cert_msg_consumed(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->role == ROLE_UNKNOWN)
		h->role = slice_eq(hit->cap[CAP_value], "client") ? ROLE_SERVER
								  : ROLE_CLIENT;
	evidence(a, h, c);
	/* -Djavax.net.debug= (empty: System.Logger mode) logs the message
	 * without its body: no chain will follow */
	if (!a->s.in_record) {
		h->d.bodies_dropped = true;
		return;
	}
	capture_begin(a, a->threads[c->thread].hs, CAPTURE_PEER);
}

static void on_other_certs(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	capture_begin(a, -1, CAPTURE_OTHER);
}

static void on_classic_cert_chain(struct assembler *a, struct ctx *c,
				  const struct pattern_hit *hit)
{
	struct thread_slot *t = &a->threads[c->thread];
	struct handshake *h = cur(a, c);
	/* The peer's chain comes before ServerHelloDone on a client and after
	 * it on a server; the other one is our own. */
	bool shd = t->seen_server_hello_done;
	bool peer = h->role == ROLE_SERVER ? shd : !shd;
	size_t to;
	if (!peer && classic_chain_elsewhere(a, c->thread, &to) >= 0) {
		/* another thread's, printed late (assemble_classic.c) */
		c->thread = to;
		a->s.classic_thread = to;
		t = &a->threads[to];
		h = cur(a, c);
		peer = true;
	}
	if (peer)
		evidence(a, h, c);
	a->s.classic_block = true;
	a->s.chain_line = c->lineno;
	if (peer)
		capture_begin(a, t->hs, CAPTURE_PEER);
	else if (h->role == ROLE_CLIENT)
		on_own_cert_msg(a, c, hit);
	else
		capture_begin(a, -1, CAPTURE_OTHER);
}

static void on_classic_block_end(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	close_classic_block(a);
}

static void on_classic_server_hello_done(struct assembler *a, struct ctx *c,
					 const struct pattern_hit *hit)
{
	close_classic_block(a);
	a->threads[c->thread].seen_server_hello_done = true;
	cur(a, c);
}

static void on_classic_cert_request(struct assembler *a, struct ctx *c,
				    const struct pattern_hit *hit)
{
	close_classic_block(a);
	on_cert_request(a, c, hit);
	a->s.classic_cert_request = true;
}

static void on_classic_finished(struct assembler *a, struct ctx *c,
				const struct pattern_hit *hit)
{
	close_classic_block(a);
	struct handshake *h = cur(a, c);
	a->threads[c->thread].ccs_written = false;
	/* One Finished each way: the first is ours on a client that sends
	 * first, but either way two of them mean both were exchanged. */
	if (++a->threads[c->thread].classic_finished >= 2) {
		h->finished_sent = h->finished_received = true;
		hs_check_finished(h);
	}
}

static void on_classic_trusted(struct assembler *a, struct ctx *c,
			       const struct pattern_hit *hit)
{
	close_classic_block(a);
	capture_begin(a, -1, CAPTURE_OTHER);
}

/* "thread, READ:/WRITE: <version> <type>": which thread the lines after
 * it belong to (assemble.c), and which thread a waiting ClientHello is. */
static void on_classic_rw(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hit)
{
	struct stream *s = &a->s;
	struct thread_slot *t = &a->threads[c->thread];
	bool write = hit->event == EV_CLASSIC_WRITE;
	struct slice type = hit->cap[CAP_value];
	bool handshake = slice_eq(type, "Handshake") ||
			 slice_eq(type, "client hello");
	bool ccs = slice_eq(type, "Change Cipher Spec");
	const struct handshake *h = hs_at(a, t->hs);
	bool busy = t->mid_flight && h && h->outcome == OUTCOME_UNKNOWN;
	/* a thread in the middle of its own handshake writes its next
	 * message there, not a new ClientHello */
	if (write && handshake && !busy)
		adopt_pending(a, c->thread);
	t->mid_flight = handshake || ccs;
	if (write)
		t->ccs_written = ccs;
	s->region = handshake && !write ? REGION_READ
		    : ccs && write      ? REGION_CCS
					: REGION_OPEN;
	s->classic_records = true;
}

static void on_cert_field(struct assembler *a, struct ctx *c,
			  const struct pattern_hit *hit)
{
	cert_field(a, hit->event, hit);
	if (hit->event == EV_CERT_SUBJECT && a->s.classic_block)
		classic_chain_owner(a);
}

static void on_finished(struct assembler *a, struct ctx *c,
			const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (hit->event == EV_FINISHED_PRODUCED)
		h->finished_sent = true;
	else
		h->finished_received = true;
	hs_check_finished(h);
}

/* ---- event handlers: alerts and failures -------------------------------- */

/* The first fatal alert of a handshake, and which side raised it. */
static void note_alert(struct handshake *h, struct slice name, bool by_peer)
{
	if (h->d.alert || !name.n)
		return;
	h->d.alert = lower_dup(name);
	h->d.alert_by_peer = by_peer;
}

static void note_failure_text(struct handshake *h, struct slice text)
{
	if (!h->failure_text && text.n)
		h->failure_text = field_dup(text);
}

/* "Fatal (ALERT): diagnostic" is logged for an alert this JVM sends, and
 * also for one it received ("Received fatal alert: x"): only the first
 * is a local refusal.  "Couldn't kickstart handshaking" failed before
 * anything was sent: the cause is in the throwable below it. */
static void on_fatal_alert_sent(struct assembler *a, struct ctx *c,
				const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	hs_fail(h);
	struct slice detail = cap_text(c, hit->cap[CAP_detail]);
	bool received = slice_starts(detail, "Received fatal alert") ||
			slice_starts(detail, "Received close_notify");
	bool kickstart = slice_starts(detail, "Couldn't kickstart");
	if (slice_starts(detail, "Received close_notify"))
		note_alert(h, slice_cstr("close_notify"), true);
	if (!received && !kickstart) {
		if (!h->alert_sent)
			h->alert_sent = lower_dup(hit->cap[CAP_alert]);
		note_alert(h, hit->cap[CAP_alert], false);
	}
	if (!kickstart)
		note_failure_text(h, detail);
	else if (!h->d.messages_seen)
		h->d.before_hello = true;
	evidence(a, h, c);
}

/* "thread, fatal error: 46: General SSLEngine problem": the handshake
 * failed; the diagnostic is often generic, the cause on the next line
 * (classic_cause_line()) says why. */
static void on_classic_fatal_error(struct assembler *a, struct ctx *c,
				   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	hs_fail(h);
	a->s.cause_replaces = !h->failure_text;
	note_failure_text(h, cap_text(c, hit->cap[CAP_detail]));
	a->s.cause_next = true;
	a->s.cause_thread = c->thread;
	evidence(a, h, c);
}

void classic_cause_line(struct assembler *a, struct ctx *c)
{
	struct handshake *h = hs_at(a, a->threads[c->thread].hs);
	struct slice m = slice_trim(c->env->msg);
	if (!h || !m.n)
		return;
	if (a->s.cause_replaces) {
		free(h->failure_text);
		h->failure_text = field_dup(m);
	}
	evidence(a, h, c);
}

static bool harmless_alert(struct slice alert)
{
	return slice_eq(alert, "close_notify") || slice_eq(alert, "user_canceled");
}

static void alert_received(struct assembler *a, struct ctx *c,
			   struct slice alert, bool warning)
{
	struct handshake *h = cur(a, c);
	if ((h->outcome == OUTCOME_OK && h->d.settled) || !alert.n ||
	    harmless_alert(alert))
		return;
	/* A warning is not fatal by itself; the JDK's own Fatal record tells
	 * what it made of it. */
	if (warning) {
		evidence(a, h, c);
		return;
	}
	hs_fail(h);
	if (!h->alert_received)
		h->alert_received = lower_dup(alert);
	note_alert(h, alert, true);
	evidence(a, h, c);
}

/* "SSL -- handshake alert:  x": the handshaker threw on the peer's
 * warning alert x, which thereby ended the handshake; only a
 * no_certificate to a server that merely requested one is let pass. */
static void on_classic_handshake_alert(struct assembler *a, struct ctx *c,
				       const struct pattern_hit *hit)
{
	struct slice alert = hit->cap[CAP_alert];
	alert_received(a, c, alert, slice_eq(alert, "no_certificate"));
}

static void on_alert_received(struct assembler *a, struct ctx *c,
			      const struct pattern_hit *hit)
{
	/* The JDK 11+ record names the alert in its body (below). */
	if (hit->cap[CAP_alert].n) {
		alert_received(a, c, hit->cap[CAP_alert], false);
	} else {
		cur(a, c);
		a->s.alert_record = a->s.in_record;
		a->s.alert_warning = false;
	}
}

static void on_alert_level(struct assembler *a, struct ctx *c,
			   const struct pattern_hit *hit)
{
	if (a->s.in_record && a->s.alert_record)
		a->s.alert_warning = slice_eq(hit->cap[CAP_value], "warning");
}

static void on_alert_description(struct assembler *a, struct ctx *c,
				 const struct pattern_hit *hit)
{
	if (a->s.in_record && a->s.alert_record)
		alert_received(a, c, hit->cap[CAP_alert], a->s.alert_warning);
}

static void on_handshake_exception(struct assembler *a, struct ctx *c,
				   const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	hs_fail(h);
	note_failure_text(h, cap_text(c, hit->cap[CAP_detail]));
	evidence(a, h, c);
}

static void on_pkix(struct assembler *a, struct ctx *c,
		    const struct pattern_hit *hit)
{
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	hs_fail(h);
	h->pkix_failed = true;
}

/* Classic JDK 8 prints "handling exception:" for an established
 * connection's errors too: a socket error there ("java.net.Socket
 * Exception: Connection reset" on a pooled connection whose handshake
 * is in an older log) belongs to a handshake only if one is in flight on
 * the thread; it starts none. */
static bool stray_socket_error(struct assembler *a, const struct ctx *c)
{
	const struct handshake *h = hs_at(a, a->threads[c->thread].hs);
	if (h && !(h->outcome == OUTCOME_OK && h->d.settled))
		return false;
	return c->env->inner == INNER_CLASSIC &&
	       slice_starts(c->env->msg, "handling exception: java.net.");
}

/* Any other failure text: remembered in h->events for the diagnosis. */
static void on_cause(struct assembler *a, struct ctx *c,
		     const struct pattern_hit *hit)
{
	if (stray_socket_error(a, c))
		return;
	struct handshake *h = cur(a, c);
	if (h->outcome == OUTCOME_OK && h->d.settled)
		return;
	hs_fail(h);
	switch (hit->event) {
	case EV_HOSTNAME_MISMATCH_TEXT:
		if (!h->d.name_checked && hit->cap[CAP_host].n)
			h->d.name_checked = field_dup(hit->cap[CAP_host]);
		/* called by IP address: no SNI named the peer */
		if (!h->peer_host && h->role != ROLE_SERVER)
			set_str(&h->peer_host, hit->cap[CAP_host]);
		break;
	case EV_CERT_EXPIRED_TEXT:
		if (!h->d.expiry_text && hit->cap[CAP_detail].n)
			h->d.expiry_text =
				field_dup(cap_text(c, hit->cap[CAP_detail]));
		break;
	case EV_PROTOCOL_MISMATCH_TEXT:
		/* "The server selected protocol version TLS10 is not accepted
		 * by client preferences [TLS13, TLS12]", "Client requested
		 * protocol TLSv1.1 is not enabled...": the peer's version */
		set_str(&h->d.versions_peer, hit->cap[CAP_version]);
		set_str(&h->d.versions_local, hit->cap[CAP_value]);
		break;
	default:
		break;
	}
}

/* A failure no named cause explains ("Unsupported or unrecognized SSL
 * message", "handling exception" of a read that timed out): it ends the
 * handshake in flight on the thread, whose failure text it is.  Both
 * generations log "handling exception" for established connections too,
 * so it starts no handshake and fails none that finished. */
static void on_other_failure(struct assembler *a, struct ctx *c,
			     const struct pattern_hit *hit)
{
	struct handshake *h = hs_at(a, a->threads[c->thread].hs);
	if (!h || h->outcome == OUTCOME_OK)
		return;
	if (h->outcome == OUTCOME_FAILED) {
		/* JDK 11+ logs it after the Fatal record too: not a step
		 * of the handshake, only maybe its first words of why */
		note_failure_text(h, cap_text(c, hit->cap[CAP_detail]));
		return;
	}
	h = cur(a, c);
	hs_fail(h);
	note_failure_text(h, cap_text(c, hit->cap[CAP_detail]));
	evidence(a, h, c);
}

const handler_fn debug_handlers[EV__COUNT] = {
	[EV_SSL_HANDSHAKE_EXCEPTION] = on_handshake_exception,
	[EV_PKIX_PATH_BUILDING_FAILED] = on_pkix,
	[EV_PKIX_VALIDATION_FAILED] = on_pkix,
	[EV_FATAL_ALERT_SENT] = on_fatal_alert_sent,
	[EV_ALERT_RECEIVED] = on_alert_received,
	[EV_ALERT_LEVEL] = on_alert_level,
	[EV_ALERT_DESCRIPTION] = on_alert_description,
	[EV_CERT_EXPIRED_TEXT] = on_cause,
	[EV_HOSTNAME_MISMATCH_TEXT] = on_cause,
	[EV_PEER_CLOSED_TEXT] = on_cause,
	[EV_PROTOCOL_MISMATCH_TEXT] = on_cause,
	[EV_CIPHER_MISMATCH_TEXT] = on_cause,
	[EV_REVOKED_TEXT] = on_cause,
	[EV_CHAINING_FAILED_TEXT] = on_cause,
	[EV_CLIENT_CERT_MISSING_TEXT] = on_cause,
	[EV_EMPTY_CHAIN_TEXT] = on_cause,
	[EV_EKU_REJECTED_TEXT] = on_cause,
	[EV_CERT_UNUSABLE_TEXT] = on_cause,
	[EV_OTHER_FAILURE_TEXT] = on_other_failure,
	[EV_CLIENT_HELLO_PRODUCED] = on_client_hello,
	[EV_CLIENT_HELLO_CONSUMED] = on_client_hello,
	[EV_SERVER_HELLO_PRODUCED] = on_server_hello,
	[EV_SERVER_HELLO_CONSUMED] = on_server_hello,
	[EV_HELLO_RETRY_REQUEST] = on_hello_retry,
	[EV_HELLO_VERSIONS] = on_versions,
	[EV_NEW_SESSION_TICKET] = on_new_session_ticket,
	[EV_SNI] = on_sni,
	[EV_TLS_VERSION] = on_tls_version,
	[EV_CIPHER_SUITE] = on_cipher,
	[EV_CERT_MSG_CONSUMED] = on_cert_msg_consumed,
	[EV_CERT_MSG_PRODUCED] = on_own_cert_msg,
	[EV_CERT_REQUEST] = on_cert_request,
	[EV_CERT_AUTHORITY] = on_cert_authorities,
	[EV_KEY_ENTRY] = on_key_entry,
	[EV_TRUSTED_CERT] = on_other_certs,
	[EV_CERT_ENTRY] = on_cert_field,
	[EV_CERT_SUBJECT] = on_cert_field,
	[EV_CERT_ISSUER] = on_cert_field,
	[EV_CERT_NOT_BEFORE] = on_cert_field,
	[EV_CERT_NOT_AFTER] = on_cert_field,
	[EV_CERT_SERIAL] = on_cert_field,
	[EV_CERT_SAN_BEGIN] = on_san_begin,
	[EV_CERT_SAN_NAME] = on_san_name,
	[EV_FINISHED_CONSUMED] = on_finished,
	[EV_FINISHED_PRODUCED] = on_finished,
	[EV_CLASSIC_READ] = on_classic_rw,
	[EV_CLASSIC_WRITE] = on_classic_rw,
	[EV_CLASSIC_CLIENT_HELLO] = on_classic_client_hello,
	[EV_CLASSIC_SERVER_HELLO] = on_server_hello,
	[EV_CLASSIC_CERT_CHAIN] = on_classic_cert_chain,
	[EV_CLASSIC_CERT_REQUEST] = on_classic_cert_request,
	[EV_CLASSIC_CERT_AUTHORITIES] = on_classic_cert_authorities,
	[EV_CLASSIC_SERVER_HELLO_DONE] = on_classic_server_hello_done,
	[EV_CLASSIC_FINISHED] = on_classic_finished,
	[EV_CLASSIC_BLOCK_END] = on_classic_block_end,
	[EV_CLASSIC_TRUSTED_CERT] = on_classic_trusted,
	[EV_CLASSIC_FATAL_ERROR] = on_classic_fatal_error,
	[EV_CLASSIC_HANDSHAKE_ALERT] = on_classic_handshake_alert,
};

/* Events that do not need a handshake to be under way to mean something:
 * structure events only count where a record or block gives them one. */
bool event_needs_context(enum ss_event ev)
{
	switch (ev) {
	case EV_CERT_ENTRY: case EV_CERT_SUBJECT: case EV_CERT_ISSUER:
	case EV_CERT_NOT_BEFORE: case EV_CERT_NOT_AFTER: case EV_CERT_SERIAL:
	case EV_CERT_EMPTY: case EV_ALERT_LEVEL: case EV_ALERT_DESCRIPTION:
	case EV_CLASSIC_BLOCK_END:
	case EV_CERT_SAN_BEGIN: case EV_CERT_SAN_NAME:
	case EV_CERT_AUTHORITY: case EV_HELLO_VERSIONS:
		return true;
	default:
		return false;
	}
}

bool assembler_event_needs_block(enum ss_event ev)
{
	return event_needs_context(ev);
}

bool is_classic_event(enum ss_event ev)
{
	/* the classic rows close the event list (events.h) */
	return ev >= EV_CLASSIC_READ && ev < EV__COUNT;
}

/* Records that are handshake messages: with them the log shows what was
 * exchanged, not only how it ended. */
bool is_message_event(enum ss_event ev)
{
	switch (ev) {
	case EV_CLIENT_HELLO_PRODUCED: case EV_CLIENT_HELLO_CONSUMED:
	case EV_SERVER_HELLO_PRODUCED: case EV_SERVER_HELLO_CONSUMED:
	case EV_CERT_MSG_CONSUMED: case EV_CERT_MSG_PRODUCED:
	case EV_CERT_REQUEST: case EV_FINISHED_CONSUMED:
	case EV_FINISHED_PRODUCED: case EV_CLASSIC_CLIENT_HELLO:
	case EV_CLASSIC_SERVER_HELLO: case EV_CLASSIC_CERT_CHAIN:
	case EV_CLASSIC_FINISHED:
		return true;
	default:
		return false;
	}
}
