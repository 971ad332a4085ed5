/*
 * button: whether holding the Connect button can still restore the
 * factory password.  Without it, a lost password means a new device.
 */
#include "extern.h"

void
button_check(struct report *r)
{
	if (r->c->button.reset_enabled)
		report_add(r, CHECK_OK, "button", NULL, "the Connect button "
		    "restores the factory password when held %ld s",
		    r->c->button.hold_seconds);
	else
		report_add(r, CHECK_WARNING, "button", "ss-btnwatch enable",
		    "password recovery by the Connect button is disabled: a "
		    "lost password then means replacing the device");
}
