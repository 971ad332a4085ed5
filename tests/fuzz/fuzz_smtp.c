/*
 * The mail as smtp_send composes it: Subject (RFC 2047 when it must be)
 * and body.  The input's first line is the subject, the rest the body.
 */
#include "../../lib/smtp.c"


#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_msg	 msg;
	struct mail	 m;
	char		*s = fuzz_str(data, size), *nl;
	size_t		 len;

	msg.from = "ss@example.test";
	msg.to = "owner@example.test";
	msg.subject = s;
	msg.body = "";
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		msg.body = nl + 1;
	}
	memset(&m, 0, sizeof(m));
	if (msg_check(&msg) == 0) {
		mail_compose(&m, &msg, "Thu, 1 Jan 2026 00:00:00 +0000",
		    "<1@example.test>");
		len = m.len;
		FUZZ_CHECK((m.buf = malloc(len + 1)) != NULL);
		mail_compose(&m, &msg, "Thu, 1 Jan 2026 00:00:00 +0000",
		    "<1@example.test>");
		FUZZ_CHECK(m.len == len);
		free(m.buf);
	}
	free(s);
	return 0;
}
