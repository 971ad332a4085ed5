/*
 * led: the Ready LED's red, green and blue, each a GPIO output
 * (chip:line) or a kernel LED (sysfs:NAME).  Kernel LEDs blink by their
 * timer trigger; a GPIO output is toggled by the daemon, on the clock it
 * is given: leds_next says when, leds_tick does it.  Both blink 100 ms on,
 * 100 ms off (fast) or 500 and 500 (slow).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "extern.h"
#include "fs.h"
#include "log.h"

#define SYSFS_PREFIX	"sysfs:"
#define FILE_MAX	sizeof("/max_brightness")	/* longest we use */

const char *const led_color_names[] = { "off", "red", "green", "blue" };
const char *const led_pattern_names[] = { "off", "on", "blink-fast",
    "blink-slow" };

static const char *const keys[] = { "led_red", "led_green", "led_blue" };

/* Timer trigger delays in ms (on and off) of the blinking patterns. */
static const char *const blink_ms[] = { NULL, NULL, "100", "500" };
static const int64_t blink_ns[] = { 0, 0, 100 * NS_PER_MS, 500 * NS_PER_MS };

static int
sysfs_open(struct led *l, const char *key, const char *name,
    const char *sysfs)
{
	char	path[sizeof(l->dir) + FILE_MAX], *max = NULL;
	size_t	len;
	int	found = 0;

	if ((size_t)snprintf(l->dir, sizeof(l->dir), "%s/%s", sysfs, name) >=
	    sizeof(l->dir))
		errno = ENAMETOOLONG;
	else {
		snprintf(path, sizeof(path), "%s/brightness", l->dir);
		found = access(path, W_OK) == 0;
	}
	if (!found) {
		log_err("[button] %s: no kernel LED '%s' in %s: %s", key,
		    name, sysfs, strerror(errno));
		l->dir[0] = '\0';
		return EX_UNAVAILABLE;
	}
	/* Full brightness: 1 is only a glimmer on a 255-step LED. */
	snprintf(l->max, sizeof(l->max), "1");
	snprintf(path, sizeof(path), "%s/max_brightness", l->dir);
	if (fs_read_file(path, sizeof(l->max) - 1, &max, &len) == 0) {
		max[strcspn(max, "\n")] = '\0';
		if (*max != '\0')
			snprintf(l->max, sizeof(l->max), "%s", max);
	}
	free(max);
	return 0;
}

/* SPEC is "", chip:line or sysfs:NAME (NAME one path component). */
static int
led_open(struct led *l, const struct ss_conf *c, const char *key,
    const char *spec, const char *sysfs)
{
	const char	*name;
	char		 chip[PATH_MAX], what[32], *colon, *end;
	long		 offset;

	if (*spec == '\0')
		return 0;
	if (strncmp(spec, SYSFS_PREFIX, strlen(SYSFS_PREFIX)) == 0) {
		name = spec + strlen(SYSFS_PREFIX);
		if (*name == '\0' || strchr(name, '/') != NULL ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			goto bad;
		return sysfs_open(l, key, name, sysfs);
	}
	if ((size_t)snprintf(chip, sizeof(chip), "%s", spec) >= sizeof(chip) ||
	    (colon = strrchr(chip, ':')) == NULL || colon == chip)
		goto bad;
	*colon = '\0';
	errno = 0;
	offset = strtol(colon + 1, &end, 10);
	if (errno != 0 || end == colon + 1 || *end != '\0' || offset < 0 ||
	    offset > 1023)
		goto bad;
	snprintf(what, sizeof(what), "[button] %s", key);
	return gpio_open_output(&l->gpio, chip, offset, what);
bad:
	log_err("%s: [button] %s: '%s' is neither chip:line nor sysfs:NAME",
	    c->file, key, spec);
	return EX_CONFIG;
}

int
leds_open(struct leds *ls, const struct ss_conf *c, const char *sysfs)
{
	const char	*spec[] = { c->button.led_red, c->button.led_green,
	    c->button.led_blue };
	size_t		 i;
	int		 rc = 0;

	memset(ls, 0, sizeof(*ls));
	ls->next = HOLD_NEVER;
	for (i = 0; i < 3 && rc == 0; i++)
		rc = led_open(&ls->led[i], c, keys[i], spec[i], sysfs);
	if (rc != 0)
		leds_close(ls);
	return rc;
}

static int
sysfs_write(const struct led *l, const char *file, const char *value)
{
	char	path[sizeof(l->dir) + FILE_MAX];
	size_t	len = strlen(value);
	int	fd, ok;

	snprintf(path, sizeof(path), "%s/%s", l->dir, file);
	if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) == -1) {
		log_warn("%s: %s", path, strerror(errno));
		return 0;
	}
	ok = write(fd, value, len) == (ssize_t)len;
	if (!ok)
		log_warn("%s: %s", path, strerror(errno));
	close(fd);
	return ok;
}

static void
sysfs_show(const struct led *l, enum led_pattern p)
{
	if (p == PATTERN_BLINK_FAST || p == PATTERN_BLINK_SLOW) {
		if (sysfs_write(l, "trigger", "timer") &&
		    sysfs_write(l, "delay_on", blink_ms[p]))
			sysfs_write(l, "delay_off", blink_ms[p]);
		return;
	}
	if (sysfs_write(l, "trigger", "none"))
		sysfs_write(l, "brightness", p == PATTERN_ON ? l->max : "0");
}

/* A failing LED is only a warning: the reset must go on without it. */
static void
line_set(const struct leds *ls, size_t i, int on)
{
	if (gpio_set(&ls->led[i].gpio, on) == -1)
		log_warn("[button] %s: %s", keys[i], strerror(errno));
}

void
leds_show(struct leds *ls, enum led_color color, enum led_pattern p,
    int64_t now)
{
	enum led_pattern	 want;
	size_t			 i;

	ls->next = HOLD_NEVER;
	for (i = 0; i < 3; i++) {
		want = color == (enum led_color)(LED_RED + i) ? p : PATTERN_OFF;
		if (ls->led[i].gpio.line != NULL) {
			line_set(ls, i, want != PATTERN_OFF);
			if (blink_ns[want] != 0) {
				ls->blinking = i;
				ls->half = blink_ns[want];
				ls->on = 1;
				ls->next = now + ls->half;
			}
		} else if (ls->led[i].dir[0] != '\0')
			sysfs_show(&ls->led[i], want);
	}
}

int64_t
leds_next(const struct leds *ls)
{
	return ls->next;
}

void
leds_tick(struct leds *ls, int64_t now)
{
	if (ls->next == HOLD_NEVER || now < ls->next)
		return;
	ls->on = !ls->on;
	line_set(ls, ls->blinking, ls->on);
	/* Late (a slow command start, say): keep the beat from now on. */
	ls->next += ls->half;
	if (ls->next <= now)
		ls->next = now + ls->half;
}

void
leds_close(struct leds *ls)
{
	size_t	i;

	for (i = 0; i < 3; i++) {
		gpio_close(&ls->led[i].gpio);
		ls->led[i].dir[0] = '\0';
	}
}
