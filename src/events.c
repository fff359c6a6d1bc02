/* events.c - the names of events and capture groups, from the X-macro
 * lists in events.h, so a new row there needs no edit here. */
#include "config.h"

#include <stddef.h>     /* events.h uses size_t without including it */
#include <string.h>

#include "events.h"

static const char *const event_names[EV__COUNT] = {
#define X(name) #name,
	SS_EVENTS(X)
#undef X
};

static const char *const capture_names[CAP__COUNT] = {
#define X(name) #name,
	SS_CAPTURES(X)
#undef X
};

const char *event_name(enum ss_event ev)
{
	if ((unsigned)ev >= EV__COUNT)
		return "?";
	return event_names[ev];
}

int event_from_name(const char *name, size_t len)
{
	for (int i = 0; i < EV__COUNT; i++) {
		const char *s = event_names[i];
		if (strlen(s) == len && memcmp(s, name, len) == 0)
			return i;
	}
	return -1;
}

const char *capture_name(enum ss_capture cap)
{
	if ((unsigned)cap >= CAP__COUNT)
		return "?";
	return capture_names[cap];
}
