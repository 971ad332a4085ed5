/*
 * ss-btnwatch: the hold on a fake clock, its actions, the LEDs, and the
 * daemon on a libgpiod faked with --wrap: two chips of 32 lines, button
 * events written by the tests into a pipe that stands for the line's
 * event descriptor.
 */
#define _GNU_SOURCE		/* fmemopen, asprintf */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <gpiod.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "extern.h"
#include "log.h"
#include "util.h"

#define S(x)		((int64_t)((x) * 1000 + 0.5) * NS_PER_MS)
#define NCHIPS		2
#define NLINES		32
#define MAXEVENTS	8

/* The fake libgpiod. */
struct fake_chip {
	const char	*name;
	int		 opened;
	int		 closed;
};

struct fake_line {
	struct fake_chip	*chip;
	unsigned int		 offset;
	int			 requested;	/* 1 input events, 2 output */
	int			 released;
	int			 flags;
	const char		*consumer;
	int			 value;
};

static struct fake_chip		 chips[NCHIPS] = { { "gpiochip0", 0, 0 },
    { "gpiochip1", 0, 0 } };
static struct fake_line		 lines[NCHIPS][NLINES];
static int			 events[2] = { -1, -1 };
static struct gpiod_line_event	 queue[MAXEVENTS];
static size_t			 queued, delivered;
static int			 term_on_get_fd;
static int			 hidden_lookups;	/* chips not there yet */
static void			(*after_read)(size_t);	/* with its count */
static timer_t			 stop_timer;
static int			 stop_armed;
static struct fake_line		*red;		/* led_red's line */
static int64_t			 red_on;	/* when it was lit first */
static int			 red_flips;	/* times it went on or off */

static int64_t
mono_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

struct gpiod_chip *
__wrap_gpiod_chip_open_lookup(const char *name)
{
	size_t	i;

	if (hidden_lookups > 0) {
		hidden_lookups--;
		errno = ENOENT;
		return NULL;
	}
	for (i = 0; i < NCHIPS; i++)
		if (strcmp(name, chips[i].name) == 0) {
			chips[i].opened++;
			return (struct gpiod_chip *)&chips[i];
		}
	errno = ENOENT;
	return NULL;
}

struct gpiod_line *
__wrap_gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset)
{
	struct fake_chip	*c = (struct fake_chip *)chip;
	struct fake_line	*l;

	if (offset >= NLINES) {
		errno = EINVAL;
		return NULL;
	}
	l = &lines[c - chips][offset];
	l->chip = c;
	l->offset = offset;
	return (struct gpiod_line *)l;
}

int
__wrap_gpiod_line_request_both_edges_events_flags(struct gpiod_line *line,
    const char *consumer, int flags)
{
	struct fake_line	*l = (struct fake_line *)line;

	l->requested = 1;
	l->consumer = consumer;
	l->flags = flags;
	return 0;
}

int
__wrap_gpiod_line_request_output(struct gpiod_line *line,
    const char *consumer, int value)
{
	struct fake_line	*l = (struct fake_line *)line;

	l->requested = 2;
	l->consumer = consumer;
	l->value = value;
	return 0;
}

int
__wrap_gpiod_line_set_value(struct gpiod_line *line, int value)
{
	struct fake_line	*l = (struct fake_line *)line;

	if (l == red && value && red_on == 0)
		red_on = mono_now();
	if (l == red && value != l->value)
		red_flips++;
	l->value = value;
	return 0;
}

int
__wrap_gpiod_line_event_get_fd(struct gpiod_line *line)
{
	(void)line;
	/* The handlers are in place by now: a way to stop the daemon. */
	if (term_on_get_fd)
		kill(getpid(), SIGTERM);
	return events[0];
}

int
__wrap_gpiod_line_event_read(struct gpiod_line *line,
    struct gpiod_line_event *ev)
{
	char	c;

	(void)line;
	assert_int_equal(read(events[0], &c, 1), 1);
	assert_true(delivered < queued);
	*ev = queue[delivered++];
	if (after_read != NULL)
		after_read(delivered);
	return 0;
}

void
__wrap_gpiod_line_release(struct gpiod_line *line)
{
	((struct fake_line *)line)->released++;
}

void
__wrap_gpiod_chip_close(struct gpiod_chip *chip)
{
	((struct fake_chip *)chip)->closed++;
}

static void
event_push(int type, int64_t when)
{
	assert_true(queued < MAXEVENTS);
	queue[queued].event_type = type;
	queue[queued].ts.tv_sec = when / NS_PER_SEC;
	queue[queued].ts.tv_nsec = when % NS_PER_SEC;
	queued++;
	assert_int_equal(write(events[1], "e", 1), 1);
}

/* Every line requested was released, every chip opened was closed. */
static void
assert_all_given_back(void)
{
	size_t	i, j;

	for (i = 0; i < NCHIPS; i++) {
		assert_int_equal(chips[i].opened, chips[i].closed);
		for (j = 0; j < NLINES; j++)
			assert_int_equal(lines[i][j].released,
			    lines[i][j].requested != 0);
	}
}

