/*
 * ss-btnwatch: what crosses its files.
 */
#ifndef SS_BTNWATCH_EXTERN_H
#define SS_BTNWATCH_EXTERN_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "tool.h"

/* Our lines' owner, as gpioinfo shows it. */
#define CONSUMER	"ss-btnwatch"
#define LEDS_SYSFS	"/sys/class/leds"
#define NS_PER_MS	INT64_C(1000000)
#define NS_PER_SEC	INT64_C(1000000000)
#define RUN_TIMEOUT	120	/* seconds for reset_command, reboot_command */
#define TICK_MS		20	/* a blinking LED's accuracy while one runs */

struct gpiod_chip;
struct gpiod_line;

/* Subcommands: argc/argv start at the subcommand's name. */
int	 cmd_enable(struct tool_env *, int, char **);
int	 cmd_disable(struct tool_env *, int, char **);
int	 cmd_status(struct tool_env *, int, char **);

/*
 * hold.c: the button as a state machine on a clock it is given, in
 * nanoseconds.  A hold is timed from its press; a release counts only
 * when no press follows within the debounce time, so contact bounce
 * neither starts nor ends a hold.
 */
#define HOLD_NEVER	INT64_MAX

enum hold_edge {
	EDGE_PRESS,
	EDGE_RELEASE
};

enum hold_action {
	HOLD_NONE,
	HOLD_BEGIN,		/* a new hold started */
	HOLD_FIRE,		/* held long enough, reset enabled */
	HOLD_IGNORED		/* held long enough, reset disabled */
};

struct hold {
	int64_t		 hold_ns;
	int64_t		 debounce_ns;
	int		 enabled;
	enum {
		HOLD_UP,
		HOLD_DOWN,
		HOLD_RELEASING		/* released, unless a press follows */
	}		 state;
	int		 done;		/* this hold has fired or was ignored */
	int64_t		 pressed;	/* when this hold began */
	int64_t		 released;	/* while HOLD_RELEASING */
};

void	 hold_init(struct hold *);
void	 hold_set(struct hold *, int64_t hold_ns, int64_t debounce_ns,
	    int enabled);
enum hold_action hold_advance(struct hold *, int64_t now);
enum hold_action hold_edge(struct hold *, enum hold_edge, int64_t when);
int64_t	 hold_next(const struct hold *);

/*
 * gpio.c: one GPIO line of libgpiod, requested as CONSUMER: an input that
 * reports both edges (the button) or an output (an LED).  WHAT names the
 * setting or the line in messages.  Opening returns 0 or EX_UNAVAILABLE,
 * reading an edge 0 or EX_IOERR, the event descriptor -1 on failure, all
 * logged; gpio_set returns -1 with errno for its caller to judge.
 * gpio_close takes a line that is closed or was never opened.
 */
struct gpio {
	struct gpiod_chip	*chip;
	struct gpiod_line	*line;		/* NULL: not open */
};

/*
 * Waits up to SECONDS for CHIP to appear, when it does not exist yet (a
 * driver that loads late); -1 when it is still missing or cannot be
 * opened, which gpio_open_input then reports.
 */
int	 gpio_chip_wait(const char *chip, long seconds, int sigfd);
int	 gpio_open_input(struct gpio *, const char *chip, long offset,
	    int active_low, const char *what);
int	 gpio_open_output(struct gpio *, const char *chip, long offset,
	    const char *what);
int	 gpio_event_fd(const struct gpio *, const char *what);
/* The next edge: RISING (pressed, active_low applied) and WHEN, in ns. */
int	 gpio_read_edge(const struct gpio *, const char *what, int *rising,
	    int64_t *when);
int	 gpio_set(const struct gpio *, int on);
void	 gpio_close(struct gpio *);

/* led.c: the Ready LED, one colour at a time. */
enum led_color {
	LED_OFF,
	LED_RED,
	LED_GREEN,
	LED_BLUE
};

enum led_pattern {
	PATTERN_OFF,
	PATTERN_ON,
	PATTERN_BLINK_FAST,
	PATTERN_BLINK_SLOW
};

extern const char *const led_color_names[];
extern const char *const led_pattern_names[];

/* One colour: a GPIO output or a kernel LED (dir, max). */
struct led {
	struct gpio		 gpio;
	char			 dir[PATH_MAX];
	char			 max[16];	/* its max_brightness */
};

struct leds {
	struct led	 led[3];		/* red, green, blue */
	size_t		 blinking;		/* the GPIO one that blinks */
	int		 on;			/* it is lit */
	int64_t		 half;			/* its on (and off) time */
	int64_t		 next;			/* its next toggle, or never */
};

/* Opens led_red/green/blue; kernel LEDs are looked for under SYSFS. */
int	 leds_open(struct leds *, const struct ss_conf *, const char *sysfs);
/* Shows COLOR in PATTERN from NOW on (nanoseconds, CLOCK_MONOTONIC). */
void	 leds_show(struct leds *, enum led_color, enum led_pattern,
	    int64_t now);
/* When a GPIO LED that blinks is to toggle next; HOLD_NEVER for never. */
int64_t	 leds_next(const struct leds *);
/* Toggles it when that time has come. */
void	 leds_tick(struct leds *, int64_t now);
void	 leds_close(struct leds *);

/*
 * act.c: what the daemon and --simulate share: the settings that feed
 * the hold, and what a hold's actions do, through an actor that either
 * does them or prints them.
 */
struct actor {
	void		(*led)(void *, enum led_color, enum led_pattern);
	int		(*run)(void *, const char *what, const char *cmd);
	void		*arg;
	enum led_color	 color;		/* what the LED shows */
	enum led_pattern pattern;
};

void	 act_settings(struct hold *, const struct ss_conf *);
void	 act_hold(struct actor *, const struct ss_conf *, enum hold_action);

/* watch.c: the daemon on the real button. */
int	 watch_run(struct tool_env *);

/* sim.c: run --simulate, events from IN, actions printed on OUT. */
int	 sim_run(struct tool_env *, FILE *in, FILE *out);

#endif
