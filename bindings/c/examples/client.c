/*
 * client: opens a WebSocket connection, sends messages, checks the echo.
 *
 *     client [OPTIONS] URL [MESSAGE]
 *     client [OPTIONS] HOST PORT PATH [MESSAGE]     (the same as ws://HOST:PORT/PATH)
 *
 * OPTIONS: --deflate (offer permessage-deflate), --deflate-windows N (offer
 * two: first one with both windows limited to N bits, 8..15, then the
 * browsers' offer as the fallback), --no-subprotocol (offer no subprotocol),
 * --rfc6455 (accept a server that selects no subprotocol; by default the
 * client fails the connection then, as browsers do).
 *
 * e.g. `client ws://127.0.0.1:9001/echo hello`. The opening handshake is
 * wshandshake's client side: the config is built from the URL
 * (wsh_client_config_builder_new()), offers the subprotocol "chat" and, with
 * --deflate, permessage-deflate as browsers offer it
 * ("permessage-deflate; client_max_window_bits"). The handle writes the
 * request and checks the server's response fed to it as it arrives (any
 * chunking). A refusal prints its status, reason and body; a response that
 * breaks RFC 6455 prints wsh_result_str() of the error. On success it prints
 * one line each for the selected subprotocol, the accepted extensions and the
 * negotiated permessage-deflate parameters:
 *
 *     subprotocol: chat                    (or "(none)")
 *     extension: permessage-deflate; ...   (one line per accepted element)
 *     deflate: server_no_context_takeover=0 client_no_context_takeover=0
 *              server_max_window_bits=12 client_max_window_bits=12   (one line)
 *                                          (or "deflate: none")
 *     deflate offer: 1                     (which offer the server accepted,
 *                                           wsh_client_deflate_offer_index())
 *
 * Then wslay (Debian libwslay-dev) frames in client mode, masking every frame
 * with bytes from /dev/urandom; the bytes that came after the 101's head are
 * handed to it before anything else is read. It sends MESSAGE (default "hello
 * from the wshandshake C client") as a text message and a few bytes as a
 * binary message, checks that both come back unchanged, closes with 1000 and
 * waits for the server's close. Exit status 0 on success, 1 on any failure or
 * refusal, 2 for bad arguments; the whole exchange is bounded by 10 seconds.
 *
 * permessage-deflate (RFC 7692), when the server accepted it: RSV1 is allowed
 * in wslay, and messages with RSV1 set are inflated with zlib (raw inflate
 * with the negotiated server_max_window_bits, after appending 00 00 ff ff,
 * section 7.2.2; the inflater is reset after each message when
 * server_no_context_takeover was agreed). The text message is sent compressed
 * (raw deflate with client_max_window_bits, sync flush, the trailing
 * 00 00 ff ff removed; the deflater is reset after each message when
 * client_no_context_takeover was agreed) and the binary message uncompressed,
 * RSV1 clear, which the RFC allows per message. zlib cannot compress with a
 * 256-byte window, so with client_max_window_bits=8 every message goes out
 * uncompressed. Each received message prints whether it was compressed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <wslay/wslay.h>
#include <zlib.h>

#include "wshandshake.h"
#include "wslay_socket.h"

#define TIMEOUT_MS 10000
#define READ_CHUNK 4096
#define MAX_URL 2048
#define MAX_INFLATED (1u << 20)
#define SUBPROTOCOL "chat"

static const uint8_t binary_message[] = {0x00, 0x01, 0x02, 0xfd, 0xfe, 0xff};
/* RFC 7692 section 7.2.1: what a sync flush ends with, removed when sending
 * and appended before inflating (section 7.2.2). */
static const uint8_t deflate_tail[] = {0x00, 0x00, 0xff, 0xff};

struct client {
    int fd;
    int urandom_fd;
    struct timespec deadline;
    /* Bytes after the 101's head: the server's first frames, read first. */
    uint8_t leftover[READ_CHUNK];
    size_t leftover_len;
    size_t leftover_off;
    const char *text;
    int echoes_ok; /* 0, 1 (text back), 2 (binary back too) */
    bool failed;
    /* permessage-deflate, when negotiated. */
    bool has_deflate;
    struct wsh_deflate_params deflate;
    bool inflater_ready, deflater_ready;
    z_stream inflater, deflater;
};