/*
 * SIGTERM to the daemon after MS milliseconds: a test that would
 * otherwise wait for ever stops and fails instead.
 */
static void
term_after(long ms)
{
	struct sigevent		sev;
	struct itimerspec	its;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGTERM;
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &stop_timer), 0);
	stop_armed = 1;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = ms % 1000 * NS_PER_MS;
	assert_int_equal(timer_settime(stop_timer, 0, &its, NULL), 0);
}

/* Between daemon runs a late SIGTERM or SIGHUP must not end the tests. */
static void
no_op(int sig)
{
	(void)sig;
}

static void
signals_catch(void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The state of each test is its scratch directory. */
static int
setup(void **state)
{
	log_init("test_btnwatch");
	signals_catch(no_op);
	stop_armed = 0;
	memset(lines, 0, sizeof(lines));
	chips[0].opened = chips[0].closed = 0;
	chips[1].opened = chips[1].closed = 0;
	queued = delivered = 0;
	term_on_get_fd = 0;
	hidden_lookups = 0;
	after_read = NULL;
	red = NULL;
	red_on = 0;
	red_flips = 0;
	if (pipe(events) == -1)
		return -1;
	return (*state = tmpdir_new("test_btnwatch")) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	if (stop_armed)
		timer_delete(stop_timer);
	signals_catch(SIG_DFL);
	close(events[0]);
	close(events[1]);
	return tmpdir_free(*state);
}

static char	conf_file_path[PATH_MAX];

/* The last security.conf written gets TEXT. */
static void
conf_rewrite(const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(conf_file_path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* security.conf in the scratch directory with TEXT; its path. */
static const char *
conf_write(void **state, const char *text)
{
	snprintf(conf_file_path, sizeof(conf_file_path), "%s/security.conf",
	    (char *)*state);
	conf_rewrite(text);
	return conf_file_path;
}

static int
daemon_run(void **state, const char *conf, char **err)
{
	struct tool_env	e;
	int		rc;

	memset(&e, 0, sizeof(e));
	e.conf_opt = conf_write(state, conf);
	capture_begin(2);
	rc = watch_run(&e);
	*err = capture_end();
	conf_free(e.conf);
	return rc;
}

/* The hold on a fake clock. */

static void
hold_new(struct hold *h, int enabled)
{
	hold_init(h);
	hold_set(h, S(20), 50 * NS_PER_MS, enabled);
}

/* Runs the clock from FROM to TO in steps of 10 ms; how many fired. */
static int
fires_between(struct hold *h, int64_t from, int64_t to)
{
	int64_t	t;
	int	n = 0;

	for (t = from; t <= to; t += 10 * NS_PER_MS)
		n += hold_advance(h, t) == HOLD_FIRE;
	return n;
}

static void
test_nothing_to_wait_for_while_idle(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	assert_true(hold_next(&h) == HOLD_NEVER);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(1)), HOLD_BEGIN);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(2)), HOLD_NONE);
	assert_int_equal(hold_advance(&h, S(2.05)), HOLD_NONE);
	assert_true(hold_next(&h) == HOLD_NEVER);
}

static void
test_held_20_seconds_fires_exactly_once(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(0)), HOLD_BEGIN);
	assert_true(hold_next(&h) == S(20));
	assert_int_equal(hold_advance(&h, S(20) - 1), HOLD_NONE);
	assert_int_equal(hold_advance(&h, S(20)), HOLD_FIRE);
	assert_int_equal(fires_between(&h, S(20), S(60)), 0);
	assert_true(hold_next(&h) == HOLD_NEVER);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(60)), HOLD_NONE);
	assert_int_equal(fires_between(&h, S(60), S(100)), 0);
}

static void
test_released_at_20_seconds_fires_first(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(20)), HOLD_FIRE);
}

static void
test_released_at_19_9_seconds_does_not_fire(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	assert_int_equal(fires_between(&h, S(0), S(19.89)), 0);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(19.9)), HOLD_NONE);
	assert_int_equal(fires_between(&h, S(19.9), S(60)), 0);
	assert_true(hold_next(&h) == HOLD_NEVER);
}

static void
test_bounces_inside_the_debounce_window_are_one_hold(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(0)), HOLD_BEGIN);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(0.004)), HOLD_NONE);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(0.009)), HOLD_NONE);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(10)), HOLD_NONE);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(10.049)), HOLD_NONE);
	/* Timed from the first press, not from the bounces. */
	assert_int_equal(hold_advance(&h, S(19.99)), HOLD_NONE);
	assert_int_equal(hold_advance(&h, S(20)), HOLD_FIRE);
}

static void
test_a_bounce_after_the_deadline_still_fires(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	hold_edge(&h, EDGE_RELEASE, S(19.98));
	assert_int_equal(hold_advance(&h, S(20.01)), HOLD_NONE);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(20.02)), HOLD_FIRE);
}

