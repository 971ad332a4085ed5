/*
 * certdir: the certificates directory ([certs] dir):
 *
 *   DIR/self/server.crt, server.key     the self-signed pair (regular files)
 *   DIR/NAME/fullchain.pem, privkey.pem links to the current version
 *   DIR/dhparam.pem
 */
#ifndef SEC_CERTDIR_H
#define SEC_CERTDIR_H

#include <stddef.h>

#include "conf.h"
#include "fs.h"

#define CERTDIR_SELF	"self"

/* DIR/NAME/FILE, DIR/NAME (FILE NULL) or DIR/FILE (NAME NULL). */
int	certdir_path(char *, size_t, const struct ss_conf *, const char *name,
	    const char *file);
/* 1 when NAME can be one directory under DIR (no '/', not hidden). */
int	certdir_name_ok(const char *);
/*
 * Opens DIR (created 0755 when missing) through fs_dir_root: it must be
 * the effective user's and not writable by group or others.
 */
int	certdir_open(const struct ss_conf *, struct fs_dir *);
/*
 * Opens DIR/NAME into SUB, created 0755 when CREATE; a symlink or
 * anything but a directory there is refused.  DIR is opened and closed.
 */
int	certdir_open_name(const struct ss_conf *, const char *name, int create,
	    struct fs_dir *sub);
/* The certificate the device presents: NAME = fqdn if installed, else self. */
int	certdir_active(const struct ss_conf *, char *name, size_t namelen);
/*
 * certdir_active and the chain file of that certificate; EX_NOINPUT,
 * logged with the command that makes one, when there is none yet.
 */
int	certdir_active_file(const struct ss_conf *, char *name, size_t namelen,
	    char *path, size_t pathlen);
/*
 * DIR/NAME/FILE in BUF, once DIR and DIR/NAME are real directories kept
 * as certdir_open() wants them and FILE is a regular file or a link to
 * one in the same folder; a missing one is left to the reader.  For what
 * is read by its path; 0 or a sysexits code (logged).
 */
int	certdir_file(const struct ss_conf *, const char *name, const char *file,
	    char *buf, size_t len);
/* The same for the chain file and the key file of NAME. */
int	certdir_cert_file(const struct ss_conf *, const char *name, char *buf,
	    size_t len);
int	certdir_key_file(const struct ss_conf *, const char *name, char *buf,
	    size_t len);

#endif