static int fail(const char *what) {
    fprintf(stderr, "client: %s\n", what);
    return -1;
}

static int fail_with(const char *what, wsh_result result) {
    fprintf(stderr, "client: %s: %s (%u)\n", what, wsh_result_str(result), (unsigned)result);
    return -1;
}

/* Milliseconds left before the deadline (0 when it has passed). */
static int remaining_ms(const struct client *cl) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (cl->deadline.tv_sec - now.tv_sec) * 1000L +
              (cl->deadline.tv_nsec - now.tv_nsec) / 1000000L;
    return ms > 0 ? (int)ms : 0;
}

/* Waits until fd is ready for `events`; -1 on timeout or error. */
static int wait_for(const struct client *cl, short events) {
    for (;;) {
        struct pollfd p = {cl->fd, events, 0};
        int ms = remaining_ms(cl);
        if (ms == 0) {
            return fail("timed out");
        }
        int r = poll(&p, 1, ms);
        if (r > 0) {
            return 0;
        }
        if (r < 0 && errno != EINTR) {
            return fail("poll failed");
        }
    }
}

static int read_random(const struct client *cl, uint8_t *buf, size_t len) {
    while (len > 0) {
        ssize_t n = read(cl->urandom_fd, buf, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int connect_to(struct client *cl, const char *host, const char *port) {
    struct addrinfo hints, *addrs;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, port, &hints, &addrs) != 0) {
        return fail("cannot resolve the host");
    }
    cl->fd = -1;
    for (struct addrinfo *a = addrs; a != NULL && cl->fd < 0; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) {
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            cl->fd = fd;
        } else {
            close(fd);
        }
    }
    freeaddrinfo(addrs);
    if (cl->fd < 0) {
        return fail("cannot connect");
    }
    int one = 1;
    setsockopt(cl->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int flags = fcntl(cl->fd, F_GETFL, 0);
    if (flags < 0 || fcntl(cl->fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        return fail("cannot make the socket non-blocking");
    }
    return 0;
}

/* ------------------------------------------------- opening handshake ----- */

/* The config: the URL, the subprotocol "chat", permessage-deflate if asked. */
struct options {
    bool offer_deflate;
    /* With --deflate-windows N: N, offered first with both windows limited;
     * 0 otherwise. */
    uint8_t small_windows;
    bool offer_subprotocol;
    bool rfc6455;
};

static int make_config(const char *url, const struct options *options,
                       const wsh_client_config **out) {
    wsh_client_config_builder *builder;
    wsh_result r = wsh_client_config_builder_new((const uint8_t *)url, strlen(url), &builder);
    if (r != WSH_OK) {
        return fail_with("bad URL", r);
    }
    if (options->offer_subprotocol) {
        r = wsh_client_config_builder_add_subprotocol(builder, (const uint8_t *)SUBPROTOCOL,
                                                      strlen(SUBPROTOCOL));
    }
    if (r == WSH_OK && options->rfc6455) {
        r = wsh_client_config_builder_subprotocol_mode(builder, WSH_CLIENT_SUBPROTOCOL_RFC6455);
    }
    if (r == WSH_OK && options->small_windows != 0) {
        /* "permessage-deflate; server_max_window_bits=N; client_max_window_bits=N",
         * preferred; the browsers' offer below is the fallback (RFC 7692
         * section 5.1: the server accepts the first it supports). */
        struct wsh_deflate_offer small;
        memset(&small, 0, sizeof small);
        small.server_max_window_bits = options->small_windows;
        small.offer_client_max_window_bits = true;
        small.client_max_window_bits = options->small_windows;
        r = wsh_client_config_builder_add_permessage_deflate(builder, &small);
    }
    if (r == WSH_OK && options->offer_deflate) {
        struct wsh_deflate_offer offer;
        r = wsh_deflate_offer_default(&offer);
        if (r == WSH_OK) {
            r = wsh_client_config_builder_add_permessage_deflate(builder, &offer);
        }
    }
    if (r != WSH_OK) {
        wsh_client_config_builder_free(builder);
        return fail_with("cannot configure the client", r);
    }
    r = wsh_client_config_builder_build(builder, out);
    return r == WSH_OK ? 0 : fail_with("cannot build the config", r);
}

/* Connects to the URL's host and port (wss:// is not supported here). */
static int connect_to_url(struct client *cl, const wsh_client_config *config) {
    struct wsh_client_url url;
    wsh_result r = wsh_client_config_url(config, &url);
    if (r != WSH_OK) {
        return fail_with("wsh_client_config_url", r);
    }
    if (url.secure) {
        return fail("wss:// needs TLS, which this example does not do");
    }
    char host[256], port[8];
    if (url.host_len >= sizeof host) {
        return fail("host name too long");
    }
    memcpy(host, url.host, url.host_len);
    host[url.host_len] = '\0';
    snprintf(port, sizeof port, "%u", (unsigned)url.port);
    return connect_to(cl, host, port);
}

static int send_request(struct client *cl, wsh_client *handshake) {
    for (;;) {
        const uint8_t *data;
        size_t len;
        wsh_result r = wsh_client_request(handshake, &data, &len);
        if (r != WSH_OK) {
            return fail_with("wsh_client_request", r);
        }
        if (len == 0) {
            return 0;
        }
        ssize_t n = send(cl->fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_for(cl, POLLOUT) != 0) {
                return fail("send failed");
            }
            continue;
        }
        r = wsh_client_request_advance(handshake, (size_t)n);
        if (r != WSH_OK) {
            return fail_with("wsh_client_request_advance", r);
        }
    }
}

static void print_status(const wsh_client *handshake) {
    uint16_t status;
    const uint8_t *reason;
    size_t reason_len;
    if (wsh_client_status(handshake, &status) == WSH_OK &&
        wsh_client_reason(handshake, &reason, &reason_len) == WSH_OK) {
        fprintf(stderr, "client: status %u %.*s\n", (unsigned)status, (int)reason_len,
                (const char *)reason);
    }
}

/* A refusal: its status line and body. */
static int report_refusal(const wsh_client *handshake) {
    print_status(handshake);
    const uint8_t *body;
    size_t body_len;
    if (wsh_client_body(handshake, &body, &body_len) == WSH_OK) {
        fprintf(stderr, "client: body (%zu bytes): %.*s\n", body_len, (int)body_len,
                (const char *)body);
    }
    return fail("the server refused the upgrade");
}

/* What the server agreed to, printed for the tests to compare. */
static int report_accept(struct client *cl, const wsh_client *handshake) {
    const uint8_t *data;
    size_t len, count;
    wsh_result r = wsh_client_subprotocol(handshake, &data, &len);
    if (r == WSH_OK) {
        printf("subprotocol: %.*s\n", (int)len, (const char *)data);
    } else if (r == WSH_NOT_FOUND) {
        printf("subprotocol: (none)\n");
    } else {
        return fail_with("wsh_client_subprotocol", r);
    }
    r = wsh_client_extension_count(handshake, &count);
    if (r != WSH_OK) {
        return fail_with("wsh_client_extension_count", r);
    }
    for (size_t i = 0; i < count; i++) {
        r = wsh_client_extension_at(handshake, i, &data, &len);
        if (r != WSH_OK) {
            return fail_with("wsh_client_extension_at", r);
        }
        printf("extension: %.*s\n", (int)len, (const char *)data);
    }
    r = wsh_client_deflate(handshake, &cl->deflate);
    if (r == WSH_OK) {
        cl->has_deflate = true;
        printf("deflate: server_no_context_takeover=%d client_no_context_takeover=%d "
               "server_max_window_bits=%u client_max_window_bits=%u\n",
               cl->deflate.server_no_context_takeover ? 1 : 0,
               cl->deflate.client_no_context_takeover ? 1 : 0,
               (unsigned)cl->deflate.server_max_window_bits,
               (unsigned)cl->deflate.client_max_window_bits);
        size_t offer_index = 0;
        r = wsh_client_deflate_offer_index(handshake, &offer_index);
        if (r != WSH_OK) {
            return fail_with("wsh_client_deflate_offer_index", r);
        }
        printf("deflate offer: %zu\n", offer_index);
    } else if (r == WSH_NOT_FOUND) {
        printf("deflate: none\n");
    } else {
        return fail_with("wsh_client_deflate", r);
    }
    fflush(stdout);
    return 0;
}

/* Feeds the server's bytes to the handle as they arrive; on accept keeps the
 * bytes after the head (the first frames) in cl->leftover. */
static int read_response(struct client *cl, wsh_client *handshake) {
    uint8_t buf[READ_CHUNK];
    for (;;) {
        ssize_t n = recv(cl->fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (wait_for(cl, POLLIN) != 0) {
                return -1;
            }
            continue;
        }
        if (n < 0) {
            return fail("recv failed");
        }
        wsh_client_decision decision;
        size_t consumed = 0;
        wsh_result r = n == 0 ? wsh_client_finish(handshake, &decision)
                              : wsh_client_feed(handshake, buf, (size_t)n, &consumed, &decision);
        if (r == WSH_NEED_MORE) {
            continue;
        }
        if (r != WSH_OK) {
            print_status(handshake);
            return fail_with(n == 0 ? "the connection closed during the handshake"
                                    : "handshake failed",
                             r);
        }
        if (decision == WSH_CLIENT_DECISION_REFUSED) {
            return report_refusal(handshake);
        }
        if (decision != WSH_CLIENT_DECISION_ACCEPTED) {
            return fail("unexpected decision");
        }
        cl->leftover_len = (size_t)n - consumed;
        memcpy(cl->leftover, buf + consumed, cl->leftover_len);
        if (cl->leftover_len > 0) {
            printf("after the head: %zu bytes, for wslay\n", cl->leftover_len);
        }
        return report_accept(cl, handshake);
    }
}

static int opening_handshake(struct client *cl, const wsh_client_config *config) {
    wsh_client *handshake;
    wsh_result r = wsh_client_new(config, &handshake);
    if (r != WSH_OK) {
        return fail_with("wsh_client_new", r);
    }
    int result = send_request(cl, handshake);
    if (result == 0) {
        result = read_response(cl, handshake);
    }
    wsh_client_free(handshake);
    return result;
}

/* ---------------------------------------------- permessage-deflate ----- */

static int deflate_setup(struct client *cl) {
    if (!cl->has_deflate) {
        return 0;
    }
    memset(&cl->inflater, 0, sizeof cl->inflater);
    if (inflateInit2(&cl->inflater, -(int)cl->deflate.server_max_window_bits) != Z_OK) {
        return fail("inflateInit2 failed");
    }
    cl->inflater_ready = true;
    /* zlib refuses a 256-byte window for raw deflate: then send uncompressed. */
    if (cl->deflate.client_max_window_bits >= 9) {
        memset(&cl->deflater, 0, sizeof cl->deflater);
        if (deflateInit2(&cl->deflater, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
                         -(int)cl->deflate.client_max_window_bits, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK) {
            return fail("deflateInit2 failed");
        }
        cl->deflater_ready = true;
    }
    return 0;
}

static void deflate_teardown(struct client *cl) {
    if (cl->inflater_ready) {
        inflateEnd(&cl->inflater);
    }
    if (cl->deflater_ready) {
        deflateEnd(&cl->deflater);
    }
}

/* Doubles the capacity of the malloc'ed *buf; on failure frees it and
 * returns false. */
static bool grow_buffer(uint8_t **buf, size_t *cap) {
    uint8_t *bigger = realloc(*buf, *cap * 2);
    if (bigger == NULL) {
        free(*buf);
        *buf = NULL;
        return false;
    }
    *buf = bigger;
    *cap *= 2;
    return true;
}

/* Inflates one compressed message into a new buffer (free it); NULL on error. */
static uint8_t *inflate_message(struct client *cl, const uint8_t *in, size_t in_len,
                                size_t *out_len) {
    size_t cap = 256, len = 0;
    uint8_t *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    for (int part = 0; part < 2; part++) {
        /* zlib's z_const is empty by default: next_in is not const. */
        cl->inflater.next_in = (Bytef *)(uintptr_t)(part == 0 ? in : deflate_tail);
        cl->inflater.avail_in = (uInt)(part == 0 ? in_len : sizeof deflate_tail);
        while (cl->inflater.avail_in > 0) {
            if (len == cap) {
                if (cap >= MAX_INFLATED) {
                    free(out);
                    fail("inflated message too large");
                    return NULL;
                }
                if (!grow_buffer(&out, &cap)) {
                    return NULL;
                }
            }
            cl->inflater.next_out = out + len;
            cl->inflater.avail_out = (uInt)(cap - len);
            int z = inflate(&cl->inflater, Z_SYNC_FLUSH);
            len = cap - cl->inflater.avail_out;
            if (z != Z_OK && z != Z_BUF_ERROR) {
                fprintf(stderr, "client: inflate: %s\n",
                        cl->inflater.msg ? cl->inflater.msg : "error");
                free(out);
                return NULL;
            }
        }
    }
    if (cl->deflate.server_no_context_takeover) {
        inflateReset(&cl->inflater);
    }
    *out_len = len;
    return out;
}

/* Compresses one message (RFC 7692 section 7.2.1) into a new buffer. */
static uint8_t *deflate_message(struct client *cl, const uint8_t *in, size_t in_len,
                                size_t *out_len) {
    size_t cap = deflateBound(&cl->deflater, (uLong)in_len) + 16, len = 0;
    uint8_t *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    cl->deflater.next_in = (Bytef *)(uintptr_t)in;
    cl->deflater.avail_in = (uInt)in_len;
    do {
        if (len == cap && !grow_buffer(&out, &cap)) {
            return NULL;
        }
        cl->deflater.next_out = out + len;
        cl->deflater.avail_out = (uInt)(cap - len);
        if (deflate(&cl->deflater, Z_SYNC_FLUSH) == Z_STREAM_ERROR) {
            free(out);
            return NULL;
        }
        len = cap - cl->deflater.avail_out;
    } while (cl->deflater.avail_out == 0);
    if (len < sizeof deflate_tail ||
        memcmp(out + len - sizeof deflate_tail, deflate_tail, sizeof deflate_tail) != 0) {
        free(out);
        fail("the sync flush did not end with 00 00 ff ff");
        return NULL;
    }
    if (cl->deflate.client_no_context_takeover) {
        deflateReset(&cl->deflater);
    }
    *out_len = len - sizeof deflate_tail;
    return out;
}

/* ------------------------------------------------------------- wslay ----- */

static ssize_t ws_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
                       int flags, void *user_data) {
    struct client *cl = user_data;
    (void)flags;
    return wslay_socket_recv(ctx, cl->fd, cl->leftover, cl->leftover_len, &cl->leftover_off, buf,
                             len);
}

static ssize_t ws_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len,
                       int flags, void *user_data) {
    struct client *cl = user_data;
    (void)flags;
    return wslay_socket_send(ctx, cl->fd, data, len);
}

