/* source.h - operands to inputs.  Expands the command line's operands into
 * the list of inputs to read, in a deterministic order: files as given,
 * directories walked recursively (sorted by name) keeping the files that
 * look like logs (*.log, *.txt, *.out, *.gz, rotations such as
 * wrapper.log.1 or catalina.2026-11-21.log.gz), and "-" for standard
 * input.  Operands named explicitly are always kept, whatever their name.
 *
 * Ownership: source_expand() fills a struct source_list the caller frees
 * with source_list_free(); it owns its strings. */
#ifndef SSLSIFT_SOURCE_H
#define SSLSIFT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct source_item {
	char *path;     /* "-" for standard input */
	char *error;    /* not NULL: this operand could not be used (the
			 * message names it), e.g. "logs/x: No such file or
			 * directory"; it still appears in the report */
};

struct source_list {
	struct source_item *items;
	size_t n, cap;
};

/* No operands means standard input.  Never fails as a whole: problems are
 * per item. */
void source_expand(char *const *operands, size_t n, struct source_list *out);
/* True if a file found in a directory walk should be read. */
bool source_name_is_log(const char *basename);
void source_list_free(struct source_list *l);

#endif
