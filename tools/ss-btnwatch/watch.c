/*
 * watch: the daemon.  It sleeps in ppoll(2) on the button's edge events
 * and on a self-pipe that the signal handlers write to, with a timeout
 * only while a hold runs towards its deadline: idle, it never wakes.
 */
#define _GNU_SOURCE		/* pipe2, ppoll */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"
#include "log.h"
#include "run.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct watch {
	struct tool_env		*env;
	struct gpio		 button;
	struct leds		 leds;
	struct hold		 hold;
	struct actor		 actor;
};

static const int	 signals[] = { SIGHUP, SIGINT, SIGTERM };
static int		 signal_fd = -1;	/* the self-pipe's write end */

/* A setting that names hardware changed: it waits for a restart. */
static void
hw_warn(const char *key, int changed)
{
	if (changed)
		log_warn("[button] %s changed: it takes effect when "
		    "ss-btnwatch restarts", key);
}

static void
on_signal(int sig)
{
	unsigned char	c = (unsigned char)sig;
	int		saved = errno;
	ssize_t		r;

	/* A full pipe already holds a wake-up; nothing else can be done. */
	r = write(signal_fd, &c, 1);
	(void)r;
	errno = saved;
}

static int64_t
clock_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static void
watch_led(void *arg, enum led_color color, enum led_pattern pattern)
{
	struct watch	*w = arg;

	log_debug("led %s %s", led_color_names[color],
	    led_pattern_names[pattern]);
	leds_show(&w->leds, color, pattern, clock_now());
}

/* While a command runs: the LED keeps blinking. */
static void
watch_tick(void *arg)
{
	struct watch	*w = arg;

	leds_tick(&w->leds, clock_now());
}

/*
 * SS_ORIGIN tells ss-passwd's audit line that the button asked: a label,
 * not a credential, and the only value it takes.
 */
static int
watch_cmd(void *arg, const char *what, const char *cmd)
{
	static char	 origin[] = "SS_ORIGIN=button";
	char		*env[] = { origin, NULL };
	struct watch	*w = arg;
	struct run_tick	 tick = { TICK_MS, watch_tick, w };

	if (w->env->dry_run) {
		log_info("would run %s: %s", what, cmd);
		return 0;
	}
	return run_command_ticking(what, cmd, NULL, env, RUN_TIMEOUT, &tick);
}

/*
 * The new file replaces the old one only when it loads.  Lines already
 * requested stay: giving them up to request others could leave the
 * daemon holding none, so those keys wait for a restart.
 */
static void
watch_reload(struct watch *w)
{
	const struct ss_conf	*old = w->env->conf;
	struct ss_conf		*c;

	if (conf_load(conf_path(w->env->conf_opt), &c) != 0) {
		log_err("configuration not reloaded: keeping the one in use");
		return;
	}
	hw_warn("chip", strcmp(c->button.chip, old->button.chip) != 0);
	hw_warn("line", c->button.line != old->button.line);
	hw_warn("active_low", c->button.active_low != old->button.active_low);
	hw_warn("led_red", strcmp(c->button.led_red, old->button.led_red) != 0);
	hw_warn("led_green",
	    strcmp(c->button.led_green, old->button.led_green) != 0);
	hw_warn("led_blue",
	    strcmp(c->button.led_blue, old->button.led_blue) != 0);
	conf_free(w->env->conf);
	w->env->conf = c;
	act_settings(&w->hold, c);
}

/* The time left until NEXT in *TS, or NULL (no timeout) for never. */
static struct timespec *
timeout_until(int64_t next, struct timespec *ts)
{
	int64_t	left;

	if (next == HOLD_NEVER)
		return NULL;
	if ((left = next - clock_now()) < 0)
		left = 0;
	ts->tv_sec = left / NS_PER_SEC;
	ts->tv_nsec = left % NS_PER_SEC;
	return ts;
}

