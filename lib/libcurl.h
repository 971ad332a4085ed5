/*
 * libcurl: the one loader of libcurl, for http.c and smtp.c.
 *
 * libcurl is opened with dlopen() when a tool first goes on the network:
 * with its dependencies it is some thirty shared objects, and a tool that
 * never does (a password check, a self-signed certificate) should not pay
 * for loading them at every start.  The linker never sees it, so the
 * package must name it as a dependency: LIBCURL_SONAME is Debian's
 * libcurl4 (the OpenSSL flavour), 7.85 or later for CURLOPT_PROTOCOLS_STR.
 *
 * The functions are called through the pointers in `libcurl', each of the
 * type of the function in <curl/curl.h>: a call with a wrong argument
 * does not compile.  (The value after the option of easy_setopt and
 * easy_getinfo is variadic, for every caller of libcurl.)
 */
#ifndef SEC_LIBCURL_H
#define SEC_LIBCURL_H

#include <curl/curl.h>

#define LIBCURL_SONAME	"libcurl.so.4"

#define LIBCURL_FUNCS(X)						\
	X(global_init_mem)						\
	X(easy_init)							\
	X(easy_setopt)							\
	X(easy_perform)							\
	X(easy_getinfo)							\
	X(easy_cleanup)							\
	X(easy_strerror)						\
	X(free)								\
	X(getdate)							\
	X(slist_append)							\
	X(slist_free_all)						\
	X(url)								\
	X(url_cleanup)							\
	X(url_get)							\
	X(url_set)

#define LIBCURL_PTR(f)	__typeof__(curl_##f) *f;
struct libcurl_api {
	LIBCURL_FUNCS(LIBCURL_PTR)
};
#undef LIBCURL_PTR

/* libcurl.easy_setopt(...) and so on, once libcurl_load() succeeded. */
extern struct libcurl_api libcurl;

/*
 * Opens libcurl and initialises it, once; later calls return at once.
 * Every block libcurl frees is wiped first: it holds copies of passwords,
 * of Authorization headers and of mail bodies.  0, or -1 (logged).
 */
int	 libcurl_load(void);

/*
 * A new easy handle with what every transfer here gets: errors in ERRBUF
 * (CURL_ERROR_SIZE bytes), PROTOCOLS only ("http,https"), TLS 1.2 or
 * later verified against CA_FILE (NULL or "" for the system store) and
 * the URL's host, TIMEOUT seconds for
 * the whole transfer and at most 30 for connecting, no signals.
 * CURLE_OK or why not; *OUT is NULL then.
 */
CURLcode libcurl_easy(char *errbuf, const char *protocols,
	    const char *ca_file, long timeout, CURL **out);

#endif
