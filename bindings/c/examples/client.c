/*
 * client: opens a WebSocket connection, sends one message, prints the echo.
 *
 *     client HOST PORT PATH [MESSAGE]
 *
 * e.g. `client 127.0.0.1 9001 /echo hello`. It offers the subprotocol "chat",
 * sends MESSAGE (default "hello from the wshandshake C client") as a text
 * message and a few bytes as a binary message, checks that both come back
 * unchanged, closes with 1000 and waits for the server's close. Exit status 0
 * on success, 1 on any failure; the whole exchange is bounded by 10 seconds.
 *
 * The opening handshake: the C ABI of wshandshake has no client side yet, so
 * this example writes the request itself and checks the 101 by hand; the
 * library computes the Sec-WebSocket-Accept value the server must send
 * (wsh_accept_key()). wslay (Debian libwslay-dev) does the framing in client
 * mode, masking every frame with bytes from /dev/urandom.
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
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <wslay/wslay.h>

#include "wshandshake.h"

#define TIMEOUT_MS 10000
#define MAX_RESPONSE_HEAD 8192
#define SUBPROTOCOL "chat"

static const uint8_t binary_message[] = {0x00, 0x01, 0x02, 0xfd, 0xfe, 0xff};

struct client {
    int fd;
    int urandom_fd;
    struct timespec deadline;
    /* Bytes after the 101's head: the server's first frames, read first. */
    uint8_t leftover[MAX_RESPONSE_HEAD];
    size_t leftover_len;
    size_t leftover_off;
    const char *text;
    int echoes_ok; /* 0, 1 (text back), 2 (binary back too) */
    bool failed;
};

static int fail(const char *what) {
    fprintf(stderr, "client: %s\n", what);
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

/* Standard base64 of `len` bytes; `out` needs 4 * ((len + 2) / 3) + 1 bytes. */
static void base64_encode(const uint8_t *in, size_t len, char *out) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned long group = (unsigned long)in[i] << 16;
        if (i + 1 < len) {
            group |= (unsigned long)in[i + 1] << 8;
        }
        if (i + 2 < len) {
            group |= in[i + 2];
        }
        out[o++] = alphabet[(group >> 18) & 63];
        out[o++] = alphabet[(group >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(group >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[group & 63] : '=';
    }
    out[o] = '\0';
}

static int send_all(struct client *cl, const char *data, size_t len) {
    while (len > 0) {
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
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Finds header `name` in the response head (between the status line and the
 * empty line); copies its value, without surrounding blanks, into `value`.
 * Returns the number of fields with that name. */
static int find_header(const char *head, const char *name, char *value, size_t cap) {
    int found = 0;
    size_t name_len = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line != NULL && strncmp(line, "\r\n\r\n", 4) != 0) {
        line += 2;
        const char *end = strstr(line, "\r\n");
        if (end == NULL) {
            break;
        }
        if ((size_t)(end - line) > name_len && line[name_len] == ':' &&
            strncasecmp(line, name, name_len) == 0) {
            const char *v = line + name_len + 1;
            while (v < end && (*v == ' ' || *v == '\t')) {
                v++;
            }
            const char *v_end = end;
            while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t')) {
                v_end--;
            }
            if (found == 0 && cap > 0) {
                size_t n = (size_t)(v_end - v) < cap - 1 ? (size_t)(v_end - v) : cap - 1;
                memcpy(value, v, n);
                value[n] = '\0';
            }
            found++;
        }
        line = end;
    }
    return found;
}

/* True when the comma-separated list `list` has `token` (case-insensitive). */
static bool list_has_token(const char *list, const char *token) {
    size_t token_len = strlen(token);
    const char *p = list;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
        }
        const char *start = p;
        while (*p != '\0' && *p != ',') {
            p++;
        }
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
        if ((size_t)(end - start) == token_len && strncasecmp(start, token, token_len) == 0) {
            return true;
        }
    }
    return false;
}

/* Reads the response head; keeps the bytes after it in cl->leftover. */
static int read_response_head(struct client *cl, char *head, size_t cap) {
    size_t len = 0;
    for (;;) {
        if (len + 1 >= cap) {
            return fail("response head too large");
        }
        ssize_t n = recv(cl->fd, head + len, cap - 1 - len, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (wait_for(cl, POLLIN) != 0) {
                return -1;
            }
            continue;
        }
        if (n <= 0) {
            return fail("connection closed during the handshake");
        }
        len += (size_t)n;
        head[len] = '\0';
        char *end = strstr(head, "\r\n\r\n");
        if (end != NULL) {
            size_t head_len = (size_t)(end + 4 - head);
            cl->leftover_len = len - head_len;
            memcpy(cl->leftover, head + head_len, cl->leftover_len);
            head[head_len] = '\0';
            return 0;
        }
    }
}

