/*
 * act: what a hold does, the same for the daemon and for --simulate.
 * The actor either does each step or prints it.
 */
#include "extern.h"
#include "log.h"

void
act_settings(struct hold *h, const struct ss_conf *c)
{
	hold_set(h, c->button.hold_seconds * NS_PER_SEC,
	    c->button.debounce_ms * NS_PER_MS,
	    c->button.reset_enabled);
}

static void
act_led(struct actor *a, enum led_color color, enum led_pattern pattern)
{
	if (a->color == color && a->pattern == pattern)
		return;
	a->led(a->arg, color, pattern);
	a->color = color;
	a->pattern = pattern;
}

/*
 * Red blinking fast while the factory password is restored, blue once
 * it is and the reboot is under way.  A failed reset leaves the device
 * as it is, with red blinking slowly until the next press.
 */
static void
act_reset(struct actor *a, const struct ss_conf *c)
{
	act_led(a, LED_RED, PATTERN_BLINK_FAST);
	log_info("button held %ld s: restoring the factory password",
	    c->button.hold_seconds);
	if (a->run(a->arg, "reset_command",
	    c->button.reset_command) != 0) {
		log_err("factory reset failed: not rebooting");
		act_led(a, LED_RED, PATTERN_BLINK_SLOW);
		return;
	}
	act_led(a, LED_BLUE, PATTERN_ON);
	log_info("factory password restored: rebooting");
	if (a->run(a->arg, "reboot_command",
	    c->button.reboot_command) != 0)
		log_err("reboot failed: the factory password is in place, "
		    "reboot the device by hand");
}

void
act_hold(struct actor *a, const struct ss_conf *c, enum hold_action what)
{
	switch (what) {
	case HOLD_NONE:
		break;
	case HOLD_BEGIN:
		log_debug("button pressed");
		act_led(a, LED_OFF, PATTERN_OFF);
		break;
	case HOLD_FIRE:
		act_reset(a, c);
		break;
	case HOLD_IGNORED:
		log_info("button held %ld s: ignored, the factory reset is "
		    "disabled ([button] reset_enabled)",
		    c->button.hold_seconds);
		break;
	}
}
