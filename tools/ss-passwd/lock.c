/*
 * lock: the one lock every password change takes.
 */
#include <limits.h>
#include <stdio.h>
#include <sysexits.h>

#include "extern.h"
#include "fs.h"
#include "log.h"

/*
 * DIR(shadow_file)/.pwd.lock, the file lckpwdf(3) locks: passwd(1),
 * useradd(8) and we then never rewrite the shadow file at the same time.
 */
int
lock_pwd(const struct ss_conf *c, int *fd)
{
	char	dir[PATH_MAX], path[PATH_MAX];
	int	rc;

	*fd = -1;
	if ((rc = fs_dirname(c->passwd.shadow_file, dir,
	    sizeof(dir))) != 0)
		return rc;
	if ((size_t)snprintf(path, sizeof(path), "%s/.pwd.lock", dir) >=
	    sizeof(path)) {
		log_err("%s/.pwd.lock: path too long", dir);
		return EX_CANTCREAT;
	}
	return fs_lock_record(path, LOCK_WAIT, fd);
}
