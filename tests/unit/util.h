/*
 * Helpers shared by the unit tests.  slurp and capture fail the running
 * test through cmocka when the system refuses them; tmpdir_new and
 * tmpdir_free, made for setup and teardown, return NULL or -1 instead,
 * as do tmpdir_put, tls_certs_new, python_start and python_run.
 */

char	*slurp(const char *);
char	*slurp_stream(FILE *);
void	 capture_begin(int);
char	*capture_end(void);
char	*tmpdir_new(const char *);
int	 tmpdir_free(char *);
int	 tmpdir_put(const char *, const char *, const char *);
int	 tls_certs_new(const char *, const char *);
int	 python_start(pid_t *, const char *const [], const char *, char *,
	    size_t);
int	 python_run(const char *const []);
void	 python_stop(pid_t *);
void	 skip_because(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
int	 loopback_bind(int *);
int	 loopback_free_port(void);