/* Client frames are masked with unpredictable keys (RFC 6455 section 5.3). */
static int ws_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
                      void *user_data) {
    (void)ctx;
    return read_random(user_data, buf, len) == 0 ? 0 : WSLAY_ERR_CALLBACK_FAILURE;
}

static void ws_on_message(wslay_event_context_ptr ctx,
                          const struct wslay_event_on_msg_recv_arg *arg,
                          void *user_data) {
    struct client *cl = user_data;
    if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
        printf("closed by the server: %u\n", (unsigned)arg->status_code);
        return;
    }
    if (wslay_is_ctrl_frame(arg->opcode)) {
        return;
    }
    const uint8_t *msg = arg->msg;
    size_t msg_len = arg->msg_length;
    uint8_t *inflated = NULL;
    bool compressed = wslay_get_rsv1(arg->rsv) != 0;
    if (compressed) {
        if (!cl->has_deflate) {
            fail("RSV1 set without permessage-deflate");
        } else {
            inflated = inflate_message(cl, msg, msg_len, &msg_len);
        }
        if (inflated == NULL) {
            cl->failed = true;
            wslay_event_queue_close(ctx, 1007, NULL, 0);
            return;
        }
        msg = inflated;
    }
    const char *how = compressed ? "compressed" : "uncompressed";
    if (arg->opcode == WSLAY_TEXT_FRAME && cl->echoes_ok == 0 &&
        msg_len == strlen(cl->text) && memcmp(msg, cl->text, msg_len) == 0) {
        printf("echo (%s, %zu bytes on the wire): %.*s\n", how, arg->msg_length, (int)msg_len,
               (const char *)msg);
        cl->echoes_ok = 1;
    } else if (arg->opcode == WSLAY_BINARY_FRAME && cl->echoes_ok == 1 &&
               msg_len == sizeof binary_message &&
               memcmp(msg, binary_message, sizeof binary_message) == 0) {
        printf("echo (%s, %zu bytes on the wire): %zu binary bytes\n", how, arg->msg_length,
               msg_len);
        cl->echoes_ok = 2;
        wslay_event_queue_close(ctx, WSLAY_CODE_NORMAL_CLOSURE, NULL, 0);
    } else {
        fprintf(stderr, "client: unexpected message (opcode %u, %zu bytes)\n",
                (unsigned)arg->opcode, msg_len);
        cl->failed = true;
        wslay_event_queue_close(ctx, WSLAY_CODE_PROTOCOL_ERROR, NULL, 0);
    }
    free(inflated);
}

