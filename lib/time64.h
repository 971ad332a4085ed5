/*
 * time64: times as int64_t seconds since the epoch, UTC, from year 0 to
 * 9999, never through time_t, which is 32 bits on armhf and ends at
 * 2038-01-19 03:14:07.  Only "now" comes from the kernel as a time_t.
 *
 * Functions returning int return 1 on success and 0 otherwise, without
 * logging: the caller names the file and line.
 */
#ifndef SEC_TIME64_H
#define SEC_TIME64_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIME64_DAY	INT64_C(86400)
#define TIME64_MAX	INT64_C(253402300799)	/* 9999-12-31 23:59:59 */
#define TIME64_TEXT_MAX	32

/*
 * Now.  The kernel's time_t, so on a 32-bit time_t only until 2038, as
 * for every other program on such a system.
 */
int64_t	 time64_now(void);

/* Whole days since 1970-01-01 of a date (year 0 to 9999), and back. */
int64_t	 time64_days_from_civil(int y, int m, int d);
void	 time64_civil_from_days(int64_t, int *y, int *m, int *d);

/*
 * A broken-down UTC time (tm_year + 1900 from 0 to 9999, the other
 * fields in their ranges, a leap second taken as :59) as seconds, and
 * back (tm_wday and tm_yday filled, for strftime).
 */
int	 time64_from_tm(const struct tm *, int64_t *);
int	 time64_to_tm(int64_t, struct tm *);

/* Whole days from NOW to END, rounded down (negative once END is past). */
int64_t	 time64_days_left(int64_t end, int64_t now);

/*
 * T for people, "2026-11-22 23:50:01 UTC" or "2026-11-22", and for
 * machines, RFC 3339 "2026-11-22T23:50:01Z"; "?" when T is out of range
 * or the buffer too small (TIME64_TEXT_MAX is enough).
 */
void	 time64_text(char *, size_t, int64_t);
void	 time64_date(char *, size_t, int64_t);
void	 time64_rfc3339(char *, size_t, int64_t);

/*
 * RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS", optional fraction (dropped),
 * then "Z" or "+HH:MM"/"-HH:MM"; 't' and 'z' as RFC 3339 allows.
 */
int	 time64_parse_rfc3339(const char *, int64_t *);

/*
 * An HTTP-date in the preferred form of RFC 9110 (IMF-fixdate),
 * "Sun, 06 Nov 1994 08:49:37 GMT", which is what senders must send.
 */
int	 time64_parse_http_date(const char *, int64_t *);

/* A time in a state file: decimal seconds from 0 to TIME64_MAX. */
int	 time64_parse(const char *, int64_t *);

#endif
