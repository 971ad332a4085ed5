/*
 * shadow: one user's entry in [passwd] shadow_file, the format of
 * shadow(5): read, or its hash replaced with every other byte kept.
 */
#ifndef SEC_SHADOW_H
#define SEC_SHADOW_H

#include <stddef.h>

#include "conf.h"

/*
 * USER's hash (copied into HASH, LEN bytes), as getspnam(3) finds the
 * first entry; every line is checked.  0, EX_NOUSER, EX_DATAERR
 * (FILE:LINE) or the code of the read, logged.
 */
int	 shadow_get(const struct ss_conf *, const char *user, char *hash,
	    size_t len);
/*
 * USER's new HASH and last-change day (today), the rest of the file
 * untouched, replaced atomically with the old file kept as FILE-.
 */
int	 shadow_set(const struct ss_conf *, const char *user, const char *hash);

#endif
