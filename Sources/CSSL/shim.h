#ifndef PAYLATER_CSSL_SHIM_H
#define PAYLATER_CSSL_SHIM_H
#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/* Macros over SSL_ctrl / SSL_CTX_ctrl, which Swift cannot import. */
static inline int paylater_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline int paylater_ssl_ctx_set_minimum_tls12(SSL_CTX *context) {
    return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

/*
 * A socket BIO that sends with MSG_NOSIGNAL: OpenSSL's own socket BIO uses write(), which raises SIGPIPE (and kills
 * the process) when the peer has closed the connection. The descriptor is stored in the BIO's data pointer; the BIO
 * never closes it. EAGAIN/EINTR become "retry" so that SSL_get_error reports WANT_READ/WANT_WRITE.
 */
static int paylater_socket_bio_write(BIO *bio, const char *data, int length) {
    int descriptor = (int)(intptr_t)BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    ssize_t count = send(descriptor, data, (size_t)length, MSG_NOSIGNAL);
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
    return (int)count;
}

static int paylater_socket_bio_read(BIO *bio, char *data, int length) {
    int descriptor = (int)(intptr_t)BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    ssize_t count = recv(descriptor, data, (size_t)length, 0);
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
    return (int)count;
}

static long paylater_socket_bio_ctrl(BIO *bio, int command, long number, void *pointer) {
    (void)bio;
    (void)number;
    (void)pointer;
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

/* The method for paylater_socket_bio_new; NULL when OpenSSL cannot allocate it. Free with BIO_meth_free. */
static inline BIO_METHOD *paylater_socket_bio_method_new(void) {
    int index = BIO_get_new_index();
    if (index == -1) return NULL;
    BIO_METHOD *method = BIO_meth_new(index | BIO_TYPE_SOURCE_SINK, "paylater socket");
    if (method == NULL) return NULL;
    if (BIO_meth_set_write(method, paylater_socket_bio_write) != 1
        || BIO_meth_set_read(method, paylater_socket_bio_read) != 1
        || BIO_meth_set_ctrl(method, paylater_socket_bio_ctrl) != 1) {
        BIO_meth_free(method);
        return NULL;
    }
    return method;
}

/* A BIO over an already-connected socket; NULL when OpenSSL cannot allocate it. */
static inline BIO *paylater_socket_bio_new(BIO_METHOD *method, int descriptor) {
    BIO *bio = BIO_new(method);
    if (bio == NULL) return NULL;
    BIO_set_data(bio, (void *)(intptr_t)descriptor);
    BIO_set_init(bio, 1);
    return bio;
}
#endif