static void
test_a_tap_shorter_than_debounce_is_released(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	hold_edge(&h, EDGE_RELEASE, S(0.03));
	assert_true(hold_next(&h) == S(0.08));
	assert_int_equal(fires_between(&h, S(0.03), S(60)), 0);
}

static void
test_press_without_release_fires_and_then_sleeps(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(5));
	assert_int_equal(fires_between(&h, S(5), S(3600)), 1);
	assert_true(hold_next(&h) == HOLD_NEVER);
}

static void
test_several_presses_time_each_hold_from_its_press(void **state)
{
	struct hold	h;
	int		n;

	(void)state;
	hold_new(&h, 1);
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(0)), HOLD_BEGIN);
	hold_edge(&h, EDGE_RELEASE, S(3));
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(4)), HOLD_BEGIN);
	hold_edge(&h, EDGE_RELEASE, S(19));
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(30)), HOLD_BEGIN);
	n = fires_between(&h, S(30), S(49.99));
	assert_int_equal(n + fires_between(&h, S(50), S(55)), 1);
	assert_int_equal(n, 0);
	hold_edge(&h, EDGE_RELEASE, S(56));
	assert_int_equal(hold_edge(&h, EDGE_PRESS, S(57)), HOLD_BEGIN);
	assert_int_equal(hold_edge(&h, EDGE_RELEASE, S(80)), HOLD_FIRE);
}

static void
test_disabled_hold_is_ignored_once(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 0);
	hold_edge(&h, EDGE_PRESS, S(0));
	assert_int_equal(hold_advance(&h, S(20)), HOLD_IGNORED);
	assert_int_equal(hold_advance(&h, S(40)), HOLD_NONE);
}

static void
test_config_reloaded_mid_hold_moves_the_deadline(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	hold_set(&h, S(30), 50 * NS_PER_MS, 1);
	assert_int_equal(fires_between(&h, S(10), S(29.99)), 0);
	assert_int_equal(hold_advance(&h, S(30)), HOLD_FIRE);

	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	hold_set(&h, S(5), 50 * NS_PER_MS, 1);
	assert_int_equal(hold_advance(&h, S(10)), HOLD_FIRE);
}

static void
test_config_reloaded_mid_hold_can_disable_it(void **state)
{
	struct hold	h;

	(void)state;
	hold_new(&h, 1);
	hold_edge(&h, EDGE_PRESS, S(0));
	hold_set(&h, S(20), 50 * NS_PER_MS, 0);
	assert_int_equal(hold_advance(&h, S(20)), HOLD_IGNORED);
}

/* The actions, through an actor that writes them down. */

struct record {
	char	text[512];
	int	fail_reset;
};

static void
record_led(void *arg, enum led_color color, enum led_pattern pattern)
{
	struct record	*r = arg;
	size_t		 n = strlen(r->text);

	snprintf(r->text + n, sizeof(r->text) - n, "led %s %s\n",
	    led_color_names[color], led_pattern_names[pattern]);
}

static int
record_run(void *arg, const char *what, const char *cmd)
{
	struct record	*r = arg;
	size_t		 n = strlen(r->text);

	snprintf(r->text + n, sizeof(r->text) - n, "run %s\n", cmd);
	return r->fail_reset && strcmp(what, "reset_command") == 0 ?
	    EX_UNAVAILABLE : 0;
}

static void
act_with(void **state, const char *conf, int fail_reset,
    const enum hold_action *what, size_t n, struct record *r, char **err)
{
	struct ss_conf	*c;
	struct actor	 a;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->fail_reset = fail_reset;
	memset(&a, 0, sizeof(a));
	a.led = record_led;
	a.run = record_run;
	a.arg = r;
	assert_int_equal(conf_load(conf_write(state, conf), &c), 0);
	capture_begin(2);
	for (i = 0; i < n; i++)
		act_hold(&a, c, what[i]);
	*err = capture_end();
	conf_free(c);
}

static void
test_completed_hold_resets_then_reboots(void **state)
{
	static const enum hold_action	 what[] = { HOLD_BEGIN, HOLD_FIRE };
	struct record			 r;
	char				*err;

	act_with(state, "[button]\nreset_command = reset\n"
	    "reboot_command = reboot\n", 0, what, 2, &r, &err);
	assert_string_equal(r.text, "led red blink-fast\nrun reset\n"
	    "led blue on\nrun reboot\n");
	free(err);
}

static void
test_failed_reset_shows_the_error_and_does_not_reboot(void **state)
{
	static const enum hold_action	 what[] = { HOLD_BEGIN, HOLD_FIRE,
	    HOLD_BEGIN };
	struct record			 r;
	char				*err;

	act_with(state, "[button]\nreset_command = reset\n"
	    "reboot_command = reboot\n", 1, what, 3, &r, &err);
	/* The error pattern stays until the next press. */
	assert_string_equal(r.text, "led red blink-fast\nrun reset\n"
	    "led red blink-slow\nled off off\n");
	assert_non_null(strstr(err, "factory reset failed: not rebooting"));
	free(err);
}

