/* patterns.h - signatures as data.  Loads the pattern files (patterns/NAME.pat,
 * sorted by name), compiles each rule once (with the PCRE2 JIT when the
 * library has it, silently falling back to the interpreter), and matches
 * lines against them.
 *
 * Pattern file format: one rule per line, `NAME  REGEX` (NAME, then spaces
 * or tabs, then the regex to the end of the line); blank lines and lines
 * starting with `#` are ignored.  NAME is an event name from events.h.
 * Named groups (?<value>...), (?<host>...), (?<port>...), (?<version>...),
 * (?<alert>...), (?<detail>...) hand their text to the assembler.
 *
 * Only one trailing '\r' is dropped from a line (CRLF files); other
 * trailing blanks belong to the regex.  A regex cannot start with a blank
 * (write \x20).  Regexes are compiled without UTF (PCRE2_NEVER_UTF): any
 * bytes, invalid UTF-8 and NULs included, can be matched.
 *
 * Prefilter: from each regex the loader takes the longest literal that
 * every match must contain (litextract.h: case-sensitive rules only, at
 * least 3 bytes); a line is given to PCRE2 for that rule only if it holds
 * that literal (found by litscan.h).
 * patterns_candidate() answers, with one pass over the line, whether any
 * rule could match.  A rule without such a literal (a top-level `|`, a
 * leading (?i), ...) is tried on every line, so while one exists
 * patterns_candidate() is true for every line: patterns_literalless()
 * says how many there are, patterns_source() names them.  (The pipeline's
 * own whole-buffer prefilter, coldscan.h, only needs literals for the
 * rules whose events matter outside debug blocks.)
 *
 * Ownership: struct patterns owns its compiled rules; patterns_free()
 * releases them.  A struct pattern_matcher holds per-thread match state
 * (match data, JIT stack) and borrows the patterns.  Hits borrow their
 * capture slices from the subject line. */
#ifndef SSLSIFT_PATTERNS_H
#define SSLSIFT_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"
#include "util.h"

struct patterns;
struct pattern_matcher;

struct pattern_hit {
	enum ss_event event;
	int rule;                        /* index of the rule that matched */
	struct slice cap[CAP__COUNT];    /* empty slice if not captured */
};

/* Loads every *.pat file in dir.  NULL on error, with err as
 * "patterns/ssl.pat:3:17: missing closing parenthesis". */
struct patterns *patterns_load_dir(const char *dir, struct ss_err *err);
/* Adds the rules of one file (path) or of text held in memory (label names
 * it in errors).  -1 on error. */
int patterns_add_file(struct patterns *p, const char *path, struct ss_err *err);
int patterns_add_text(struct patterns *p, const char *label, const char *text,
		      size_t len, struct ss_err *err);
struct patterns *patterns_new(void);
/* Compiles the prefilter after the last add; -1 on error. */
int patterns_finish(struct patterns *p, struct ss_err *err);
size_t patterns_count(const struct patterns *p);
void patterns_free(struct patterns **p);

struct pattern_matcher *pattern_matcher_new(const struct patterns *p);
void pattern_matcher_free(struct pattern_matcher **m);

/* Cheap: could any rule match this line? */
bool patterns_candidate(const struct patterns *p, const char *s, size_t n);
/* Runs the rules whose literal the line holds; fills up to max hits in
 * rule order; returns how many.  A match that hits the match limit is not
 * a hit; patterns_limit_hits() counts them. */
size_t patterns_match(struct pattern_matcher *m, const char *s, size_t n,
		      struct pattern_hit *hits, size_t max);
unsigned long patterns_limit_hits(const struct pattern_matcher *m);
/* The rules that hit a match limit for the first time on this matcher
 * during the last patterns_match() call (each rule is named once per
 * matcher): their indices, *n of them, borrowed from the matcher until
 * the next patterns_match(). */
const size_t *patterns_new_limit_rules(const struct pattern_matcher *m,
				       size_t *n);
bool patterns_have_jit(void);

/* Rule i's required literal (NUL-terminated, its length in *len), or
 * NULL if it has none.  Borrowed from p. */
const char *patterns_literal(const struct patterns *p, size_t i, size_t *len);
/* The event rule i names. */
enum ss_event patterns_event(const struct patterns *p, size_t i);
/* "FILE:LINE" where rule i was read; borrowed from p. */
const char *patterns_source(const struct patterns *p, size_t i);
/* How many rules have no required literal. */
size_t patterns_literalless(const struct patterns *p);
/* The literal scanner patterns_finish() chose for this CPU: "avx2",
 * "ssse3" or "scalar" (all find the same lines).  After patterns_finish(),
 * patterns_set_scanner() picks another one the CPU supports, for tests
 * and benchmarks; -1 if it cannot. */
const char *patterns_scanner(const struct patterns *p);
int patterns_set_scanner(struct patterns *p, const char *name);

#endif
