/* litextract.h - the required literal of a regex.  Reads a PCRE2 regex
 * (already known to compile) conservatively and names the longest run of
 * literal bytes that every match must contain, so that the prefilter
 * (litscan.h) can skip lines without it before PCRE2 runs.
 *
 * Ownership: litextract_required() returns a NUL-terminated string the
 * caller frees, or NULL; it borrows the regex only for the call. */
#ifndef SSLSIFT_LITEXTRACT_H
#define SSLSIFT_LITEXTRACT_H

#include <stddef.h>

/* Shorter required literals are not worth a prefilter. */
#define LITEXTRACT_MIN 3

/* The longest literal every match of re[0..n) must contain (at least
 * LITEXTRACT_MIN bytes), its length in *len; NULL (and *len 0) if there
 * is none the reader can prove. */
char *litextract_required(const char *re, size_t n, size_t *len);

#endif