static void
test_disabled_hold_logs_that_it_was_ignored(void **state)
{
	static const enum hold_action	 what[] = { HOLD_BEGIN, HOLD_IGNORED };
	struct record			 r;
	char				*err;

	act_with(state, "[button]\nreset_enabled = no\n", 0, what, 2, &r,
	    &err);
	assert_string_equal(r.text, "");
	assert_string_equal(err, "test_btnwatch: button held 20 s: ignored, "
	    "the factory reset is disabled ([button] reset_enabled)\n");
	free(err);
}

/* --simulate: the DESIGN's lines, and the commands really run. */
static void
test_simulate_prints_each_action_with_its_time(void **state)
{
	static const char	 input[] = "0 press\n0.004 release\n"
	    "0.008 press\n19.9 release\n30 press\n50.5 release\n";
	struct tool_env		 e;
	FILE			*in, *out;
	char			*conf, *text, *want, *marker;
	int			 rc;

	assert_true(asprintf(&conf, "[button]\n"
	    "reset_command = echo reset >> %s/marker\n"
	    "reboot_command = echo reboot >> %s/marker\n",
	    (char *)*state, (char *)*state) != -1);
	memset(&e, 0, sizeof(e));
	e.conf_opt = conf_write(state, conf);
	assert_non_null(in = fmemopen((void *)input, strlen(input), "r"));
	assert_non_null(out = tmpfile());
	capture_begin(2);
	rc = sim_run(&e, in, out);
	free(capture_end());
	assert_int_equal(rc, 0);
	rewind(out);
	text = slurp_stream(out);
	assert_true(asprintf(&want, "50.000 led red blink-fast\n"
	    "50.000 run echo reset >> %s/marker\n50.000 led blue on\n"
	    "50.000 run echo reboot >> %s/marker\n", (char *)*state,
	    (char *)*state) != -1);
	assert_string_equal(text, want);
	free(want);
	free(text);
	fclose(in);
	fclose(out);
	assert_true(asprintf(&marker, "%s/marker", (char *)*state) != -1);
	text = slurp(marker);
	assert_string_equal(text, "reset\nreboot\n");
	free(text);
	free(marker);
	free(conf);
	conf_free(e.conf);
}

static void
test_simulate_names_the_bad_line(void **state)
{
	static const char	 input[] = "0 press\n\n# comment\n1 hold\n";
	struct tool_env		 e;
	FILE			*in, *out;
	char			*err;
	int			 rc;

	memset(&e, 0, sizeof(e));
	e.conf_opt = conf_write(state, "");
	assert_non_null(in = fmemopen((void *)input, strlen(input), "r"));
	assert_non_null(out = tmpfile());
	capture_begin(2);
	rc = sim_run(&e, in, out);
	err = capture_end();
	assert_int_equal(rc, EX_DATAERR);
	assert_string_equal(err, "test_btnwatch: stdin:4: '1 hold' is not "
	    "'SECONDS press' or 'SECONDS release'\n");
	free(err);
	fclose(in);
	fclose(out);
	conf_free(e.conf);
}

/* enable, disable, status: FN with ARGV, the output on FD captured. */
static int
command(void **state, const char *conf, int (*fn)(struct tool_env *, int,
    char **), char **argv, int fd, char **text)
{
	struct tool_env	e;
	int		argc, rc, in, saved;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	memset(&e, 0, sizeof(e));
	e.conf_opt = conf_write(state, conf);
	/* Stdin is no terminal, whoever runs the tests. */
	assert_int_not_equal(in = open("/dev/null", O_RDONLY), -1);
	assert_int_not_equal(saved = dup(0), -1);
	assert_int_not_equal(dup2(in, 0), -1);
	close(in);
	optind = 0;
	capture_begin(fd);
	rc = fn(&e, argc, argv);
	*text = capture_end();
	assert_int_not_equal(dup2(saved, 0), -1);
	close(saved);
	conf_free(e.conf);
	return rc;
}

static void
test_disable_warns_and_needs_yes_off_a_terminal(void **state)
{
	char	*argv[] = { "disable", NULL }, *err, *conf;

	assert_int_equal(command(state, "[button]\n", cmd_disable, argv, 2,
	    &err), EX_USAGE);
	assert_string_equal(err, "test_btnwatch: warning: with the factory "
	    "reset by the button disabled, a lost system password cannot be "
	    "restored on the device: it has to be replaced\n"
	    "test_btnwatch: --yes is needed when not on a terminal\n");
	conf = slurp(conf_file_path);
	assert_string_equal(conf, "[button]\n");
	free(conf);
	free(err);
}

