/* reader_map.c - plain regular files for reader.c, mapped a window at a
 * time.  The bytes are read where the page cache holds them instead of
 * being copied into a buffer first, and only one window is mapped at a
 * time, so memory stays bounded (about the window) on files of any size.
 *
 * A window reaches at least max(MAP_WINDOW_MIN, 4 * max_line) bytes
 * past where it is mapped for, so that a line of max_line bytes always
 * fits in one; a longer line is cut and its rest skipped, exactly as the
 * line buffer does.  Chunks end at the last newline of the window; the
 * next window is mapped for the start of the unfinished line.
 *
 * A file that shrinks while it is mapped (a live log truncated by
 * logrotate's copytruncate) would make the next access to a vanished page
 * raise SIGBUS.  A SIGBUS handler that finds the fault inside the window
 * of this thread's reader maps zero pages over the window and lets the
 * read go on; the reader then ends the input with an error.  Faults
 * anywhere else go to the handler that was there before. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader_impl.h"

#define MAP_WINDOW_MIN (1024 * 1024)

/* Windows start and end at multiples of MAP_ALIGN in the file (or at
 * its end).  The kernel places a file mapping at an address congruent
 * to its offset modulo 2 MiB, so a fault in a whole aligned 2 MiB of the
 * window can map a large page-cache folio at once.  On the development
 * machine, reading 1 GiB that `cat` had just read took 7,800 faults in
 * windows that began at the page of the unfinished line and ended
 * anywhere, and 2,400 in aligned ones; the plain-log case of `make
 * bench` went from 0.14 to 0.11 s.  Bytes mapped before the offset asked
 * for are not touched again, so they cost address space, not memory. */
#define MAP_ALIGN ((uint64_t)2 * 1024 * 1024)

/* Windows are not mapped with MAP_POPULATE: a fault maps the 16 pages
 * around it (fault-around) as the scan reaches them, while populating a
 * window walks every page of it once more; over 1 GiB in 4 MiB windows,
 * touching every byte took 0.08 s without it and 0.08 to 0.15 s with
 * it on the development machine, and the plain-log case of `make bench`
 * got about 9% faster. */

/* ---- the SIGBUS guard ------------------------------------------------ */

static _Thread_local struct {
	char *base;
	size_t len;
	volatile sig_atomic_t hit;
} guard;

static struct sigaction old_bus;
static pthread_mutex_t guard_mu = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	char *a = si->si_addr;
	if (guard.base && a >= guard.base && a < guard.base + guard.len &&
	    mmap(guard.base, guard.len, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
		guard.hit = 1;
		return;
	}
	if (old_bus.sa_flags & SA_SIGINFO) {
		old_bus.sa_sigaction(sig, si, uc);
	} else if (old_bus.sa_handler != SIG_DFL &&
		   old_bus.sa_handler != SIG_IGN) {
		old_bus.sa_handler(sig);
	} else {
		/* Returning retries the access, which now kills as it
		 * would have without this handler. */
		signal(SIGBUS, SIG_DFL);
	}
}

/* Puts the handler in place unless it is there: checked for each file,
 * since a test harness or an embedding program may have set its own
 * since (it is then the one faults elsewhere go to). */
static void install_guard(void)
{
	struct sigaction now;
	pthread_mutex_lock(&guard_mu);
	if (sigaction(SIGBUS, NULL, &now) == 0 &&
	    !((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_sigbus)) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		old_bus = now;
		sigaction(SIGBUS, &sa, NULL);
	}
	pthread_mutex_unlock(&guard_mu);
}

/* ---- windows ---------------------------------------------------------- */

static bool refresh_size(struct reader *r);

/* A fault the handler answered in this thread's window is this reader's
 * failure: taken before anything else, and before the window goes (it
 * must not wait for the thread's next reader). */
static void take_fault(struct reader *r)
{
	if (!guard.hit)
		return;
	guard.hit = 0;
	refresh_size(r);
	if (!r->failed)
		reader_fail(r, "file shrank while it was read (at byte %llu)",
			    (unsigned long long)r->pos);
}

static void unmap(struct reader *r)
{
	struct map *m = &r->map;
	if (!m->base)
		return;
	if (guard.base == m->base)
		take_fault(r);
	if (guard.base == m->base)
		guard.base = NULL;
	munmap(m->base, m->len);
	m->base = NULL;
	m->len = 0;
}