/* Queues the text message, compressed when a deflater is ready. */
static int queue_text(struct client *cl, wslay_event_context_ptr ws) {
    struct wslay_event_msg text = {WSLAY_TEXT_FRAME, (const uint8_t *)cl->text, strlen(cl->text)};
    if (!cl->deflater_ready) {
        printf("sent: text, uncompressed\n");
        return wslay_event_queue_msg(ws, &text);
    }
    size_t len;
    uint8_t *compressed = deflate_message(cl, text.msg, text.msg_length, &len);
    if (compressed == NULL) {
        return -1;
    }
    printf("sent: text, compressed %zu -> %zu bytes\n", text.msg_length, len);
    struct wslay_event_msg frame = {WSLAY_TEXT_FRAME, compressed, len};
    /* wslay copies the payload. */
    int r = wslay_event_queue_msg_ex(ws, &frame, WSLAY_RSV1_BIT);
    free(compressed);
    return r;
}

static int exchange(struct client *cl) {
    struct wslay_event_callbacks callbacks = {
        ws_recv, ws_send, ws_genmask, NULL, NULL, NULL, ws_on_message,
    };
    wslay_event_context_ptr ws;
    if (wslay_event_context_client_init(&ws, &callbacks, cl) != 0) {
        return fail("wslay init failed");
    }
    if (cl->has_deflate) {
        wslay_event_config_set_allowed_rsv_bits(ws, WSLAY_RSV1_BIT);
    }
    struct wslay_event_msg binary = {WSLAY_BINARY_FRAME, binary_message, sizeof binary_message};
    int result = deflate_setup(cl);
    if (result == 0 && (queue_text(cl, ws) != 0 || wslay_event_queue_msg(ws, &binary) != 0)) {
        result = fail("cannot queue the messages");
    }
    printf("sent: binary, uncompressed\n");
    /* Bytes that came with the 101 first; then whatever poll() reports. */
    bool readable = cl->leftover_len > 0, writable = true;
    while (result == 0 && (wslay_event_want_read(ws) || wslay_event_want_write(ws))) {
        if ((readable && wslay_event_recv(ws) != 0) ||
            (writable && wslay_event_send(ws) != 0)) {
            result = fail("connection failed");
            break;
        }
        short events = (short)((wslay_event_want_read(ws) ? POLLIN : 0) |
                               (wslay_event_want_write(ws) ? POLLOUT : 0));
        if (events == 0) {
            break;
        }
        /* Frames still in the leftover buffer need no poll(). */
        if (cl->leftover_off < cl->leftover_len && wslay_event_want_read(ws)) {
            readable = true;
            writable = wslay_event_want_write(ws);
            continue;
        }
        struct pollfd p = {cl->fd, events, 0};
        int ms = remaining_ms(cl);
        int r = ms > 0 ? poll(&p, 1, ms) : 0;
        if (r == 0) {
            result = fail("timed out");
        } else if (r < 0 && errno != EINTR) {
            result = fail("poll failed");
        }
        readable = r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
        writable = r > 0 && (p.revents & POLLOUT);
    }
    if (result == 0 && (cl->failed || cl->echoes_ok != 2)) {
        result = fail("the echo did not come back");
    }
    if (result == 0 && !wslay_event_get_close_received(ws)) {
        result = fail("no close frame from the server");
    }
    wslay_event_context_free(ws);
    deflate_teardown(cl);
    return result;
}

