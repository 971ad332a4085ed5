/*
 * Helpers shared by the unit tests.  slurp and capture fail the running
 * test through cmocka when the system refuses them; tmpdir_new and
 * tmpdir_free, made for setup and teardown, return NULL or -1 instead.
 */

char	*slurp(const char *);
char	*slurp_stream(FILE *);
void	 capture_begin(int);
char	*capture_end(void);
char	*tmpdir_new(const char *);
int	 tmpdir_free(char *);
