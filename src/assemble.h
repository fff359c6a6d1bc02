/* assemble.h - lines to handshakes.  Consumes envelope-stripped lines and
 * their pattern hits, keeps per-thread state (threads interleave in real
 * logs), and assembles each handshake: role, peer, TLS version, cipher,
 * the peer's Certificate message (JDK 11+ TLS 1.2 "Certificates": [ and
 * TLS 1.3 "certificate_list": [ shapes, and the classic JDK 8
 * "*** Certificate chain" / "chain [N] = [" block), alerts, exceptions and
 * whether it finished.  Application symptom lines (SSLHandshakeException,
 * Socket is closed, peer not authenticated, Request not sent to uri=...)
 * outside debug records become report symptoms for correlate.c.
 *
 * Ownership: the assembler borrows the report and writes handshakes and
 * symptoms into it; assembler_free() releases only the assembler. */
#ifndef SSLSIFT_ASSEMBLE_H
#define SSLSIFT_ASSEMBLE_H

#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "model.h"
#include "patterns.h"

struct assembler;

struct assembler *assembler_new(struct report *r);
/* file is the index of the input in the report. */
void assembler_begin_input(struct assembler *a, uint32_t file);
/* True when the next line must be stripped and matched even if the
 * prefilter finds nothing in it (a record or certificate block is open). */
bool assembler_in_block(const struct assembler *a);
/* True for the events that mean something only inside a record or block
 * (certificate fields, alert bodies, "***"): outside one, a line holding
 * nothing else changes nothing, so a prefilter may skip it. */
bool assembler_event_needs_block(enum ss_event ev);
void assembler_line(struct assembler *a, uint64_t lineno,
		    const struct envline *env, const struct pattern_hit *hits,
		    size_t n_hits);
/* Closes what is still open: a certificate block cut off by the end of the
 * input is marked CERTS_CUT, a handshake that neither finished nor failed
 * stays OUTCOME_UNKNOWN. */
void assembler_end_input(struct assembler *a);
void assembler_free(struct assembler **a);

#endif
