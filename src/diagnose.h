/* diagnose.h - handshakes to verdicts.  Classifies the certificate chain
 * the peer sent (issuer/subject links, self-signed root present or not),
 * picks one diagnosis code per handshake from the evidence, and adds up
 * the findings over the whole report.
 *
 * Ownership: works in place on the report (findings are owned by it). */
#ifndef SSLSIFT_DIAGNOSE_H
#define SSLSIFT_DIAGNOSE_H

#include <stddef.h>

#include "model.h"

enum chain_kind chain_classify(const struct cert *certs, size_t n);
/* Sets h->chain, h->diagnosis and h->missing_issuer. */
void diagnose_handshake(struct handshake *h);
/* Diagnoses every handshake and builds report.findings, worst first. */
void diagnose_report(struct report *r);
/* Rebuilds report.findings (counts, peers and their counts, first and
 * last seen) from the handshakes' diagnoses as they stand. */
void diagnose_findings(struct report *r);
/* The worst severity among the findings (SEV_INFO if none). */
enum severity report_worst_severity(const struct report *r);

#endif
