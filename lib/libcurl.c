/*
 * libcurl: dlopen() of libcurl, its functions resolved into typed
 * pointers, and the settings every easy handle shares.
 */
#define _GNU_SOURCE		/* malloc_usable_size */

#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "libcurl.h"
#include "log.h"

#define CONNECT_TIMEOUT_MAX	30

struct libcurl_api	libcurl;

/*
 * libcurl's allocator: every block is wiped before it goes back to the
 * C library, as libcurl keeps passwords, the headers built from them and
 * mail bodies in blocks it frees without wiping.
 */
static void
wipe_free(void *p)
{
	if (p == NULL)
		return;
	secret_zero(p, malloc_usable_size(p));
	free(p);
}

/* realloc() would free the old block unwiped: a new one instead. */
static void *
wipe_realloc(void *p, size_t n)
{
	size_t	 old;
	void	*q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		wipe_free(p);
		return NULL;
	}
	if ((q = malloc(n)) == NULL)
		return NULL;
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	wipe_free(p);
	return q;
}

int
libcurl_load(void)
{
	static void	*h;
	CURLcode	 cc;

	if (h != NULL)
		return 0;
	if ((h = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_err("%s: %s", LIBCURL_SONAME, dlerror());
		return -1;
	}
#define LIBCURL_SYM(f)							\
	libcurl.f = (__typeof__(libcurl.f))dlsym(h, "curl_" #f);	\
	if (libcurl.f == NULL)						\
		goto fail;
	LIBCURL_FUNCS(LIBCURL_SYM)
#undef LIBCURL_SYM
	if ((cc = libcurl.global_init_mem(CURL_GLOBAL_DEFAULT, malloc,
	    wipe_free, wipe_realloc, strdup, calloc)) != CURLE_OK) {
		log_err("%s: %s", LIBCURL_SONAME, libcurl.easy_strerror(cc));
		goto unload;
	}
	return 0;
fail:
	log_err("%s: %s", LIBCURL_SONAME, dlerror());
unload:
	dlclose(h);
	h = NULL;
	memset(&libcurl, 0, sizeof(libcurl));
	return -1;
}

/*
 * With a CA file, the built-in CA path goes: Debian's libcurl has one
 * (/etc/ssl/certs) besides its bundle, and keeping it would trust every
 * public CA next to the one configured.
 */
CURLcode
libcurl_easy(char *errbuf, const char *protocols, const char *ca_file,
    long timeout, CURL **out)
{
	CURLcode	 cc;
	CURL		*c;

	if ((*out = c = libcurl.easy_init()) == NULL)
		return CURLE_OUT_OF_MEMORY;
	if ((cc = libcurl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2)) != CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_TIMEOUT, timeout)) !=
	    CURLE_OK ||
	    (cc = libcurl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    timeout < CONNECT_TIMEOUT_MAX ? timeout : CONNECT_TIMEOUT_MAX)) !=
	    CURLE_OK)
		goto out;
	if (ca_file != NULL && *ca_file != '\0' &&
	    (cc = libcurl.easy_setopt(c, CURLOPT_CAINFO, ca_file)) == CURLE_OK)
		cc = libcurl.easy_setopt(c, CURLOPT_CAPATH, NULL);
out:
	if (cc != CURLE_OK) {
		libcurl.easy_cleanup(c);
		*out = NULL;
	}
	return cc;
}