static void
test_disable_and_enable_flip_reset_enabled(void **state)
{
	char	*yes[] = { "disable", "--yes", NULL };
	char	*enable[] = { "enable", NULL }, *err, *conf;

	assert_int_equal(command(state, "# the button\n[button]\nline = 3\n",
	    cmd_disable, yes, 2, &err), 0);
	free(err);
	conf = slurp(conf_file_path);
	assert_string_equal(conf, "# the button\n[button]\nline = 3\n"
	    "reset_enabled = no\n");
	free(conf);
	assert_int_equal(command(state, "[button]\nreset_enabled = no\n",
	    cmd_enable, enable, 2, &err), 0);
	free(err);
	conf = slurp(conf_file_path);
	assert_string_equal(conf, "[button]\nreset_enabled = yes\n");
	free(conf);
	/* Nothing to do, nothing written. */
	assert_int_equal(command(state, "[button]\n", cmd_enable, enable, 2,
	    &err), 0);
	assert_string_equal(err, "test_btnwatch: the factory reset by the "
	    "button is already enabled\n");
	free(err);
}

static void
test_status_shows_the_switch_and_the_settings(void **state)
{
	char	*argv[] = { "status", NULL }, *out;

	assert_int_equal(command(state, "[button]\nreset_enabled = no\n"
	    "led_blue = sysfs:ready:blue\n", cmd_status, argv, 1, &out), 0);
	assert_string_equal(out, "disabled\nreset_enabled: no\n"
	    "chip: gpiochip0\nline: 0\nactive_low: yes\nhold_seconds: 20\n"
	    "debounce_ms: 50\nled_red:\nled_green:\n"
	    "led_blue: sysfs:ready:blue\n"
	    "reset_command: ss-passwd factory-reset --yes\n"
	    "reboot_command: systemctl reboot\n");
	free(out);
}

/* LEDs. */

static void
sysfs_led(const char *root, const char *name, const char *max)
{
	static const char *const	 files[] = { "brightness", "trigger",
	    "delay_on", "delay_off" };
	char				*path;
	FILE				*f;
	size_t				 i;

	assert_true(asprintf(&path, "%s/%s", root, name) != -1);
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
	for (i = 0; i < 4; i++) {
		assert_true(asprintf(&path, "%s/%s/%s", root, name,
		    files[i]) != -1);
		assert_non_null(f = fopen(path, "w"));
		fclose(f);
		free(path);
	}
	assert_true(asprintf(&path, "%s/%s/max_brightness", root, name) !=
	    -1);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%s\n", max);
	fclose(f);
	free(path);
}

static void
assert_file(const char *root, const char *name, const char *file,
    const char *want)
{
	char	*path, *text;

	assert_true(asprintf(&path, "%s/%s/%s", root, name, file) != -1);
	text = slurp(path);
	assert_string_equal(text, want);
	free(text);
	free(path);
}

static void
test_kernel_leds_blink_by_their_timer_trigger(void **state)
{
	struct ss_conf	*c;
	struct leds	 ls;
	const char	*root = *state;

	sysfs_led(root, "ready:red", "255");
	sysfs_led(root, "ready:blue", "1");
	assert_int_equal(conf_load(conf_write(state, "[button]\n"
	    "led_red = sysfs:ready:red\nled_blue = sysfs:ready:blue\n"), &c),
	    0);
	assert_int_equal(leds_open(&ls, c, root), 0);
	leds_show(&ls, LED_RED, PATTERN_BLINK_FAST, 0);
	assert_file(root, "ready:red", "trigger", "timer");
	assert_file(root, "ready:red", "delay_on", "100");
	assert_file(root, "ready:red", "delay_off", "100");
	assert_file(root, "ready:blue", "trigger", "none");
	assert_file(root, "ready:blue", "brightness", "0");
	leds_show(&ls, LED_BLUE, PATTERN_ON, 0);
	assert_file(root, "ready:red", "trigger", "none");
	assert_file(root, "ready:red", "brightness", "0");
	assert_file(root, "ready:blue", "brightness", "1");
	leds_show(&ls, LED_RED, PATTERN_BLINK_SLOW, 0);
	assert_file(root, "ready:red", "delay_on", "500");
	leds_show(&ls, LED_RED, PATTERN_ON, 0);
	assert_file(root, "ready:red", "brightness", "255");
	leds_close(&ls);
	conf_free(c);
}

static void
test_gpio_leds_show_one_colour(void **state)
{
	struct ss_conf	*c;
	struct leds	 ls;

	assert_int_equal(conf_load(conf_write(state, "[button]\n"
	    "led_red = gpiochip1:3\nled_green = gpiochip1:4\n"
	    "led_blue = gpiochip0:5\n"), &c), 0);
	assert_int_equal(leds_open(&ls, c, "/nonexistent"), 0);
	assert_int_equal(lines[1][3].requested, 2);
	assert_string_equal(lines[1][3].consumer, "ss-btnwatch");
	leds_show(&ls, LED_RED, PATTERN_BLINK_FAST, 0);
	assert_int_equal(lines[1][3].value, 1);
	assert_int_equal(lines[1][4].value, 0);
	assert_int_equal(lines[0][5].value, 0);
	leds_show(&ls, LED_BLUE, PATTERN_ON, 0);
	assert_int_equal(lines[1][3].value, 0);
	assert_int_equal(lines[0][5].value, 1);
	leds_close(&ls);
	assert_all_given_back();
	conf_free(c);
}

