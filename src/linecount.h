/* linecount.h - counts newlines in a buffer, as fast as the CPU allows
 * (AVX-512, AVX2 or a word at a time): the hot loop's only work on lines
 * that cannot matter.
 *
 * Ownership: borrows the buffer for the call. */
#ifndef SSLSIFT_LINECOUNT_H
#define SSLSIFT_LINECOUNT_H

#include <stddef.h>

size_t linecount(const char *s, size_t n);

#endif
