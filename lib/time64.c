#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "time64.h"

/*
 * Dates are counted in 400-year cycles of 146097 days that start on
 * March 1st, so that the leap day ends a year; month 0 is March.
 */
#define CYCLE_DAYS	146097
#define MARCH_1_1970	719468	/* days from 0000-03-01 to 1970-01-01 */

int64_t
time64_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec;
}

int64_t
time64_days_from_civil(int y, int m, int d)
{
	int64_t	cycle, yc, yd, cd;
	int	mar;

	if (m <= 2)
		y--;
	cycle = (y >= 0 ? y : y - 399) / 400;
	yc = y - cycle * 400;				/* 0..399 */
	mar = m > 2 ? m - 3 : m + 9;			/* 0..11 */
	yd = (153 * mar + 2) / 5 + d - 1;		/* 0..365 */
	cd = yc * 365 + yc / 4 - yc / 100 + yd;		/* 0..146096 */
	return cycle * CYCLE_DAYS + cd - MARCH_1_1970;
}

void
time64_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t	cycle, cd, yc, yd, mar;

	days += MARCH_1_1970;
	cycle = (days >= 0 ? days : days - CYCLE_DAYS + 1) / CYCLE_DAYS;
	cd = days - cycle * CYCLE_DAYS;
	yc = (cd - cd / 1460 + cd / 36524 - cd / 146096) / 365;
	yd = cd - (365 * yc + yc / 4 - yc / 100);
	mar = (5 * yd + 2) / 153;
	*d = (int)(yd - (153 * mar + 2) / 5 + 1);
	*m = (int)(mar < 10 ? mar + 3 : mar - 9);
	*y = (int)(yc + cycle * 400 + (*m <= 2 ? 1 : 0));
}

static int
time64_month_days(int y, int m)
{
	static const int	n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

int
time64_from_tm(const struct tm *tm, int64_t *out)
{
	int	y = tm->tm_year + 1900, m = tm->tm_mon + 1;

	if (tm->tm_year < -1900 || tm->tm_year > 9999 - 1900 ||
	    m < 1 || m > 12 || tm->tm_mday < 1 ||
	    tm->tm_mday > time64_month_days(y, m) ||
	    tm->tm_hour < 0 || tm->tm_hour > 23 ||
	    tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 60)
		return 0;
	*out = time64_days_from_civil(y, m, tm->tm_mday) * TIME64_DAY +
	    tm->tm_hour * 3600 + tm->tm_min * 60 +
	    (tm->tm_sec == 60 ? 59 : tm->tm_sec);
	return 1;
}

int
time64_to_tm(int64_t t, struct tm *tm)
{
	int64_t	days, secs;
	int	y, m, d;

	if (t < time64_days_from_civil(0, 1, 1) * TIME64_DAY ||
	    t > TIME64_MAX)
		return 0;
	days = t / TIME64_DAY;
	secs = t % TIME64_DAY;
	if (secs < 0) {
		secs += TIME64_DAY;
		days--;
	}
	time64_civil_from_days(days, &y, &m, &d);
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((days + 4) % 7 + 7) % 7);	/* 1970-01-01: Thu */
	tm->tm_yday = (int)(days - time64_days_from_civil(y, 1, 1));
	return 1;
}

int64_t
time64_days_left(int64_t end, int64_t now)
{
	int64_t	diff = end - now;

	if (diff < 0)
		return -((-diff + TIME64_DAY - 1) / TIME64_DAY);
	return diff / TIME64_DAY;
}

static void
time64_format(char *buf, size_t len, int64_t t, const char *fmt)
{
	struct tm	tm;

	if (!time64_to_tm(t, &tm) || strftime(buf, len, fmt, &tm) == 0)
		snprintf(buf, len, "?");
}

void
time64_text(char *buf, size_t len, int64_t t)
{
	time64_format(buf, len, t, "%Y-%m-%d %H:%M:%S UTC");
}

void
time64_date(char *buf, size_t len, int64_t t)
{
	time64_format(buf, len, t, "%Y-%m-%d");
}

void
time64_rfc3339(char *buf, size_t len, int64_t t)
{
	time64_format(buf, len, t, "%Y-%m-%dT%H:%M:%SZ");
}

/* N digits at *P as a number, *P moved past them; -1 if not N digits. */
static int
time64_digits(const char **p, int n)
{
	int	v = 0;

	for (; n > 0; n--, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

int
time64_parse_rfc3339(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*p = s;
	int64_t		 t;
	int		 off = 0, sign, oh, om;

	if (s == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((tm.tm_year = time64_digits(&p, 4)) < 0 || *p++ != '-' ||
	    (tm.tm_mon = time64_digits(&p, 2)) < 0 || *p++ != '-' ||
	    (tm.tm_mday = time64_digits(&p, 2)) < 0 ||
	    (*p != 'T' && *p != 't'))
		return 0;
	p++;
	if ((tm.tm_hour = time64_digits(&p, 2)) < 0 || *p++ != ':' ||
	    (tm.tm_min = time64_digits(&p, 2)) < 0 || *p++ != ':' ||
	    (tm.tm_sec = time64_digits(&p, 2)) < 0)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if ((oh = time64_digits(&p, 2)) < 0 || oh > 23 ||
		    *p++ != ':' || (om = time64_digits(&p, 2)) < 0 || om > 59)
			return 0;
		off = sign * (oh * 3600 + om * 60);
	} else
		return 0;
	if (*p != '\0' || !time64_from_tm(&tm, &t))
		return 0;
	*out = t - off;
	return 1;
}

/* Which of the N three-letter names in TABLE starts P; -1 when none. */
static int
time64_name(const char *table, int n, const char *p)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strncmp(table + 3 * i, p, 3) == 0)
			return i;
	return -1;
}

int
time64_parse_http_date(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*p = s;
	int64_t		 t;

	if (s == NULL || strlen(s) != 29)
		return 0;
	memset(&tm, 0, sizeof(tm));
	/* The day name is checked for form only: the date decides. */
	if (time64_name("MonTueWedThuFriSatSun", 7, p) < 0 ||
	    strncmp(p + 3, ", ", 2) != 0)
		return 0;
	p += 5;
	if ((tm.tm_mday = time64_digits(&p, 2)) < 0 || *p++ != ' ' ||
	    (tm.tm_mon = time64_name("JanFebMarAprMayJunJulAugSepOctNovDec",
	    12, p)) < 0)
		return 0;
	p += 3;
	if (*p++ != ' ' || (tm.tm_year = time64_digits(&p, 4)) < 0 ||
	    *p++ != ' ' || (tm.tm_hour = time64_digits(&p, 2)) < 0 ||
	    *p++ != ':' || (tm.tm_min = time64_digits(&p, 2)) < 0 ||
	    *p++ != ':' || (tm.tm_sec = time64_digits(&p, 2)) < 0 ||
	    strcmp(p, " GMT") != 0)
		return 0;
	tm.tm_year -= 1900;
	if (!time64_from_tm(&tm, &t))
		return 0;
	*out = t;
	return 1;
}

int
time64_parse(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > TIME64_MAX)
		return 0;
	*out = v;
	return 1;
}