/* HOST PORT PATH as a ws:// URL (an IPv6 literal in brackets). */
static int url_from_parts(const char *host, const char *port, const char *path, char *url,
                          size_t cap) {
    bool ipv6 = strchr(host, ':') != NULL;
    int n = snprintf(url, cap, "ws://%s%s%s:%s%s%s", ipv6 ? "[" : "", host, ipv6 ? "]" : "",
                     port, path[0] == '/' ? "" : "/", path);
    return n > 0 && (size_t)n < cap ? 0 : fail("URL too long");
}

static int usage(const char *program) {
    fprintf(stderr,
            "usage: %s [--deflate] [--deflate-windows N] [--no-subprotocol] [--rfc6455] URL "
            "[MESSAGE]\n"
            "       %s [--deflate] [--deflate-windows N] [--no-subprotocol] [--rfc6455] HOST "
            "PORT PATH [MESSAGE]\n",
            program, program);
    return 2;
}

int main(int argc, char **argv) {
    struct options options = {false, 0, true, false};
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--deflate") == 0) {
            options.offer_deflate = true;
        } else if (strcmp(argv[first], "--deflate-windows") == 0 && first + 1 < argc) {
            char *end = NULL;
            long bits = strtol(argv[++first], &end, 10);
            if (end == argv[first] || *end != '\0' || bits < 8 || bits > 15) {
                return usage(argv[0]);
            }
            options.small_windows = (uint8_t)bits;
            options.offer_deflate = true;
        } else if (strcmp(argv[first], "--no-subprotocol") == 0) {
            options.offer_subprotocol = false;
        } else if (strcmp(argv[first], "--rfc6455") == 0) {
            options.rfc6455 = true;
        } else {
            return usage(argv[0]);
        }
    }
    int args = argc - first;
    char url[MAX_URL];
    const char *text = "hello from the wshandshake C client";
    if (args >= 1 && (strncmp(argv[first], "ws://", 5) == 0 ||
                      strncmp(argv[first], "wss://", 6) == 0)) {
        if (args > 2 || strlen(argv[first]) >= sizeof url) {
            return usage(argv[0]);
        }
        strcpy(url, argv[first]);
        text = args == 2 ? argv[first + 1] : text;
    } else if (args == 3 || args == 4) {
        if (url_from_parts(argv[first], argv[first + 1], argv[first + 2], url, sizeof url) != 0) {
            return 2;
        }
        text = args == 4 ? argv[first + 3] : text;
    } else {
        return usage(argv[0]);
    }

    struct client cl;
    memset(&cl, 0, sizeof cl);
    cl.fd = -1;
    cl.text = text;
    clock_gettime(CLOCK_MONOTONIC, &cl.deadline);
    cl.deadline.tv_sec += TIMEOUT_MS / 1000;
    cl.urandom_fd = open("/dev/urandom", O_RDONLY);
    const wsh_client_config *config = NULL;
    int result = -1;
    if (cl.urandom_fd < 0) {
        fail("cannot open /dev/urandom");
    } else if (make_config(url, &options, &config) == 0 &&
               connect_to_url(&cl, config) == 0 && opening_handshake(&cl, config) == 0) {
        result = exchange(&cl);
    }
    wsh_client_config_free(config);
    if (cl.fd >= 0) {
        close(cl.fd);
    }
    if (cl.urandom_fd >= 0) {
        close(cl.urandom_fd);
    }
    if (result == 0) {
        printf("ok\n");
    }
    return result == 0 ? 0 : 1;
}