/* A GPIO LED blinks on the clock it is given: 100 ms, or 500 ms, a half. */
static void
test_gpio_leds_blink_on_the_clock(void **state)
{
	struct ss_conf	*c;
	struct leds	 ls;
	int		*v = &lines[1][3].value;

	assert_int_equal(conf_load(conf_write(state, "[button]\n"
	    "led_red = gpiochip1:3\nled_blue = gpiochip0:5\n"), &c), 0);
	assert_int_equal(leds_open(&ls, c, "/nonexistent"), 0);
	assert_true(leds_next(&ls) == HOLD_NEVER);
	leds_show(&ls, LED_RED, PATTERN_BLINK_FAST, S(1));
	assert_int_equal(*v, 1);
	assert_true(leds_next(&ls) == S(1) + 100 * NS_PER_MS);
	leds_tick(&ls, S(1) + 99 * NS_PER_MS);
	assert_int_equal(*v, 1);
	leds_tick(&ls, S(1) + 100 * NS_PER_MS);
	assert_int_equal(*v, 0);
	assert_true(leds_next(&ls) == S(1) + 200 * NS_PER_MS);
	leds_tick(&ls, S(1) + 200 * NS_PER_MS);
	assert_int_equal(*v, 1);
	/* Woken late: one toggle, and the beat goes on from then. */
	leds_tick(&ls, S(1) + 750 * NS_PER_MS);
	assert_int_equal(*v, 0);
	assert_true(leds_next(&ls) == S(1) + 850 * NS_PER_MS);
	leds_show(&ls, LED_RED, PATTERN_BLINK_SLOW, S(2));
	assert_int_equal(*v, 1);
	assert_true(leds_next(&ls) == S(2) + 500 * NS_PER_MS);
	leds_show(&ls, LED_BLUE, PATTERN_ON, S(3));
	assert_int_equal(*v, 0);
	assert_int_equal(lines[0][5].value, 1);
	assert_true(leds_next(&ls) == HOLD_NEVER);
	leds_tick(&ls, S(9));
	assert_int_equal(*v, 0);
	leds_close(&ls);
	conf_free(c);
}

static void
test_missing_kernel_led_is_unavailable(void **state)
{
	struct ss_conf	*c;
	struct leds	 ls;
	char		*err;

	assert_int_equal(conf_load(conf_write(state, "[button]\n"
	    "led_green = sysfs:nope\n"), &c), 0);
	capture_begin(2);
	assert_int_equal(leds_open(&ls, c, *state), EX_UNAVAILABLE);
	err = capture_end();
	assert_non_null(strstr(err, "[button] led_green: no kernel LED "
	    "'nope' in /tmp/"));
	free(err);
	conf_free(c);
}

/* The daemon on the wrapped libgpiod. */

