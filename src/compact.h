/* compact.h - the detail caps: memory stays bounded however many
 * handshakes the logs hold.  Once a handshake is assembled (no thread is
 * adding to it any more) it is judged: kept in full if it is among the
 * first COMPACT_FIRST of the run, or among the first COMPACT_PER_KEY of
 * its (diagnosis, peer), while the kept ones stay under COMPACT_MAX_KEPT
 * handshakes and COMPACT_MAX_BYTES bytes; otherwise it is counted in the
 * tally of its (diagnosis, peer) and freed.  The diagnosis used is the one
 * its own lines give (diagnose_handshake()); findings add the tallies to
 * the kept handshakes, so their counts stay exact.  Each tally keeps a
 * handshake of its key in full to stand for it (report.tallies[].rep).
 * Symptom lines past COMPACT_MAX_SYMPTOMS are counted only.
 *
 * The first judgement runs once COMPACT_FIRST + COMPACT_BATCH handshakes
 * exist, so a run with fewer keeps everything, untouched.
 *
 * Ownership: works in place on the report; the tallies are the report's. */
#ifndef SSLSIFT_COMPACT_H
#define SSLSIFT_COMPACT_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The fuzz build (fuzz/build.sh) shrinks these so that small inputs
 * reach every path. */
#ifndef COMPACT_FIRST
#define COMPACT_FIRST 10000
#endif
#ifndef COMPACT_PER_KEY
#define COMPACT_PER_KEY 20
#endif
#ifndef COMPACT_MAX_KEPT
#define COMPACT_MAX_KEPT 50000
#endif
#define COMPACT_MAX_BYTES ((size_t)256 << 20)
#ifndef COMPACT_BATCH
#define COMPACT_BATCH 4096
#endif
#ifndef COMPACT_MAX_TALLIES
#define COMPACT_MAX_TALLIES 4096
#endif
#ifndef COMPACT_MAX_SYMPTOMS
#define COMPACT_MAX_SYMPTOMS 100000
#endif

/* Whether report_compact() has work to do. */
bool report_needs_compact(const struct report *r);
/* Judges every handshake not yet judged except those named by open[0 ..
 * n_open) (indices into r->handshakes, -1 for none), which are still
 * being assembled; the array shrinks, and each *open[i] is updated to
 * where its handshake moved. */
void report_compact(struct report *r, long *const *open, size_t n_open);
/* -j: src's tallies and counts into dst, whose handshakes from hs0 on
 * were moved from src (their rep_of is renumbered). */
void compact_merge_tallies(struct report *dst, struct report *src,
			   size_t hs0);
/* Whether another symptom may be kept; if not, it is counted. */
bool report_symptom_fits(struct report *r);

#endif
