/*
 * check: the result of a monitoring check, in the codes Nagios, Icinga and
 * Zabbix read (monitoring-plugins guidelines): a status and the problems
 * that made it.
 */
#ifndef SEC_CHECK_H
#define SEC_CHECK_H

#define CHECK_OK	0
#define CHECK_WARNING	1
#define CHECK_CRITICAL	2
#define CHECK_UNKNOWN	3

#define CHECK_PROBLEMS	8
#define CHECK_TEXT	320

struct check {
	int	status;
	int	nproblems;
	char	problems[CHECK_PROBLEMS][CHECK_TEXT];
};

/*
 * Adds a problem of STATUS.  The worst one sets the status, where a known
 * failure (CRITICAL) outweighs one that could not be judged (UNKNOWN),
 * which outweighs a WARNING.  Problems past CHECK_PROBLEMS still count
 * toward the status.
 */
void	check_problem(struct check *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * The worse of two statuses, by the order check_problem() keeps:
 * CRITICAL, then UNKNOWN, then WARNING, then OK.
 */
int	check_worse(int a, int b);

/* "OK", "WARNING", "CRITICAL" or "UNKNOWN". */
const char *check_status_name(int status);

/* The problems as a JSON array of strings for --json; NULL: no memory. */
struct json_t;
struct json_t *check_problems_json(const struct check *);

#endif
