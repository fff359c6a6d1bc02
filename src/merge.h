/* merge.h - --merge: many JSON reports (one per node, or per batch of
 * archives) in, one report out.  Inputs, handshakes and their symptoms are
 * concatenated, each keeping the node it was seen on; the findings are
 * then recomputed from the handshakes' diagnoses, so counts add up and
 * peers, per-peer counts and first/last seen merge.  Diagnoses are taken
 * as the reports give them, not made again.
 *
 * A report is read whole or not at all: one that is not JSON, or not an
 * sslsift report (a contract field missing or of the wrong type, an
 * unknown diagnosis code), is an error that names the file, and nothing
 * of it is merged.
 *
 * Ownership: merger_new() returns a merger the caller frees with
 * merger_free(); merger_finish() hands over the report (report_free()). */
#ifndef SSLSIFT_MERGE_H
#define SSLSIFT_MERGE_H

#include <stddef.h>

#include "model.h"
#include "util.h"

struct merger;

struct merger *merger_new(void);
void merger_free(struct merger **m);
/* Reads one report from a file ("-" is standard input).  0, or -1 with
 * err as "b.json:12:5: unexpected newline" or "b.json: not an sslsift
 * report: handshakes[3]: no 'diagnosis'". */
int merger_add_path(struct merger *m, const char *path, struct ss_err *err);
/* The same for a report held in memory; label names it in errors. */
int merger_add_text(struct merger *m, const char *label, const char *text,
		    size_t len, struct ss_err *err);
/* Records a report that could not be read, as an input with an error. */
void merger_add_error(struct merger *m, const char *path, const char *msg);
/* How many reports were merged. */
size_t merger_count(const struct merger *m);
/* The merged report, findings recomputed; the merger is empty after. */
struct report *merger_finish(struct merger *m);

#endif
