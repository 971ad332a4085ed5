/*
 * gpio: GPIO lines through libgpiod 1.6, requested as CONSUMER: the
 * button an input that reports both edges, an LED an output.  WHAT names
 * the setting behind a line in messages.
 */
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "extern.h"
#include "log.h"

/*
 * 0 once the chip is there, -1 when it is not after SECONDS, 1 as soon as
 * SIGFD (the daemon's self-pipe) is readable: a stop must not wait for a
 * driver that may never come.
 */
int
gpio_chip_wait(const char *chipname, long seconds, int sigfd)
{
	struct gpiod_chip	*chip;
	struct pollfd		 pfd;
	long			 waited;

	for (waited = 0; ; waited++) {
		if ((chip = gpiod_chip_open_lookup(chipname)) != NULL) {
			gpiod_chip_close(chip);
			return 0;
		}
		if (errno != ENOENT || waited >= seconds)
			return -1;
		if (waited == 0)
			log_info("GPIO chip '%s' not there yet; waiting up to "
			    "%ld s for its driver", chipname, seconds);
		pfd.fd = sigfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) > 0)
			return 1;
	}
}

static int
line_get(struct gpio *g, const char *chipname, long offset, const char *what)
{
	g->line = NULL;
	if ((g->chip = gpiod_chip_open_lookup(chipname)) == NULL) {
		log_err("%s: GPIO chip '%s': %s", what, chipname,
		    errno == ENOENT ? "no such chip" : strerror(errno));
		return EX_UNAVAILABLE;
	}
	if ((g->line = gpiod_chip_get_line(g->chip, (unsigned int)offset)) ==
	    NULL) {
		log_err("%s: GPIO chip '%s' has no line %ld", what, chipname,
		    offset);
		gpiod_chip_close(g->chip);
		g->chip = NULL;
		return EX_UNAVAILABLE;
	}
	return 0;
}

/* The line was not granted: the chip goes, the line was never ours. */
static int
request_failed(struct gpio *g, const char *chipname, long offset,
    const char *what)
{
	log_err("%s: GPIO chip '%s' line %ld: %s", what, chipname, offset,
	    strerror(errno));
	gpiod_chip_close(g->chip);
	g->chip = NULL;
	g->line = NULL;
	return EX_UNAVAILABLE;
}

int
gpio_open_input(struct gpio *g, const char *chipname, long offset,
    int active_low, const char *what)
{
	int	rc;

	if ((rc = line_get(g, chipname, offset, what)) != 0)
		return rc;
	if (gpiod_line_request_both_edges_events_flags(g->line, CONSUMER,
	    active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0) == -1)
		return request_failed(g, chipname, offset, what);
	return 0;
}

int
gpio_open_output(struct gpio *g, const char *chipname, long offset,
    const char *what)
{
	int	rc;

	if ((rc = line_get(g, chipname, offset, what)) != 0)
		return rc;
	if (gpiod_line_request_output(g->line, CONSUMER, 0) == -1)
		return request_failed(g, chipname, offset, what);
	return 0;
}

int
gpio_event_fd(const struct gpio *g, const char *what)
{
	int	fd;

	if ((fd = gpiod_line_event_get_fd(g->line)) == -1)
		log_err("%s: event descriptor: %s", what, strerror(errno));
	return fd;
}

int
gpio_read_edge(const struct gpio *g, const char *what, int *rising,
    int64_t *when)
{
	struct gpiod_line_event	ev;

	if (gpiod_line_event_read(g->line, &ev) == -1) {
		log_err("%s: reading an event: %s", what, strerror(errno));
		return EX_IOERR;
	}
	*rising = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
	*when = ev.ts.tv_sec * NS_PER_SEC + ev.ts.tv_nsec;
	return 0;
}

int
gpio_set(const struct gpio *g, int on)
{
	return gpiod_line_set_value(g->line, on) == -1 ? -1 : 0;
}

void
gpio_close(struct gpio *g)
{
	if (g->line != NULL)
		gpiod_line_release(g->line);
	if (g->chip != NULL)
		gpiod_chip_close(g->chip);
	g->chip = NULL;
	g->line = NULL;
}
