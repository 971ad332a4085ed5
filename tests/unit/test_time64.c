/*
 * time64: dates as 64-bit seconds, also past 2038 where time_t is 32 bits.
 * Every value here is an int64_t literal; none goes through time_t.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "time64.h"

#define Y2038	INT64_C(2147483648)	/* 2038-01-19 03:14:08, past INT32 */

static void
test_days_and_dates_round_trip_from_1970_to_9999(void **state)
{
	int64_t	d, last = time64_days_from_civil(9999, 12, 31);
	int	y, m, dd, py, pm, pd;

	(void)state;
	assert_int_equal(time64_days_from_civil(1970, 1, 1), 0);
	time64_civil_from_days(-1, &py, &pm, &pd);
	assert_int_equal(py * 10000 + pm * 100 + pd, 19691231);
	/* Every day: the next day of the calendar, and back to its number. */
	for (d = 0; d <= last; d++) {
		time64_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(time64_days_from_civil(y, m, dd), d);
		if (dd == 1 && m == 1)
			assert_true(py == y - 1 && pm == 12 && pd == 31);
		else if (dd == 1)
			assert_true(py == y && pm == m - 1 && pd >= 28);
		else
			assert_true(py == y && pm == m && pd == dd - 1);
		py = y;
		pm = m;
		pd = dd;
	}
	assert_int_equal(py * 10000 + pm * 100 + pd, 99991231);
}

static void
test_leap_years_follow_the_gregorian_rule(void **state)
{
	int	y, m, d;

	(void)state;
	/* 2000 and 2400 have a February 29th; 2100 and 2200 do not. */
	time64_civil_from_days(time64_days_from_civil(2000, 2, 28) + 1,
	    &y, &m, &d);
	assert_true(m == 2 && d == 29);
	time64_civil_from_days(time64_days_from_civil(2100, 2, 28) + 1,
	    &y, &m, &d);
	assert_true(m == 3 && d == 1);
	time64_civil_from_days(time64_days_from_civil(2200, 2, 28) + 1,
	    &y, &m, &d);
	assert_true(m == 3 && d == 1);
	time64_civil_from_days(time64_days_from_civil(2400, 2, 28) + 1,
	    &y, &m, &d);
	assert_true(m == 2 && d == 29);
	assert_int_equal(time64_days_from_civil(2100, 3, 1) * TIME64_DAY,
	    INT64_C(4107542400));
}

static void
test_times_past_2038_are_printed_right(void **state)
{
	char	buf[TIME64_TEXT_MAX];

	(void)state;
	time64_text(buf, sizeof(buf), INT64_C(1795392601));
	assert_string_equal(buf, "2026-11-23 00:10:01 UTC");
	time64_text(buf, sizeof(buf), Y2038 - 1);
	assert_string_equal(buf, "2038-01-19 03:14:07 UTC");
	time64_text(buf, sizeof(buf), Y2038);
	assert_string_equal(buf, "2038-01-19 03:14:08 UTC");
	time64_date(buf, sizeof(buf), INT64_C(2540246399));
	assert_string_equal(buf, "2050-06-30");
	time64_rfc3339(buf, sizeof(buf), INT64_C(4107542400));
	assert_string_equal(buf, "2100-03-01T00:00:00Z");
	time64_rfc3339(buf, sizeof(buf), INT64_C(4294967296));
	assert_string_equal(buf, "2106-02-07T06:28:16Z");
	time64_text(buf, sizeof(buf), TIME64_MAX);
	assert_string_equal(buf, "9999-12-31 23:59:59 UTC");
	time64_text(buf, sizeof(buf), TIME64_MAX + 1);
	assert_string_equal(buf, "?");
	time64_text(buf, 8, Y2038);
	assert_string_equal(buf, "?");
}

static void
test_broken_down_time_converts_both_ways(void **state)
{
	struct tm	tm;
	int64_t		t;

	(void)state;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2100 - 1900;
	tm.tm_mon = 2;
	tm.tm_mday = 1;
	assert_true(time64_from_tm(&tm, &t));
	assert_int_equal(t, INT64_C(4107542400));
	assert_true(time64_to_tm(Y2038, &tm));
	assert_int_equal(tm.tm_year, 138);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 19);
	assert_int_equal(tm.tm_hour * 10000 + tm.tm_min * 100 + tm.tm_sec,
	    31408);
	assert_int_equal(tm.tm_wday, 2);	/* a Tuesday */
	assert_int_equal(tm.tm_yday, 18);
	assert_true(time64_from_tm(&tm, &t));
	assert_int_equal(t, Y2038);
	tm.tm_mon = 1;
	tm.tm_mday = 30;		/* 2038-02-30 */
	assert_false(time64_from_tm(&tm, &t));
	tm.tm_year = 10000 - 1900;
	tm.tm_mday = 1;
	assert_false(time64_from_tm(&tm, &t));
}

