/* batch.c - pipeline_feed_sources(): a run's inputs, on several cores.
 *
 * Workers take whole inputs in order from a shared counter; each runs a
 * pipeline of its own (reader, envelopes, patterns, assembler: all the
 * stages that work per input) and hands back the report of that one
 * input.  The calling thread merges those reports into its pipeline in
 * input order, warning of problems as it goes, so that the merged report
 * (and stderr) is what reading the inputs in turn gives; correlation and
 * diagnosis, which look across inputs, run once over it afterwards
 * (pipeline_finish).  Workers run at most LOOKAHEAD inputs ahead of the
 * merge, which bounds the reports waiting in memory. */
#include "config.h"
#include "pipeline.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#define LOOKAHEAD 64

struct batch {
	const struct source_list *l;
	struct pipeline **workers;
	size_t n_workers;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;                /* the next input a worker takes */
	size_t merged;              /* inputs merged so far */
	struct report **parts;      /* per input, once read */
	bool *done;
};

struct worker_arg {
	struct batch *b;
	struct pipeline *pl;
};

/* The next input to read, or l->n when there is none. */
static size_t claim(struct batch *b)
{
	pthread_mutex_lock(&b->mu);
	while (b->next < b->l->n && b->next >= b->merged + LOOKAHEAD)
		pthread_cond_wait(&b->cv, &b->mu);
	size_t i = b->next < b->l->n ? b->next++ : b->l->n;
	pthread_mutex_unlock(&b->mu);
	return i;
}

static void *worker(void *arg)
{
	struct worker_arg *w = arg;
	struct batch *b = w->b;
	size_t i;
	while ((i = claim(b)) < b->l->n) {
		struct report *part = NULL;
		const struct source_item *it = &b->l->items[i];
		if (!it->error) {
			pipeline_feed_path(w->pl, it->path);
			part = pipeline_take_part(w->pl);
		}
		pthread_mutex_lock(&b->mu);
		b->parts[i] = part;
		b->done[i] = true;
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

static void feed_item(struct pipeline *pl, const struct source_item *it)
{
	pipeline_warn(pl, it->error);
	pipeline_feed_error(pl, it->path, it->error);
}

static bool has_error(const struct report *part)
{
	for (size_t i = 0; part && i < part->n_inputs; i++)
		if (part->inputs[i].error)
			return true;
	return false;
}

/* Merges input i once it is read; false if it had a problem. */
static bool merge_next(struct batch *b, struct pipeline *pl, size_t i)
{
	pthread_mutex_lock(&b->mu);
	while (!b->done[i])
		pthread_cond_wait(&b->cv, &b->mu);
	struct report *part = b->parts[i];
	b->parts[i] = NULL;
	pthread_mutex_unlock(&b->mu);
	const struct source_item *it = &b->l->items[i];
	bool ok = !it->error && !has_error(part);
	if (it->error)
		feed_item(pl, it);
	else
		pipeline_add_part(pl, &part);
	pthread_mutex_lock(&b->mu);
	b->merged = i + 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return ok;
}

static int run_sequential(struct pipeline *pl, const struct source_list *l)
{
	int rc = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i].error) {
			feed_item(pl, &l->items[i]);
			rc = -1;
		} else if (pipeline_feed_path(pl, l->items[i].path) < 0) {
			rc = -1;
		}
	}
	return rc;
}

static int run_parallel(struct pipeline *pl, struct batch *b)
{
	pthread_t *tid = xcalloc(b->n_workers, sizeof *tid);
	struct worker_arg *args = xcalloc(b->n_workers, sizeof *args);
	size_t started = 0;
	for (; started < b->n_workers; started++) {
		args[started] = (struct worker_arg){b, b->workers[started]};
		if (pthread_create(&tid[started], NULL, worker, &args[started]))
			break;
	}
	if (started == 0) {         /* no thread: read them in turn */
		free(args);
		free(tid);
		return run_sequential(pl, b->l);
	}
	bool ok = true;
	for (size_t i = 0; i < b->l->n; i++)
		ok &= merge_next(b, pl, i);
	for (size_t k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	free(args);
	free(tid);
	return ok ? 0 : -1;
}

static unsigned cpus(void)
{
#ifdef CPU_COUNT
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
#endif
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* Worker pipelines like pl, but silent: pl warns and reports progress
 * when it merges. */
static size_t make_workers(struct pipeline *pl, size_t n,
			   struct pipeline **out)
{
	struct pipeline_opts o = *pipeline_opts(pl);
	o.warn = NULL;
	o.warn_ctx = NULL;
	o.progress = NULL;          /* drawn by one thread: pl, as it merges */
	o.progress_ctx = NULL;
	size_t k = 0;
	for (; k < n; k++) {
		struct ss_err err = {{0}};
		out[k] = pipeline_new(pipeline_patterns(pl), &o, &err);
		if (!out[k])
			break;
	}
	return k;
}

int pipeline_feed_sources(struct pipeline *pl, const struct source_list *l)
{
	unsigned jobs = pipeline_opts(pl)->jobs;
	if (jobs == 0)
		jobs = cpus();
	size_t n = jobs < l->n ? jobs : l->n;
	if (n <= 1)
		return run_sequential(pl, l);
	struct batch b = {.l = l};
	b.workers = xcalloc(n, sizeof *b.workers);
	b.n_workers = make_workers(pl, n, b.workers);
	int rc;
	if (b.n_workers == 0) {
		rc = run_sequential(pl, l);
	} else {
		pthread_mutex_init(&b.mu, NULL);
		pthread_cond_init(&b.cv, NULL);
		b.parts = xcalloc(l->n, sizeof *b.parts);
		b.done = xcalloc(l->n, sizeof *b.done);
		rc = run_parallel(pl, &b);
		free(b.parts);
		free(b.done);
		pthread_cond_destroy(&b.cv);
		pthread_mutex_destroy(&b.mu);
	}
	for (size_t k = 0; k < b.n_workers; k++)
		pipeline_free(&b.workers[k]);
	free(b.workers);
	return rc;
}
