/* render.h - a report to text, Markdown or JSON.  Renderers are a table:
 * a new output format is one row.
 *
 * Ownership: renderers read the report and write to the stream; they own
 * nothing.  They return 0, or -1 if writing failed (errno is kept). */
#ifndef SSLSIFT_RENDER_H
#define SSLSIFT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

struct render_opts {
	bool color;          /* ANSI colour in text output */
};

typedef int (*render_fn)(const struct report *r, const struct render_opts *o,
			 FILE *out);

struct renderer {
	const char *name;    /* "text", "markdown", "json" */
	render_fn render;
};

/* NULL if no renderer has that name. */
const struct renderer *renderer_find(const char *name);
/* The table, terminated by a row with name NULL. */
const struct renderer *renderer_table(void);

int render_text(const struct report *r, const struct render_opts *o, FILE *out);
int render_markdown(const struct report *r, const struct render_opts *o,
		    FILE *out);
int render_json(const struct report *r, const struct render_opts *o, FILE *out);

#endif