static int
watch_event(struct watch *w)
{
	enum hold_action	 a;
	int64_t			 when, now;
	int			 rising;

	if (gpio_read_edge(&w->button, "button", &rising, &when) != 0)
		return EX_IOERR;
	now = clock_now();
	/* Kernels before 5.7 stamp these events on CLOCK_REALTIME. */
	if (when > now)
		when = now;
	a = hold_edge(&w->hold, rising ? EDGE_PRESS : EDGE_RELEASE, when);
	/* So that enable and disable count without a signal to us. */
	if (a == HOLD_BEGIN)
		watch_reload(w);
	act_hold(&w->actor, w->env->conf, a);
	return 0;
}

/* 1 when a signal asks us to stop. */
static int
watch_signals(struct watch *w, int fd)
{
	unsigned char	sig[16];
	ssize_t		n, i;
	int		stop = 0;

	while ((n = read(fd, sig, sizeof(sig))) > 0)
		for (i = 0; i < n; i++) {
			if (sig[i] != SIGHUP) {
				log_info("stopping on signal %d", sig[i]);
				stop = 1;
			} else if (!stop) {
				log_info("reloading the configuration");
				watch_reload(w);
			}
		}
	return stop;
}

static int
watch_loop(struct watch *w, int sigfd)
{
	struct pollfd	pfd[2];
	struct timespec	ts;
	int64_t		next;

	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	if ((pfd[1].fd = gpio_event_fd(&w->button, "button")) == -1)
		return EX_UNAVAILABLE;
	pfd[1].events = POLLIN;
	log_info("watching %s line %ld", w->env->conf->button.chip,
	    w->env->conf->button.line);
	for (;;) {
		next = hold_next(&w->hold);
		if (leds_next(&w->leds) < next)
			next = leds_next(&w->leds);
		if (ppoll(pfd, 2, timeout_until(next, &ts), NULL) == -1) {
			if (errno == EINTR)
				continue;
			log_err("ppoll: %s", strerror(errno));
			return EX_OSERR;
		}
		if ((pfd[0].revents & POLLIN) && watch_signals(w, sigfd))
			return 0;
		if (pfd[1].revents & POLLIN) {
			if (watch_event(w) != 0)
				return EX_IOERR;
		} else if (pfd[1].revents != 0) {
			log_err("button: event descriptor failed");
			return EX_IOERR;
		}
		act_hold(&w->actor, w->env->conf,
		    hold_advance(&w->hold, clock_now()));
		leds_tick(&w->leds, clock_now());
	}
}

int
watch_run(struct tool_env *e)
{
	struct sigaction	 sa, old[nitems(signals)];
	struct watch		 w;
	size_t			 i;
	int			 fds[2] = { -1, -1 }, rc;

	if ((rc = tool_conf(e)) != 0)
		return rc;
	memset(&w, 0, sizeof(w));
	w.env = e;
	w.actor.led = watch_led;
	w.actor.run = watch_cmd;
	w.actor.arg = &w;
	hold_init(&w.hold);
	act_settings(&w.hold, e->conf);

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_err("pipe: %s", strerror(errno));
		return EX_OSERR;
	}
	signal_fd = fds[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < nitems(signals); i++)
		sigaction(signals[i], &sa, &old[i]);

	/* A SIGHUP only starts the wait again; any other signal stops. */
	while (gpio_chip_wait(e->conf->button.chip, e->conf->button.chip_wait,
	    fds[0]) == 1)
		if (watch_signals(&w, fds[0])) {
			rc = 0;
			goto out;
		}
	if ((rc = gpio_open_input(&w.button, e->conf->button.chip,
	    e->conf->button.line, e->conf->button.active_low,
	    "[button] chip, line")) != 0 ||
	    (rc = leds_open(&w.leds, e->conf, LEDS_SYSFS)) != 0)
		goto out;
	rc = watch_loop(&w, fds[0]);
out:
	leds_close(&w.leds);
	gpio_close(&w.button);
	for (i = 0; i < nitems(signals); i++)
		sigaction(signals[i], &old[i], NULL);
	signal_fd = -1;
	close(fds[0]);
	close(fds[1]);
	return rc;
}
