/*
 * hold: has the button been held long enough?  Pure state: events and
 * times in, actions out, so the daemon and --simulate share it and the
 * tests drive it on a fake clock.
 */
#include <string.h>

#include "extern.h"

void
hold_init(struct hold *h)
{
	memset(h, 0, sizeof(*h));
	h->state = HOLD_UP;
}

/*
 * New settings apply to a hold in progress: its deadline moves with
 * hold_ns, and whether it fires is decided when it is reached.
 */
void
hold_set(struct hold *h, int64_t hold_ns, int64_t debounce_ns, int enabled)
{
	h->hold_ns = hold_ns;
	h->debounce_ns = debounce_ns;
	h->enabled = enabled;
}

enum hold_action
hold_advance(struct hold *h, int64_t now)
{
	if (h->state == HOLD_RELEASING && now - h->released >= h->debounce_ns)
		h->state = HOLD_UP;
	if (h->state == HOLD_DOWN && !h->done &&
	    now - h->pressed >= h->hold_ns) {
		h->done = 1;
		return h->enabled ? HOLD_FIRE : HOLD_IGNORED;
	}
	return HOLD_NONE;
}

/*
 * An edge at WHEN, after the time before it has passed.  At most one
 * action comes out: a deadline reached before WHEN fires only while the
 * button is down, and then the edge can only be a release.
 */
enum hold_action
hold_edge(struct hold *h, enum hold_edge e, int64_t when)
{
	enum hold_action	a;

	a = hold_advance(h, when);
	switch (h->state) {
	case HOLD_UP:
		if (e == EDGE_PRESS) {
			h->state = HOLD_DOWN;
			h->pressed = when;
			h->done = 0;
			a = HOLD_BEGIN;
		}
		break;
	case HOLD_DOWN:
		if (e == EDGE_RELEASE) {
			h->state = HOLD_RELEASING;
			h->released = when;
		}
		break;
	case HOLD_RELEASING:
		/* A bounce: the hold goes on from its first press. */
		if (e == EDGE_PRESS) {
			h->state = HOLD_DOWN;
			a = hold_advance(h, when);
		}
		break;
	}
	return a;
}

/* When hold_advance has something to decide next, or HOLD_NEVER. */
int64_t
hold_next(const struct hold *h)
{
	switch (h->state) {
	case HOLD_DOWN:
		return h->done ? HOLD_NEVER : h->pressed + h->hold_ns;
	case HOLD_RELEASING:
		return h->released + h->debounce_ns;
	default:
		return HOLD_NEVER;
	}
}
