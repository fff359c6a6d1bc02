/* model_merge.c - report_merge(): see model.h.  The parallel driver
 * (batch.c) reads each input into a report of its own and merges them in
 * input order, so that the result is the one reading them in turn gives.
 *
 * Every field that indexes into a report's arrays is fixed here: the
 * input index of handshakes, evidence and symptoms, a handshake's symptom
 * indices and a symptom's handshake.  A new such field needs a line
 * here too. */
#include "config.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "util.h"

static void move_handshakes(struct report *dst, struct report *src,
			    uint32_t file0, size_t sym0)
{
	xgrow(&dst->handshakes, &dst->cap_handshakes,
	      dst->n_handshakes + src->n_handshakes, sizeof *dst->handshakes);
	for (size_t i = 0; i < src->n_handshakes; i++) {
		struct handshake *h = &dst->handshakes[dst->n_handshakes++];
		*h = src->handshakes[i];
		h->file += file0;
		for (size_t k = 0; k < h->n_evidence; k++)
			h->evidence[k].file += file0;
		for (size_t k = 0; k < h->n_symptoms; k++)
			h->symptoms[k] += sym0;
	}
	src->n_handshakes = 0;
}

static void move_symptoms(struct report *dst, struct report *src,
			  uint32_t file0, size_t hs0)
{
	xgrow(&dst->symptoms, &dst->cap_symptoms,
	      dst->n_symptoms + src->n_symptoms, sizeof *dst->symptoms);
	for (size_t i = 0; i < src->n_symptoms; i++) {
		struct symptom *s = &dst->symptoms[dst->n_symptoms++];
		*s = src->symptoms[i];
		s->file += file0;
		if (s->handshake >= 0)
			s->handshake += (long)hs0;
	}
	src->n_symptoms = 0;
}

void report_merge(struct report *dst, struct report **srcp)
{
	struct report *src = *srcp;
	if (!src)
		return;
	uint32_t file0 = (uint32_t)dst->n_inputs;
	size_t hs0 = dst->n_handshakes, sym0 = dst->n_symptoms;
	xgrow(&dst->inputs, &dst->cap_inputs, dst->n_inputs + src->n_inputs,
	      sizeof *dst->inputs);
	memcpy(dst->inputs + dst->n_inputs, src->inputs,
	       src->n_inputs * sizeof *src->inputs);
	dst->n_inputs += src->n_inputs;
	src->n_inputs = 0;
	move_handshakes(dst, src, file0, sym0);
	move_symptoms(dst, src, file0, hs0);
	for (size_t i = 0; i < src->n_tallies; i++)
		src->tallies[i].file += file0;
	compact_merge_tallies(dst, src, hs0);
	for (size_t i = 0; i < src->n_errors; i++)
		report_add_error(dst, src->errors[i]);
	dst->errors_omitted += src->errors_omitted;
	report_free(srcp);     /* what is left: the arrays, any findings */
}