static void
test_requests_the_configured_line_for_both_edges(void **state)
{
	char	*err;

	term_on_get_fd = 1;
	assert_int_equal(daemon_run(state, "[button]\nchip = gpiochip1\n"
	    "line = 17\n", &err), 0);
	free(err);
	/* looked for once, then opened */
	assert_int_equal(chips[1].opened, 2);
	assert_int_equal(lines[1][17].requested, 1);
	assert_string_equal(lines[1][17].consumer, "ss-btnwatch");
	assert_int_equal(lines[1][17].flags,
	    GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	assert_all_given_back();
}

static void
test_active_high_button_has_no_flag(void **state)
{
	char	*err;

	term_on_get_fd = 1;
	assert_int_equal(daemon_run(state, "[button]\nline = 4\n"
	    "active_low = no\n", &err), 0);
	free(err);
	assert_int_equal(lines[0][4].requested, 1);
	assert_int_equal(lines[0][4].flags, 0);
	assert_all_given_back();
}

static void
test_lines_are_released_on_sigterm(void **state)
{
	char	*err;

	term_on_get_fd = 1;
	assert_int_equal(daemon_run(state, "[button]\nline = 2\n"
	    "led_red = gpiochip1:0\nled_blue = gpiochip1:1\n", &err), 0);
	free(err);
	assert_int_equal(lines[0][2].released, 1);
	assert_int_equal(lines[1][0].released, 1);
	assert_int_equal(lines[1][1].released, 1);
	assert_all_given_back();
}

static void
test_missing_chip_is_unavailable(void **state)
{
	char	*err;

	assert_int_equal(daemon_run(state, "[button]\nchip = gpiochip9\n"
	    "chip_wait = 0\n", &err), EX_UNAVAILABLE);
	assert_string_equal(err, "test_btnwatch: [button] chip, line: GPIO "
	    "chip 'gpiochip9': no such chip\n");
	free(err);
	assert_all_given_back();
}

static void
test_missing_chip_is_waited_for_chip_wait_seconds(void **state)
{
	int64_t	 t0;
	char	*err;

	t0 = mono_now();
	assert_int_equal(daemon_run(state, "[button]\nchip = gpiochip9\n"
	    "chip_wait = 1\n", &err), EX_UNAVAILABLE);
	assert_true(mono_now() - t0 >= S(1));
	assert_string_equal(err, "test_btnwatch: GPIO chip 'gpiochip9' not "
	    "there yet; waiting up to 1 s for its driver\n"
	    "test_btnwatch: [button] chip, line: GPIO chip 'gpiochip9': "
	    "no such chip\n");
	free(err);
	assert_all_given_back();
}

static void
test_chip_of_a_late_driver_is_taken_when_it_appears(void **state)
{
	char	*err;

	hidden_lookups = 2;
	term_on_get_fd = 1;
	assert_int_equal(daemon_run(state, "[button]\nchip = gpiochip1\n"
	    "line = 17\n", &err), 0);
	assert_non_null(strstr(err, "GPIO chip 'gpiochip1' not there yet"));
	free(err);
	assert_int_equal(hidden_lookups, 0);
	assert_int_equal(lines[1][17].requested, 1);
	assert_all_given_back();
}

static void
test_missing_line_is_unavailable(void **state)
{
	char	*err;

	assert_int_equal(daemon_run(state, "[button]\nline = 40\n", &err),
	    EX_UNAVAILABLE);
	assert_string_equal(err, "test_btnwatch: [button] chip, line: GPIO "
	    "chip 'gpiochip0' has no line 40\n");
	free(err);
	assert_all_given_back();
}

static void
test_missing_led_line_gives_the_button_back(void **state)
{
	char	*err;

	assert_int_equal(daemon_run(state, "[button]\n"
	    "led_blue = gpiochip1:99\n", &err), EX_UNAVAILABLE);
	assert_non_null(strstr(err, "[button] led_blue: GPIO chip "
	    "'gpiochip1' has no line 99\n"));
	free(err);
	assert_int_equal(lines[0][0].requested, 1);
	assert_all_given_back();
}

static void
test_bad_led_setting_is_a_config_error(void **state)
{
	char	*err;

	assert_int_equal(daemon_run(state, "[button]\nled_red = red\n",
	    &err), EX_CONFIG);
	assert_non_null(strstr(err, "security.conf: [button] led_red: 'red' "
	    "is neither chip:line nor sysfs:NAME\n"));
	free(err);
	assert_all_given_back();
}

static void
test_bad_config_value_is_a_config_error(void **state)
{
	char	*err;

	assert_int_equal(daemon_run(state, "[button]\nline = 2000\n", &err),
	    EX_CONFIG);
	free(err);
	assert_int_equal(chips[0].opened, 0);
}

/* hold_seconds SECONDS, the red LED on a line, reboot_command stops us. */
static const char *
deadline_conf(int seconds)
{
	static char	conf[256];

	snprintf(conf, sizeof(conf), "[button]\nhold_seconds = %d\n"
	    "led_red = gpiochip1:7\nreset_command = true\n"
	    "reboot_command = kill -TERM $PPID\n", seconds);
	return conf;
}

static void
test_action_starts_within_50_ms_of_the_deadline(void **state)
{
	int64_t	 pressed, late;
	char	*err;

	red = &lines[1][7];
	term_after(5000);
	pressed = mono_now();
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, pressed);
	assert_int_equal(daemon_run(state, deadline_conf(1), &err), 0);
	free(err);
	assert_true(red_on != 0);
	late = red_on - (pressed + NS_PER_SEC);
	print_message("# action started %.3f ms after the deadline\n",
	    (double)late / NS_PER_MS);
	assert_true(late >= 0);
	assert_true(late < 50 * NS_PER_MS);
	assert_all_given_back();
}

/* After the release of a bounce: hold_seconds 600 becomes 1. */
static void
shorten_and_hup(size_t count)
{
	if (count != 2)
		return;
	conf_rewrite(deadline_conf(1));
	kill(getpid(), SIGHUP);
}

static void
test_sighup_reloads_the_config_mid_hold(void **state)
{
	char	*err;
	int64_t	 pressed;

	red = &lines[1][7];
	after_read = shorten_and_hup;
	term_after(5000);
	pressed = mono_now();
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, pressed);
	event_push(GPIOD_LINE_EVENT_FALLING_EDGE, pressed + NS_PER_MS);
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, pressed + 2 * NS_PER_MS);
	assert_int_equal(daemon_run(state, deadline_conf(600), &err), 0);
	free(err);
	assert_int_equal(delivered, 3);
	assert_true(red_on - pressed >= NS_PER_SEC);
	assert_true(red_on - pressed < 2 * NS_PER_SEC);
	assert_all_given_back();
}

