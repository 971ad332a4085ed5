/*
 * Helpers shared by the unit tests.  slurp, capture and sh_out fail the
 * running test through cmocka when the system refuses them; tmpdir_new
 * and tmpdir_free, made for setup and teardown, return NULL or -1
 * instead, as do tmpdir_put, tmpdir_conf, tmpdir_write, tls_certs_new,
 * ca_chain_new
 * python_start and python_run.  sh returns the command's exit status, -1 when it
 * did not exit.
 */

char	*slurp(const char *);
char	*slurp_stream(FILE *);
void	 capture_begin(int);
char	*capture_end(void);
char	*tmpdir_new(const char *);
int	 tmpdir_free(char *);
int	 tmpdir_put(const char *, const char *, const char *);
struct ss_conf;
int	 tmpdir_conf(const char *, const char *, struct ss_conf **);
int	 tmpdir_write(const char *, const char *, const void *, size_t);
int	 sh(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*sh_out(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 tls_certs_new(const char *, const char *);
int	 ca_chain_new(const char *);
int	 python_start(pid_t *, const char *const [], const char *, char *,
	    size_t);
int	 python_run(const char *const []);
void	 python_stop(pid_t *);
void	 skip_because(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
int	 loopback_bind(int *);
int	 loopback_free_port(void);
