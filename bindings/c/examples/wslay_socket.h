/*
 * wslay_socket.h: the bodies of wslay's recv and send callbacks over a
 * non-blocking socket, for the C examples that frame with wslay after the
 * handshake (echo_server.c, client.c). C99.
 */
#ifndef WSH_EXAMPLES_WSLAY_SOCKET_H
#define WSH_EXAMPLES_WSLAY_SOCKET_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <wslay/wslay.h>

/*
 * Reads for wslay: first the bytes that came in with the handshake's head
 * (`leftover[*leftover_off .. leftover_len]`, advancing `*leftover_off`),
 * then from `fd`. End of stream or an error is WSLAY_ERR_CALLBACK_FAILURE;
 * EAGAIN is WSLAY_ERR_WOULDBLOCK ("wait for readiness").
 */
static inline ssize_t wslay_socket_recv(wslay_event_context_ptr ctx, int fd,
                                        const uint8_t *leftover, size_t leftover_len,
                                        size_t *leftover_off, uint8_t *buf, size_t len) {
    if (*leftover_off < leftover_len) {
        size_t n = leftover_len - *leftover_off;
        n = n < len ? n : len;
        memcpy(buf, leftover + *leftover_off, n);
        *leftover_off += n;
        return (ssize_t)n;
    }
    ssize_t n;
    do {
        n = recv(fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        return n;
    }
    int again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    wslay_event_set_error(ctx, again ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

/* Writes for wslay to `fd` (no SIGPIPE); errors as wslay_socket_recv(). */
static inline ssize_t wslay_socket_send(wslay_event_context_ptr ctx, int fd, const uint8_t *data,
                                        size_t len) {
    ssize_t n;
    do {
        n = send(fd, data, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        int again = errno == EAGAIN || errno == EWOULDBLOCK;
        wslay_event_set_error(ctx, again ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return n;
}

#endif
