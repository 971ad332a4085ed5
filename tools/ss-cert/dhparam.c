/*
 * dhparam: Diffie-Hellman parameters for nginx's ssl_dhparam.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "certdir.h"
#include "dhparam.h"
#include "extern.h"
#include "fs.h"
#include "log.h"

#define SYNOPSIS "dhparam [--bits n] [--force] [--json]"

int
cmd_dhparam(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "bits",	required_argument,	NULL, 'b' },
		{ "force",	no_argument,		NULL, 'f' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL,		0,			NULL, 0 }
	};
	struct fs_dir	 d;
	char		 path[PATH_MAX];
	char		*pem = NULL;
	size_t		 len;
	long		 bits = -1;
	json_t		*paths;
	int		 ch, rc, force = 0, json = 0, changed = 0, have, had;
	int		 lockfd = -1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (tool_num("--bits", optarg, 2048, 8192, &bits) != 0)
				return EX_USAGE;
			break;
		case 'f':
			force = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return tool_usage(SYNOPSIS);
		}
	}
	if (optind != argc)
		return tool_usage(SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	if (bits == -1)
		bits = e->conf->certs.dhparam_bits;
	if ((rc = certdir_path(path, sizeof(path), e->conf, NULL,
	    "dhparam.pem")) != 0)
		return rc;

	if (!e->dry_run && (rc = store_lock(e->conf, &lockfd)) != 0)
		return rc;
	have = dhparam_bits(path);
	had = access(path, F_OK) == 0;
	if (have == bits && !force) {
		log_info("kept %s: already %ld bits; nothing changed", path,
		    bits);
		goto report;
	}
	changed = 1;
	if (e->dry_run) {
		log_info("would write %s (%ld bits)", path, bits);
		goto report;
	}
	log_info("generating %ld-bit DH parameters, this takes a while", bits);
	if ((rc = dhparam_pem((int)bits, &pem, &len)) != 0 ||
	    (rc = certdir_open(e->conf, &d)) != 0)
		goto out;
	rc = fs_write_at(&d, "dhparam.pem", pem, len, 0644);
	fs_dir_close(&d);
	if (rc != 0)
		goto out;
	log_info("wrote %s (%ld bits)", path, bits);
report:
	if (json) {
		if ((paths = json_array()) != NULL && changed)
			result_path(paths, path);
		rc = result_print(e, changed, !changed ? "unchanged" :
		    had ? "replaced" : "created", paths,
		    json_pack("{s:I}", "bits", (json_int_t)bits));
	}
out:
	free(pem);
	if (lockfd != -1)
		fs_unlock(lockfd);
	return rc;
}
