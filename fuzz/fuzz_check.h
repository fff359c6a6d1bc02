/* fuzz_check.h - what the fuzz harnesses assert about sslsift's output,
 * whatever the input: JSON that is valid UTF-8 and parses, findings whose
 * counts add up to the handshakes (listed plus omitted), terminal text
 * without control characters.  A violation aborts, which libFuzzer
 * reports as a crash with the input that caused it. */
#ifndef SSLSIFT_FUZZ_CHECK_H
#define SSLSIFT_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond, what)                                          \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", \
				what, __FILE__, __LINE__);               \
			abort();                                         \
		}                                                        \
	} while (0)

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF.  Returns the offset of the first bad byte, or n. */
static inline size_t fuzz_utf8_check(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

#endif
