/* source.c - see source.h.
 *
 * Operands are taken in the order given.  A directory is walked with
 * fts(3), following symbolic links (FTS_LOGICAL) so that a logs/ tree made
 * of links still works, with siblings sorted by name (bytewise, so the
 * order does not depend on the locale).  Only regular files with log-like
 * names are kept from a walk; hidden files and directories are skipped.
 * Problems become items with an error, so that the report can name them:
 * unreadable directories and directory cycles always, broken links and
 * unstatable files only when their names look like logs. */
#include "config.h"
#include "source.h"

#include <errno.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/* The files kept so far, and which operand each came from: a file that
 * an earlier operand already brought (a directory and a file in it, or
 * one path spelt two ways) is read once, or its failures would count
 * twice.  Within one walk a linked file is read as often as it is met. */
struct seen {
	struct seen_file {
		dev_t dev;
		ino_t ino;
		size_t op;
	} *v;
	size_t n, cap;
	size_t op;                 /* the operand being expanded */
};

/* Whether the file is new to the run; remembers it. */
static bool first_time(struct seen *seen, const struct stat *st)
{
	for (size_t i = 0; i < seen->n; i++)
		if (seen->v[i].dev == st->st_dev && seen->v[i].ino == st->st_ino &&
		    seen->v[i].op != seen->op)
			return false;
	xgrow(&seen->v, &seen->cap, seen->n + 1, sizeof *seen->v);
	seen->v[seen->n++] = (struct seen_file){st->st_dev, st->st_ino,
						seen->op};
	return true;
}

static void add_item(struct source_list *l, const char *path, char *error)
{
	xgrow(&l->items, &l->cap, l->n + 1, sizeof *l->items);
	l->items[l->n].path = xstrdup(path);
	l->items[l->n].error = error;
	l->n++;
}

static void add_error(struct source_list *l, const char *path,
		      const char *why)
{
	struct strbuf b = {0};
	sb_printf(&b, "%s: %s", path, why);
	add_item(l, path, sb_take(&b));
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && strncasecmp(s + n - k, suffix, k) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of s[0..n) without a trailing rotation suffix such as ".3" or
 * ".2026-11-21" (digits, '-' and '_', at least one digit), or n. */
static size_t strip_rotation(const char *s, size_t n)
{
	size_t i = n;
	bool digit = false;
	while (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '-' ||
			 s[i - 1] == '_')) {
		digit |= is_digit(s[i - 1]);
		i--;
	}
	if (!digit || i < 2 || i == n || s[i - 1] != '.')
		return n;
	return i - 1;
}

static bool has_log_extension(const char *s, size_t n)
{
	static const char *const ext[] = {".log", ".txt", ".out", ".gz"};
	for (size_t i = 0; i < SS_ARRAY_LEN(ext); i++)
		if (ends_with_ci(s, n, ext[i]))
			return true;
	return false;
}

bool source_name_is_log(const char *name)
{
	if (!name || name[0] == '\0' || name[0] == '.')
		return false;
	if (strstr(name, ".log."))
		return true;
	size_t n = strlen(name);
	for (;;) {
		if (has_log_extension(name, n))
			return true;
		size_t k = strip_rotation(name, n);
		if (k == n)
			return false;
		n = k;
	}
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* Why a symbolic link met in a walk leads nowhere: fts says FTS_SLNONE
 * both for a dangling link and for a loop of links. */
static const char *broken_link_reason(const FTSENT *e)
{
	struct stat st;
	if (stat(e->fts_accpath, &st) == 0 || errno == ENOENT)
		return "dangling symbolic link";
	return strerror(errno);
}

static bool hidden(const FTSENT *e)
{
	return e->fts_level > FTS_ROOTLEVEL && e->fts_name[0] == '.';
}

/* One entry of a walk: kept, reported, skipped or pruned. */
static void walk_entry(FTS *fts, FTSENT *e, struct source_list *out,
		       struct seen *seen)
{
	switch (e->fts_info) {
	case FTS_D:
		if (hidden(e))
			fts_set(fts, e, FTS_SKIP);
		break;
	case FTS_DC:
		add_error(out, e->fts_path,
			  "directory cycle (symlink loop), not followed");
		break;
	case FTS_DNR:
	case FTS_ERR:
		add_error(out, e->fts_path, strerror(e->fts_errno));
		break;
	case FTS_F:
		if (source_name_is_log(e->fts_name) &&
		    first_time(seen, e->fts_statp))
			add_item(out, e->fts_path, NULL);
		break;
	case FTS_NS:
		if (source_name_is_log(e->fts_name))
			add_error(out, e->fts_path, strerror(e->fts_errno));
		break;
	case FTS_SLNONE:
		if (source_name_is_log(e->fts_name))
			add_error(out, e->fts_path, broken_link_reason(e));
		break;
	default:  /* FTS_DP, FIFOs, sockets, devices inside a tree */
		break;
	}
}

static void walk_dir(const char *dir, struct source_list *out,
		     struct seen *seen)
{
	char *roots[] = {(char *)dir, NULL};
	FTS *fts = fts_open(roots, FTS_LOGICAL | FTS_NOCHDIR, by_name);
	if (!fts) {
		add_error(out, dir, strerror(errno));
		return;
	}
	FTSENT *e;
	for (;;) {
		errno = 0;
		e = fts_read(fts);
		if (!e)
			break;
		walk_entry(fts, e, out, seen);
	}
	if (errno != 0)  /* fts_read ends with NULL and errno 0 */
		add_error(out, dir, strerror(errno));
	fts_close(fts);
}

static void expand_one(const char *op, struct source_list *out,
		       struct seen *seen)
{
	struct stat st;
	if (strcmp(op, "-") == 0)
		add_item(out, "-", NULL);
	else if (stat(op, &st) != 0)
		add_error(out, op, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		walk_dir(op, out, seen);
	else if (!S_ISREG(st.st_mode) || first_time(seen, &st))
		add_item(out, op, NULL);
}

void source_expand(char *const *operands, size_t n, struct source_list *out)
{
	if (n == 0) {
		add_item(out, "-", NULL);
		return;
	}
	struct seen seen = {0};
	for (size_t i = 0; i < n; i++) {
		seen.op = i;
		expand_one(operands[i], out, &seen);
	}
	free(seen.v);
}

void source_list_free(struct source_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].path);
		free(l->items[i].error);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
