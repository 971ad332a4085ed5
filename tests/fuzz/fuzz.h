/*
 * What the libFuzzer harnesses share: the input as a string or as a file
 * in a directory of the harness's own, and a configuration to hand to the
 * code under test.
 */
#ifndef SEC_FUZZ_H
#define SEC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct ss_conf;

/* A property the code under test broke: abort(), which libFuzzer keeps. */
#define FUZZ_CHECK(x)	do {						\
	if (!(x))							\
		fuzz_fail(__FILE__, __LINE__, #x);			\
} while (0)

void	 fuzz_fail(const char *file, int line, const char *what)
	    __attribute__((noreturn));

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* DATA with a NUL after it (the code under test may need one). */
char	*fuzz_str(const uint8_t *data, size_t size);
/* DATA written to NAME, mode 0600, in the harness's directory: its path. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);
/* The path NAME would have in the harness's directory. */
const char *fuzz_path(const char *name);
/*
 * The configuration TEXT (its paths may name files of fuzz_path), loaded
 * once; the harness exits when it does not load.
 */
struct ss_conf *fuzz_conf(const char *text);
/* A configuration of one key, SECTION.KEY = the path of NAME (fuzz_path). */
struct ss_conf *fuzz_conf_path(const char *section, const char *key,
	    const char *name);

#endif
