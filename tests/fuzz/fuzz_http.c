/*
 * An HTTP answer as libcurl hands it to lib/http.c: header lines (status
 * lines of interim answers included) one call each, up to a blank line,
 * then the body in pieces of at most 1000 bytes.  The harness's answers
 * in fuzz_acme start where this one ends, at struct http_resp.
 */
#include "../../lib/http.c"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_path("");
	return libcurl_load() == 0 ? 0 : 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_resp	 resp;
	struct xfer		 x;
	char			*buf = fuzz_str(data, size), *p = buf, *nl;
	char			*end = buf + size;
	size_t			 n;

	memset(&resp, 0, sizeof(resp));
	resp.retry_after = -1;
	memset(&x, 0, sizeof(x));
	x.resp = &resp;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		if (header_cb(p, 1, n, &x) != n) {
			p = end;
			break;
		}
		p += n;
		if (n <= 2 && (n == 1 || p[-2] == '\r'))
			break;
	}
	while (p < end) {
		n = (size_t)(end - p) < 1000 ? (size_t)(end - p) : 1000;
		if (body_cb(p, 1, n, &x) != n)
			break;
		p += n;
	}
	FUZZ_CHECK(resp.body == NULL || resp.body[resp.len] == '\0');
	http_resp_free(&resp);
	free(buf);
	return 0;
}
