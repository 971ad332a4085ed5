/*
 * confedit: one key of security.conf changed in place, every other byte
 * kept (comments, order, blank lines).
 */
#ifndef SEC_CONFEDIT_H
#define SEC_CONFEDIT_H

/*
 * Rewrites PATH with SECTION.KEY = VALUE, keeping every other line and
 * comment.  The key is replaced in place, or added at the end of its
 * section, or a new section is appended.  The value is checked against
 * the key list first (an unknown section or key is refused like a bad
 * value); the file is replaced atomically under a lock.  Returns 0 or a
 * sysexits code (EX_CONFIG for a bad key or value, EX_CANTCREAT when the
 * file cannot be written).
 */
int	confedit_set(const char *path, const char *section, const char *key,
	    const char *value);

#endif