/* The file's size now; false (and the input failed) if it shrank below
 * what was already read. */
static bool refresh_size(struct reader *r)
{
	struct stat st;
	if (fstat(r->fd, &st) == 0)
		r->map.size = (uint64_t)st.st_size;
	if (r->map.size >= r->pos)
		return true;
	reader_fail(r, "file shrank to %llu bytes while it was read",
		    (unsigned long long)r->map.size);
	return false;
}

/* Maps the window holding file offset `at`; false at the end of the file
 * or on failure. */
static bool map_at(struct reader *r, uint64_t at)
{
	struct map *m = &r->map;
	unmap(r);
	if (!refresh_size(r) || at >= m->size)
		return false;
	m->off = at - at % MAP_ALIGN;
	uint64_t left = m->size - m->off;
	uint64_t want = (at - m->off) + m->window;
	want = (want + MAP_ALIGN - 1) / MAP_ALIGN * MAP_ALIGN;
	m->len = left < want ? (size_t)left : (size_t)want;
	void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE,
		       r->fd, (off_t)m->off);
	if (p == MAP_FAILED) {
		m->len = 0;
		reader_fail(r, "cannot map at byte %llu: %s",
			    (unsigned long long)at, strerror(errno));
		return false;
	}
	m->base = p;
	guard.base = p;
	guard.len = m->len;
	return true;
}

bool reader_map_open(struct reader *r, uint64_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (size == 0 || r->max_line > SIZE_MAX / 8)
		return false;
	size_t w = r->max_line > MAP_WINDOW_MIN / 4 ? 4 * r->max_line
						     : MAP_WINDOW_MIN;
	r->map.window = (w + page - 1) / page * page;
	r->map.size = size;
	install_guard();
	guard.hit = 0;
	if (!map_at(r, 0)) {       /* a file system that cannot map: read */
		r->failed = r->eof = false;
		r->errmsg[0] = '\0';
		return false;
	}
	r->mapped = true;
	r->sniffed = true;
	return true;
}

void reader_map_close(struct reader *r)
{
	if (r->mapped)
		unmap(r);
}

static bool covers(const struct map *m, uint64_t at)
{
	return m->base && at >= m->off && at < m->off + m->len;
}

/* Past the next newline, from r->pos; false at the end of the file. */
static bool skip_rest(struct reader *r)
{
	for (;;) {
		if (!covers(&r->map, r->pos) && !map_at(r, r->pos))
			return false;
		const char *p = r->map.base + (r->pos - r->map.off);
		size_t left = (size_t)(r->map.off + r->map.len - r->pos);
		const char *nl = memchr(p, '\n', left);
		r->pos += nl ? (uint64_t)(nl + 1 - p) : left;
		if (nl) {
			r->skipping = false;
			return true;
		}
	}
}

static int hand_out(struct reader *r, struct chunk *out, const char *p,
		    size_t n, bool cut)
{
	out->p = p;
	out->n = n;
	out->cut = cut;
	r->pos += n;
	r->bytes = r->pos;
	return 1;
}

int reader_map_chunk(struct reader *r, struct chunk *out)
{
	for (;;) {
		take_fault(r);
		if (r->failed || (r->skipping && !skip_rest(r)))
			break;
		if (!covers(&r->map, r->pos) && !map_at(r, r->pos))
			break;
		struct map *m = &r->map;
		const char *p = m->base + (r->pos - m->off);
		size_t left = (size_t)(m->off + m->len - r->pos);
		const char *nl = memrchr(p, '\n', left);
		if (nl)
			return hand_out(r, out, p, (size_t)(nl + 1 - p), false);
		if (m->off + m->len >= m->size) {  /* unless it grew */
			if (!refresh_size(r))
				break;
			if (m->off + m->len >= m->size)
				return hand_out(r, out, p, left, false);
		}
		if (left > r->max_line + 1 ||
		    (left == r->max_line + 1 && p[r->max_line] != '\r')) {
			r->skipping = true;
			return hand_out(r, out, p, r->max_line, true);
		}
		if (!map_at(r, r->pos))  /* the line goes on past the window */
			break;
	}
	r->eof = true;
	r->bytes = r->pos;
	return 0;
}
