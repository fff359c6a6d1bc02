/* correlate_node.c - which inputs are one machine's logs (see
 * correlate_int.h).
 *
 * A batch may hold several nodes' logs (node1/, node2/, each with its
 * wrapper.log and localhost log) whose thread names repeat: every
 * instance node has a glide.scheduler.worker.3.  An input's node is its
 * directory.  A symptom is about a handshake of its own node, of a
 * directory above or below it (rotations kept in an archive/ folder), or,
 * when the two halves of one node's logs were given from two places, of
 * a directory that logged no symptom lines itself while the symptom's
 * own logged no handshakes: each is the half the other lacks.  A node
 * with both halves explains its own symptoms and nobody else's.
 * Standard input belongs to every node: where it came from is unknown. */
#include "config.h"
#include "correlate_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NO_NODE UINT32_MAX   /* standard input, or a file the report lacks */

struct correlate_nodes {
	uint32_t *of_file;      /* node per input, NO_NODE for stdin */
	size_t n_files;
	char **dir;             /* per node: its directory, "" for none */
	bool *has_hs, *has_sym; /* per node: debug handshakes, symptoms */
	uint32_t n;
};

/* d without "." components and repeated or trailing slashes, in place:
 * "./logs//node1/" is "logs/node1". */
static void tidy_dir(char *d)
{
	char *w = d;
	const char *p = d;
	bool abs = *p == '/';
	if (abs)
		*w++ = *p++;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && !(n == 1 && p[0] == '.')) {
			if (w > d + abs)
				*w++ = '/';
			memmove(w, p, n);
			w += n;
		}
		p += n + (e != NULL);
	}
	*w = '\0';
}

/* The directory part of path ("" for a bare name), the same however it is
 * spelt (resolved where it exists), or NULL for stdin. */
static char *dir_of(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return NULL;
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	char *d = xcalloc(n + 2, 1);
	memcpy(d, path, n);
	if (slash && n == 0)
		d[0] = '/';
	char *real = realpath(d[0] ? d : ".", NULL);
	if (real) {
		free(d);
		return real;
	}
	tidy_dir(d);
	return d;
}

static uint32_t node_id(struct correlate_nodes *ns, char *dir)
{
	for (uint32_t i = 0; i < ns->n; i++) {
		if (strcmp(ns->dir[i], dir) == 0) {
			free(dir);
			return i;
		}
	}
	ns->dir[ns->n] = dir;
	return ns->n++;
}

static uint32_t node_of(const struct correlate_nodes *ns, uint32_t file)
{
	return file < ns->n_files ? ns->of_file[file] : NO_NODE;
}

struct correlate_nodes *correlate_nodes_new(const struct report *r)
{
	struct correlate_nodes *ns = xcalloc(1, sizeof *ns);
	size_t n = r->n_inputs;
	ns->n_files = n;
	ns->of_file = xcalloc(n + 1, sizeof *ns->of_file);
	ns->dir = xcalloc(n + 1, sizeof *ns->dir);
	ns->has_hs = xcalloc(n + 1, sizeof *ns->has_hs);
	ns->has_sym = xcalloc(n + 1, sizeof *ns->has_sym);
	for (size_t i = 0; i < n; i++) {
		char *d = dir_of(r->inputs[i].path);
		ns->of_file[i] = d ? node_id(ns, d) : NO_NODE;
	}
	for (size_t i = 0; i < r->n_handshakes; i++) {
		uint32_t k = node_of(ns, r->handshakes[i].file);
		if (k != NO_NODE)
			ns->has_hs[k] = true;
	}
	for (size_t i = 0; i < r->n_symptoms; i++) {
		uint32_t k = node_of(ns, r->symptoms[i].file);
		if (k != NO_NODE)
			ns->has_sym[k] = true;
	}
	return ns;
}

void correlate_nodes_free(struct correlate_nodes **nsp)
{
	struct correlate_nodes *ns = *nsp;
	if (!ns)
		return;
	for (uint32_t i = 0; i < ns->n; i++)
		free(ns->dir[i]);
	free(ns->dir);
	free(ns->of_file);
	free(ns->has_hs);
	free(ns->has_sym);
	free(ns);
	*nsp = NULL;
}

/* Whether directory a is b or holds it, at any depth. */
static bool dir_holds(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n == 0)
		return b[0] != '/';     /* the current directory: relative ones */
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

bool correlate_nodes_related(const struct correlate_nodes *ns,
			     uint32_t sym_file, uint32_t hs_file)
{
	uint32_t s = node_of(ns, sym_file), h = node_of(ns, hs_file);
	if (s == NO_NODE || h == NO_NODE || s == h)
		return true;
	if (dir_holds(ns->dir[s], ns->dir[h]) ||
	    dir_holds(ns->dir[h], ns->dir[s]))
		return true;
	return !ns->has_hs[s] && !ns->has_sym[h];
}

uint32_t correlate_nodes_of(const struct correlate_nodes *ns, uint32_t file)
{
	return node_of(ns, file);
}
