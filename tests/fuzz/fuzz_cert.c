/*
 * PEM as install and check take it: a private key (key_parse) and the
 * certificates (cert_parse), then what they ask of them.
 */
#include <openssl/x509.h>

#include <stdlib.h>

#include "cert.h"
#include "key.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509)	*chain = NULL;
	EVP_PKEY	*key = NULL;
	struct cert_info ci;
	X509		*leaf;
	char		*id = NULL, *pem = NULL;
	size_t		 len;

	if (key_parse("fuzz", (const char *)data, size, &key) != 0)
		key = NULL;
	if (cert_parse("fuzz", (const char *)data, size, &chain) != 0) {
		EVP_PKEY_free(key);
		return 0;
	}
	leaf = sk_X509_value(chain, 0);
	if (key != NULL)
		(void)cert_matches_key(leaf, key);
	EVP_PKEY_free(key);
	if (cert_info(leaf, &ci) == 0)
		cert_info_free(&ci);
	(void)cert_days_left(leaf, 1767225600);
	(void)cert_matches_host(leaf, "dev1.example.test");
	if (cert_ari_id(leaf, &id) == 0)
		free(id);
	if (cert_chain_pem(leaf, chain, &pem, &len) == 0)
		free(pem);
	cert_chain_free(chain);
	return 0;
}