static int opening_handshake(struct client *cl, const char *host, const char *port,
                             const char *path) {
    uint8_t nonce[16];
    char key[25];
    if (read_random(cl, nonce, sizeof nonce) != 0) {
        return fail("cannot read /dev/urandom");
    }
    base64_encode(nonce, sizeof nonce, key);

    char request[1024];
    /* An IPv6 literal needs brackets in Host. */
    bool ipv6 = strchr(host, ':') != NULL;
    int request_len = snprintf(request, sizeof request,
                               "GET %s HTTP/1.1\r\n"
                               "Host: %s%s%s:%s\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: %s\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Protocol: " SUBPROTOCOL "\r\n"
                               "\r\n",
                               path, ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, key);
    if (request_len < 0 || (size_t)request_len >= sizeof request) {
        return fail("request too long");
    }
    if (send_all(cl, request, (size_t)request_len) != 0) {
        return -1;
    }

    char head[MAX_RESPONSE_HEAD + 1];
    if (read_response_head(cl, head, sizeof head) != 0) {
        return -1;
    }
    /* RFC 6455 section 4.1: what the client must check in the response. */
    int status = 0;
    if (sscanf(head, "HTTP/1.1 %3d", &status) != 1 || status != 101) {
        fprintf(stderr, "client: expected 101, got: %.*s\n", (int)strcspn(head, "\r\n"), head);
        return -1;
    }
    char value[512];
    if (find_header(head, "Upgrade", value, sizeof value) != 1 ||
        strcasecmp(value, "websocket") != 0) {
        return fail("Upgrade is not websocket");
    }
    if (find_header(head, "Connection", value, sizeof value) < 1 ||
        !list_has_token(value, "upgrade")) {
        return fail("Connection does not list upgrade");
    }
    uint8_t expected[WSH_ACCEPT_KEY_LEN];
    if (wsh_accept_key((const uint8_t *)key, strlen(key), expected) != WSH_OK) {
        return fail("wsh_accept_key failed");
    }
    if (find_header(head, "Sec-WebSocket-Accept", value, sizeof value) != 1 ||
        strlen(value) != WSH_ACCEPT_KEY_LEN ||
        memcmp(value, expected, WSH_ACCEPT_KEY_LEN) != 0) {
        return fail("Sec-WebSocket-Accept does not match the key");
    }
    if (find_header(head, "Sec-WebSocket-Extensions", value, sizeof value) != 0) {
        return fail("the server selected an extension that was not offered");
    }
    int protocols = find_header(head, "Sec-WebSocket-Protocol", value, sizeof value);
    if (protocols > 1 || (protocols == 1 && strcmp(value, SUBPROTOCOL) != 0)) {
        return fail("the server selected a subprotocol that was not offered");
    }
    printf("connected: subprotocol %s\n", protocols == 1 ? value : "(none)");
    return 0;
}

/* ------------------------------------------------------------- wslay ----- */

static ssize_t ws_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
                       int flags, void *user_data) {
    struct client *cl = user_data;
    (void)flags;
    if (cl->leftover_off < cl->leftover_len) {
        size_t n = cl->leftover_len - cl->leftover_off;
        n = n < len ? n : len;
        memcpy(buf, cl->leftover + cl->leftover_off, n);
        cl->leftover_off += n;
        return (ssize_t)n;
    }
    ssize_t n;
    do {
        n = recv(cl->fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        return n;
    }
    bool again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    wslay_event_set_error(ctx, again ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

static ssize_t ws_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len,
                       int flags, void *user_data) {
    struct client *cl = user_data;
    (void)flags;
    ssize_t n;
    do {
        n = send(cl->fd, data, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        bool again = errno == EAGAIN || errno == EWOULDBLOCK;
        wslay_event_set_error(ctx, again ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return n;
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
    if (arg->opcode == WSLAY_TEXT_FRAME && cl->echoes_ok == 0 &&
        arg->msg_length == strlen(cl->text) && memcmp(arg->msg, cl->text, arg->msg_length) == 0) {
        printf("echo: %.*s\n", (int)arg->msg_length, (const char *)arg->msg);
        cl->echoes_ok = 1;
    } else if (arg->opcode == WSLAY_BINARY_FRAME && cl->echoes_ok == 1 &&
               arg->msg_length == sizeof binary_message &&
               memcmp(arg->msg, binary_message, sizeof binary_message) == 0) {
        printf("echo: %zu binary bytes\n", arg->msg_length);
        cl->echoes_ok = 2;
        wslay_event_queue_close(ctx, WSLAY_CODE_NORMAL_CLOSURE, NULL, 0);
    } else if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
        printf("closed by the server: %u\n", (unsigned)arg->status_code);
    } else if (!wslay_is_ctrl_frame(arg->opcode)) {
        fprintf(stderr, "client: unexpected message (opcode %u, %zu bytes)\n",
                (unsigned)arg->opcode, arg->msg_length);
        cl->failed = true;
        wslay_event_queue_close(ctx, WSLAY_CODE_PROTOCOL_ERROR, NULL, 0);
    }
}

static int exchange(struct client *cl) {
    struct wslay_event_callbacks callbacks = {
        ws_recv, ws_send, ws_genmask, NULL, NULL, NULL, ws_on_message,
    };
    wslay_event_context_ptr ws;
    if (wslay_event_context_client_init(&ws, &callbacks, cl) != 0) {
        return fail("wslay init failed");
    }
    struct wslay_event_msg text = {WSLAY_TEXT_FRAME, (const uint8_t *)cl->text, strlen(cl->text)};
    struct wslay_event_msg binary = {WSLAY_BINARY_FRAME, binary_message, sizeof binary_message};
    int result = 0;
    if (wslay_event_queue_msg(ws, &text) != 0 || wslay_event_queue_msg(ws, &binary) != 0) {
        result = fail("cannot queue the messages");
    }
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
    return result;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s HOST PORT PATH [MESSAGE]\n", argv[0]);
        return 2;
    }
    struct client cl;
    memset(&cl, 0, sizeof cl);
    cl.fd = -1;
    cl.text = argc == 5 ? argv[4] : "hello from the wshandshake C client";
    clock_gettime(CLOCK_MONOTONIC, &cl.deadline);
    cl.deadline.tv_sec += TIMEOUT_MS / 1000;
    cl.urandom_fd = open("/dev/urandom", O_RDONLY);
    int result = -1;
    if (cl.urandom_fd < 0) {
        fail("cannot open /dev/urandom");
    } else if (connect_to(&cl, argv[1], argv[2]) == 0 &&
               opening_handshake(&cl, argv[1], argv[2], argv[3]) == 0) {
        result = exchange(&cl);
    }
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
