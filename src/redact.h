/* redact.h - --redact: a report-to-report stage that replaces host names,
 * IP addresses and certificate serial numbers with stable placeholders
 * (host-1, ip-1, serial-1), so that a report can leave the house.
 *
 * Placeholders are numbered in the order the names are met in a walk of
 * the report (the node, then each input, then each handshake: its peer,
 * SNI, certificates, symptoms, evidence), so one report gives the same
 * placeholders in every output format, and one name the same placeholder
 * wherever it appears: peer, SNI, CN= in subjects and issuers, URIs,
 * evidence and symptom lines, exception texts, paths, and the advice
 * (which is filled in from the redacted fields).  Names are compared
 * without regard to case.
 *
 * What is a name: every peer, SNI, symptom host and node the report holds,
 * and every CN that looks like a host name, wherever it appears in text;
 * the host of any URI (user:password@ goes too); IPv4 and IPv6 addresses;
 * and in free text, dotted lower-case names that look like host names
 * (not Java packages and classes such as javax.net.ssl or
 * sun.security.validator.ValidatorException, nor file names such as
 * wrapper.log or CertificateMessage.java).  Serial numbers are the
 * certificates' own, wherever they appear.  Organisation names (O=, OU=)
 * and CA names that are not host names are kept: they say which CA a
 * chain needs.
 *
 * Ownership: redact_report() works in place.  A struct redactor (the map
 * from names to placeholders) is made by redactor_new() and freed by
 * redactor_free(); redactor_text() returns a string the caller frees. */
#ifndef SSLSIFT_REDACT_H
#define SSLSIFT_REDACT_H

#include "model.h"

void redact_report(struct report *r);

struct redactor;

struct redactor *redactor_new(void);
void redactor_free(struct redactor **rd);
/* Names to find in text wherever they appear; each gets its placeholder
 * now, in the order learnt. */
void redactor_learn_host(struct redactor *rd, const char *name);
void redactor_learn_serial(struct redactor *rd, const char *serial);
/* A whole value: the placeholder of a host name or IP address, or of a
 * serial number.  The result is owned by the redactor's caller. */
char *redactor_name(struct redactor *rd, const char *name);
char *redactor_serial(struct redactor *rd, const char *serial);
/* Text with every name in it replaced (see above); NULL gives NULL. */
char *redactor_text(struct redactor *rd, const char *text);

#endif
