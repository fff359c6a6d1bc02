/* progress.c - see progress.h. */
#include "config.h"
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define CLEAR_LINE "\r\x1b[K"

struct progress {
	struct progress_opts o;
	int64_t start;        /* clock at progress_new() */
	int64_t last_draw;    /* clock at the last draw, or -1 */
	uint64_t bytes;       /* read so far, over all inputs */
	size_t files;         /* inputs done */
	bool shown;           /* the line is on the screen now */
	bool finished;
};

static int64_t monotonic_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now(const struct progress *p)
{
	return p->o.clock(p->o.clock_ctx);
}

struct progress *progress_new(const struct progress_opts *o)
{
	struct progress *p = xcalloc(1, sizeof *p);
	p->o = *o;
	if (!p->o.clock)
		p->o.clock = monotonic_ms;
	if (p->o.width <= 0)
		p->o.width = 80;
	p->start = now(p);
	p->last_draw = -1;
	return p;
}

void progress_free(struct progress **pp)
{
	free(*pp);
	*pp = NULL;
}

/* "12.3 MiB": one decimal from KiB up. */
static void put_size(struct strbuf *b, double v)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	while (v >= 1024 && u + 1 < SS_ARRAY_LEN(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		sb_printf(b, "%.0f B", v);
	else
		sb_printf(b, "%.1f %s", v, units[u]);
}

/* "9s", "4m05s", "2h03m". */
static void put_duration(struct strbuf *b, uint64_t s)
{
	if (s < 60)
		sb_printf(b, "%llus", (unsigned long long)s);
	else if (s < 3600)
		sb_printf(b, "%llum%02llus", (unsigned long long)(s / 60),
			  (unsigned long long)(s % 60));
	else
		sb_printf(b, "%lluh%02llum", (unsigned long long)(s / 3600),
			  (unsigned long long)(s / 60 % 60));
}

void progress_format(char *buf, size_t len, uint64_t bytes,
		     uint64_t total_bytes, size_t files, size_t total_files,
		     int64_t elapsed_ms)
{
	struct strbuf b = {0};
	double secs = (double)(elapsed_ms > 0 ? elapsed_ms : 1) / 1000.0;
	double rate = (double)bytes / secs;
	sb_puts(&b, "sslsift: ");
	put_size(&b, (double)bytes);
	if (total_bytes) {
		uint64_t shown = bytes < total_bytes ? bytes : total_bytes;
		sb_puts(&b, " of ");
		put_size(&b, (double)total_bytes);
		sb_printf(&b, " (%u%%)", (unsigned)(shown * 100 / total_bytes));
	}
	if (total_files)
		sb_printf(&b, ", %zu of %zu %s", files, total_files,
			  total_files == 1 ? "file" : "files");
	else
		sb_printf(&b, ", %zu %s done", files, files == 1 ? "file" : "files");
	sb_puts(&b, ", ");
	put_size(&b, rate);
	sb_puts(&b, "/s");
	if (total_bytes && rate >= 1) {
		uint64_t left = bytes < total_bytes ? total_bytes - bytes : 0;
		sb_puts(&b, ", ETA ");
		put_duration(&b, (uint64_t)((double)left / rate + 0.5));
	}
	snprintf(buf, len, "%s", b.p);
	sb_free(&b);
}

static void draw(struct progress *p, int64_t t)
{
	char line[256];
	progress_format(line, sizeof line, p->bytes, p->o.total_bytes, p->files,
			p->o.total_files, t - p->start);
	size_t max = (size_t)p->o.width - 1;
	if (max < sizeof line && strlen(line) > max)
		line[max] = '\0';
	fprintf(p->o.out, "\r%s\x1b[K", line);
	fflush(p->o.out);
	p->shown = true;
	p->last_draw = t;
}

void progress_feed(void *ctx, uint64_t bytes, bool input_done)
{
	struct progress *p = ctx;
	if (!p || p->finished)
		return;
	p->bytes += bytes;
	if (input_done)
		p->files++;
	int64_t t = now(p);
	if (t - p->start < PROGRESS_DELAY_MS)
		return;
	if (p->last_draw >= 0 && p->shown && t - p->last_draw < PROGRESS_REDRAW_MS)
		return;
	draw(p, t);
}

void progress_hide(struct progress *p)
{
	if (!p || !p->shown)
		return;
	fputs(CLEAR_LINE, p->o.out);
	fflush(p->o.out);
	p->shown = false;
}

void progress_finish(struct progress *p)
{
	if (!p)
		return;
	progress_hide(p);
	p->finished = true;
}