static void
test_days_left_round_down(void **state)
{
	(void)state;
	assert_int_equal(time64_days_left(INT64_C(4107542400), Y2038),
	    (INT64_C(4107542400) - Y2038) / TIME64_DAY);
	assert_int_equal(time64_days_left(Y2038 + TIME64_DAY - 1, Y2038), 0);
	assert_int_equal(time64_days_left(Y2038 + TIME64_DAY, Y2038), 1);
	assert_int_equal(time64_days_left(Y2038 - 1, Y2038), -1);
	assert_int_equal(time64_days_left(Y2038 - TIME64_DAY, Y2038), -1);
	assert_int_equal(time64_days_left(Y2038 - TIME64_DAY - 1, Y2038), -2);
	/* A certificate of 36500 days made today. */
	assert_int_equal(time64_days_left(INT64_C(1795392601) +
	    INT64_C(36500) * TIME64_DAY, INT64_C(1795392601)), 36500);
}

static void
test_rfc3339_is_parsed_with_offsets_and_fractions(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(time64_parse_rfc3339("2038-01-19T03:14:08Z", &t));
	assert_int_equal(t, Y2038);
	assert_true(time64_parse_rfc3339("2100-03-01T00:00:00.123456Z", &t));
	assert_int_equal(t, INT64_C(4107542400));
	assert_true(time64_parse_rfc3339("2100-03-01T01:30:00+01:30", &t));
	assert_int_equal(t, INT64_C(4107542400));
	assert_true(time64_parse_rfc3339("2100-02-28t22:00:00-02:00", &t));
	assert_int_equal(t, INT64_C(4107542400));
	assert_false(time64_parse_rfc3339("2100-02-29T00:00:00Z", &t));
	assert_false(time64_parse_rfc3339("2100-03-01T00:00:00", &t));
	assert_false(time64_parse_rfc3339("2100-03-01 00:00:00Z", &t));
	assert_false(time64_parse_rfc3339("2100-03-01T00:00:00.Z", &t));
	assert_false(time64_parse_rfc3339("2100-03-01T00:00:00Zx", &t));
	assert_false(time64_parse_rfc3339("2100-3-01T00:00:00Z", &t));
	assert_false(time64_parse_rfc3339(NULL, &t));
}

static void
test_http_dates_are_parsed_past_2038(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(time64_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT",
	    &t));
	assert_int_equal(t, INT64_C(784111777));
	assert_true(time64_parse_http_date("Tue, 19 Jan 2038 03:14:08 GMT",
	    &t));
	assert_int_equal(t, Y2038);
	assert_true(time64_parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT",
	    &t));
	assert_int_equal(t, TIME64_MAX);
	assert_false(time64_parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC",
	    &t));
	assert_false(time64_parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT",
	    &t));
	assert_false(time64_parse_http_date("Sun, 06 Nox 1994 08:49:37 GMT",
	    &t));
	assert_false(time64_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT",
	    &t));
	assert_false(time64_parse_http_date("Sux, 06 Nov 1994 08:49:37 GMT",
	    &t));
	assert_false(time64_parse_http_date(NULL, &t));
}

static void
test_state_file_times_are_checked(void **state)
{
	int64_t	t = 7;

	(void)state;
	assert_true(time64_parse("4102444800", &t));
	assert_int_equal(t, INT64_C(4102444800));
	assert_true(time64_parse("0", &t));
	assert_int_equal(t, 0);
	assert_true(time64_parse("253402300799", &t));
	assert_int_equal(t, TIME64_MAX);
	t = 7;
	assert_false(time64_parse("253402300800", &t));
	assert_false(time64_parse("-1", &t));
	assert_false(time64_parse("+5", &t));
	assert_false(time64_parse(" 5", &t));
	assert_false(time64_parse("5x", &t));
	assert_false(time64_parse("", &t));
	assert_false(time64_parse("99999999999999999999", &t));
	assert_int_equal(t, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_days_and_dates_round_trip_from_1970_to_9999),
		cmocka_unit_test(test_leap_years_follow_the_gregorian_rule),
		cmocka_unit_test(test_times_past_2038_are_printed_right),
		cmocka_unit_test(test_broken_down_time_converts_both_ways),
		cmocka_unit_test(test_days_left_round_down),
		cmocka_unit_test(
		    test_rfc3339_is_parsed_with_offsets_and_fractions),
		cmocka_unit_test(test_http_dates_are_parsed_past_2038),
		cmocka_unit_test(test_state_file_times_are_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
