#ifndef PAYLATER_CCRYPTO_SHIM_H
#define PAYLATER_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>

/* SHA-256 through OpenSSL's low-level functions, which OpenSSL 3.0 deprecates in favour of EVP but
 * keeps through 3.x. They hash in a caller-owned SHA256_CTX (a plain struct: copying it copies the hash state, which
 * HMAC with a precomputed key needs) without EVP's provider dispatch, context allocations and locks, which made an
 * HMAC of a 30-byte identifier cost about 11,000 instructions against about 5,500 for its two SHA-256 blocks
 * (callgrind, 2026-12-07). Wrapped here so that the deprecation is acknowledged in one place. They cannot fail on
 * valid pointers (each returns 1). Being outside the providers, they are not covered by an OpenSSL FIPS provider
 * configuration; a deployment that must use FIPS-validated hashing would go back to EVP here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline void paylater_sha256_init(SHA256_CTX *context) { SHA256_Init(context); }
static inline void paylater_sha256_update(SHA256_CTX *context, const void *data, size_t count) {
    SHA256_Update(context, data, count);
}
static inline void paylater_sha256_final(unsigned char *digest, SHA256_CTX *context) { SHA256_Final(digest, context); }
#pragma GCC diagnostic pop
#endif
