/*
 * log: diagnostics on stderr, prefixed with the program name.  When stderr
 * is systemd's journal (JOURNAL_STREAM names it), each line also starts
 * with its sd-daemon(3) priority, "<3>" for an error, so that journalctl -p
 * sorts them.  Nothing here writes to stdout.
 */
#ifndef SEC_LOG_H
#define SEC_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

/*
 * Sets the prefix (basename of argv0) and the default level (INFO), and
 * looks once whether stderr is the journal.
 */
void	log_init(const char *argv0);
/* -v raises, -q lowers the level; clamped to ERR..DEBUG. */
void	log_set_level(enum log_level);
enum log_level log_get_level(void);
const char *log_progname(void);

void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * At DEBUG: the start of TEXT (LEN bytes, up to 2 KiB), one line of log per
 * line of it, when it is printable (JSON, problem documents, PEM); anything
 * else could upset a terminal and is only counted.
 */
void	log_debug_text(const char *text, size_t len);

#endif
