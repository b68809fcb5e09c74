#ifndef PAYLATER_CMICROHTTPD_SHIM_H
#define PAYLATER_CMICROHTTPD_SHIM_H
// microhttpd.h uses these types without including their headers.
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/// What `cmhd_start` needs besides the callbacks; a struct because MHD_start_daemon is variadic.
struct cmhd_settings {
    const char *bind_address; ///< IPv4 or IPv6 literal.
    uint16_t port;            ///< 0 lets the kernel pick one.
    unsigned int thread_count;    ///< Threads in the pool; 0 for a thread per connection.
    unsigned int connection_timeout_seconds;
    unsigned int connection_limit;
    unsigned int per_ip_connection_limit; ///< Connections at once from one client address.
};

/// How libmicrohttpd unescapes a path or query text in place: returns the new length (MHD_OPTION_UNESCAPE_CALLBACK).
typedef size_t (*cmhd_unescape_callback)(void *context, struct MHD_Connection *connection, char *text);

/// MHD_start_daemon is variadic, which Swift cannot call: starts a daemon with a thread per connection (polling its
/// own socket) or, given a thread count, an internal thread pool on epoll; ITC for MHD_quiesce_daemon, the given
/// address, a completion callback and an unescape callback. Returns NULL if the address is not a literal or the
/// daemon cannot start.
static inline struct MHD_Daemon *cmhd_start(const struct cmhd_settings *settings, MHD_AccessHandlerCallback handler,
                                            void *handler_context, MHD_RequestCompletedCallback completed,
                                            void *completed_context, cmhd_unescape_callback unescape) {
    struct sockaddr_in address4;
    struct sockaddr_in6 address6;
    const struct sockaddr *address;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC
        | (settings->thread_count == 0 ? MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL : MHD_USE_EPOLL);
    memset(&address4, 0, sizeof address4);
    memset(&address6, 0, sizeof address6);
    if (inet_pton(AF_INET, settings->bind_address, &address4.sin_addr) == 1) {
        address4.sin_family = AF_INET;
        address4.sin_port = htons(settings->port);
        address = (const struct sockaddr *)&address4;
    } else if (inet_pton(AF_INET6, settings->bind_address, &address6.sin6_addr) == 1) {
        address6.sin6_family = AF_INET6;
        address6.sin6_port = htons(settings->port);
        address = (const struct sockaddr *)&address6;
        flags |= MHD_USE_IPv6;
    } else {
        return NULL;
    }
    // A pool size of 0 means no pool, as a thread per connection requires.
    return MHD_start_daemon(flags, settings->port, NULL, NULL, handler, handler_context,
                            MHD_OPTION_SOCK_ADDR, address,
                            MHD_OPTION_THREAD_POOL_SIZE, settings->thread_count,
                            MHD_OPTION_CONNECTION_TIMEOUT, settings->connection_timeout_seconds,
                            MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings->per_ip_connection_limit,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                            MHD_OPTION_END);
}

/// MHD_get_daemon_info is variadic: the port the daemon is bound to, or 0 if unknown.
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// MHD_get_connection_info is variadic: writes the client's address as text into `buffer`; returns 0 on success.
static inline int cmhd_client_address(struct MHD_Connection *connection, char *buffer, socklen_t size) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return -1;
    const struct sockaddr *address = info->client_addr;
    const void *raw = address->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)address)->sin6_addr
                                                     : (const void *)&((const struct sockaddr_in *)address)->sin_addr;
    return inet_ntop(address->sa_family, raw, buffer, size) == NULL ? -1 : 0;
}

#endif