/* The red GPIO LED blinks fast while the reset command runs. */
static void
test_red_blinks_while_the_reset_runs(void **state)
{
	char	*err;

	red = &lines[1][7];
	term_after(5000);
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, mono_now());
	assert_int_equal(daemon_run(state, "[button]\nhold_seconds = 1\n"
	    "led_red = gpiochip1:7\nreset_command = sleep 0.6\n"
	    "reboot_command = kill -TERM $PPID\n", &err), 0);
	free(err);
	/* on, then a flip every 100 ms for 600 ms, then off for blue */
	print_message("# red went on or off %d times\n", red_flips);
	assert_in_range(red_flips, 5, 9);
	assert_int_equal(red->value, 0);
	assert_all_given_back();
}

/*
 * The commands learn that the button asked (for ss-passwd's audit line),
 * whatever the daemon's own environment says.
 */
static void
test_the_commands_are_told_the_button_asked(void **state)
{
	char	 conf[512], path[300];
	char	*err, *origin;

	snprintf(path, sizeof(path), "%s/origin", (char *)*state);
	snprintf(conf, sizeof(conf), "[button]\nhold_seconds = 1\n"
	    "reset_command = printf %%s \"$SS_ORIGIN\" >%s\n"
	    "reboot_command = kill -TERM $PPID\n", path);
	setenv("SS_ORIGIN", "tty", 1);
	term_after(5000);
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, mono_now());
	assert_int_equal(daemon_run(state, conf, &err), 0);
	unsetenv("SS_ORIGIN");
	free(err);
	origin = slurp(path);
	assert_string_equal(origin, "button");
	free(origin);
	assert_all_given_back();
}

/* After a failed reset it blinks slowly, waking the daemon to do so. */
static void
test_red_blinks_slowly_after_a_failed_reset(void **state)
{
	char	*err;

	red = &lines[1][7];
	term_after(2300);
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, mono_now());
	assert_int_equal(daemon_run(state, "[button]\nhold_seconds = 1\n"
	    "led_red = gpiochip1:7\nreset_command = false\n", &err), 0);
	free(err);
	/* on at 1 s, off at 1.5 s, on at 2 s */
	assert_in_range(red_flips, 3, 4);
	assert_all_given_back();
}

static void
test_release_before_the_deadline_does_nothing(void **state)
{
	char	*err;
	int64_t	 pressed;

	red = &lines[1][7];
	term_after(1500);
	pressed = mono_now();
	event_push(GPIOD_LINE_EVENT_RISING_EDGE, pressed);
	event_push(GPIOD_LINE_EVENT_FALLING_EDGE, pressed + 200 * NS_PER_MS);
	assert_int_equal(daemon_run(state, deadline_conf(1), &err), 0);
	free(err);
	assert_int_equal(delivered, 2);
	assert_true(red_on == 0);
	assert_all_given_back();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_nothing_to_wait_for_while_idle),
		T(test_held_20_seconds_fires_exactly_once),
		T(test_released_at_20_seconds_fires_first),
		T(test_released_at_19_9_seconds_does_not_fire),
		T(test_bounces_inside_the_debounce_window_are_one_hold),
		T(test_a_bounce_after_the_deadline_still_fires),
		T(test_a_tap_shorter_than_debounce_is_released),
		T(test_press_without_release_fires_and_then_sleeps),
		T(test_several_presses_time_each_hold_from_its_press),
		T(test_disabled_hold_is_ignored_once),
		T(test_config_reloaded_mid_hold_moves_the_deadline),
		T(test_config_reloaded_mid_hold_can_disable_it),
		T(test_completed_hold_resets_then_reboots),
		T(test_failed_reset_shows_the_error_and_does_not_reboot),
		T(test_disabled_hold_logs_that_it_was_ignored),
		T(test_simulate_prints_each_action_with_its_time),
		T(test_simulate_names_the_bad_line),
		T(test_disable_warns_and_needs_yes_off_a_terminal),
		T(test_disable_and_enable_flip_reset_enabled),
		T(test_status_shows_the_switch_and_the_settings),
		T(test_kernel_leds_blink_by_their_timer_trigger),
		T(test_gpio_leds_show_one_colour),
		T(test_gpio_leds_blink_on_the_clock),
		T(test_missing_kernel_led_is_unavailable),
		T(test_requests_the_configured_line_for_both_edges),
		T(test_active_high_button_has_no_flag),
		T(test_lines_are_released_on_sigterm),
		T(test_missing_chip_is_unavailable),
		T(test_missing_chip_is_waited_for_chip_wait_seconds),
		T(test_chip_of_a_late_driver_is_taken_when_it_appears),
		T(test_missing_line_is_unavailable),
		T(test_missing_led_line_gives_the_button_back),
		T(test_bad_led_setting_is_a_config_error),
		T(test_bad_config_value_is_a_config_error),
		T(test_action_starts_within_50_ms_of_the_deadline),
		T(test_sighup_reloads_the_config_mid_hold),
		T(test_red_blinks_while_the_reset_runs),
		T(test_the_commands_are_told_the_button_asked),
		T(test_red_blinks_slowly_after_a_failed_reset),
		T(test_release_before_the_deadline_does_nothing),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
