/*
 * echo_server: a small WebSocket echo server on 127.0.0.1.
 *
 *     echo_server [PORT]        (0 or nothing: pick a free port)
 *
 * It prints "listening on <port>" once it accepts connections, and stops
 * cleanly on SIGINT or SIGTERM.
 *
 * One thread, one poll() loop, non-blocking sockets. wshandshake does the
 * opening handshake (one wsh_server_config for all connections, one wsh_server
 * handle per connection slot, reset when the slot is reused); wslay (Debian
 * libwslay-dev) does the framing afterwards: it echoes text and binary
 * messages, answers pings and completes the closing handshake.
 *
 * What each request gets:
 * - a WebSocket upgrade to "/" or "/echo": 101 (subprotocol "chat" or
 *   "superchat" when offered; permessage-deflate off, wslay has none), then
 *   the echo;
 * - a WebSocket upgrade to another path: 404, made by wsh_server_reject();
 * - an invalid upgrade request: the engine's ready-made rejection;
 * - a plain GET /: an HTML page whose script tests the echo from a browser
 *   and writes PASS or FAIL into <div id=result>;
 * - other plain requests: 404 or 405, made by wsh_server_reject().
 * Every HTTP response closes the connection.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wslay/wslay.h>

#include "echo_common.h"
#include "wshandshake.h"
#include "wslay_socket.h"

#define MAX_CONNECTIONS 64
#define READ_CHUNK 4096
#define MAX_MESSAGE (64u << 20)

/* Where a connection is in its life. */
enum conn_state {
    CONN_FREE,         /* the slot is unused */
    CONN_HANDSHAKE,    /* reading the request head */
    CONN_SEND_101,     /* sending the 101, then WebSocket */
    CONN_SEND_AND_CLOSE, /* sending an HTTP response, then closing */
    CONN_WEBSOCKET     /* wslay owns the connection */
};

struct conn {
    int fd;
    enum conn_state state;
    unsigned long id;
    /* Made on the slot's first connection, reset for each later one. */
    wsh_server *handshake;
    /* The page's response is ours, not the engine's (the engine only writes
     * 101s and error responses); NULL when the engine's pending response is
     * being sent. */
    const char *own_response;
    size_t own_len;
    size_t own_sent;
    /* Bytes that arrived after the request head: the client's first frames.
     * wslay reads them before anything else from the socket. */
    uint8_t leftover[READ_CHUNK];
    size_t leftover_len;
    size_t leftover_off;
    wslay_event_context_ptr ws;
};

struct server {
    int listen_fd;
    const wsh_server_config *config;
    struct conn conns[MAX_CONNECTIONS];
    unsigned long next_id;
    char *page_response; /* the complete HTTP response for GET / */
    size_t page_response_len;
};

static const char page_html[] = ECHO_PAGE_HTML("wshandshake echo");

/* The signal handler writes a byte here; poll() watches the other end, so a
 * signal that arrives at any moment wakes the loop. */
static int signal_pipe[2] = {-1, -1};

static void on_signal(int signo) {
    int saved_errno = errno;
    unsigned char byte = (unsigned char)signo;
    ssize_t ignored = write(signal_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved_errno;
}

static int set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) {
        return -1;
    }
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static bool would_block(void) {
    return errno == EAGAIN || errno == EWOULDBLOCK;
}

static bool bytes_equal(const uint8_t *data, size_t len, const char *text) {
    return len == strlen(text) && memcmp(data, text, len) == 0;
}

/* ---------------------------------------------------------------- slots -- */

static void conn_close(struct conn *c) {
    if (c->ws != NULL) {
        wslay_event_context_free(c->ws);
        c->ws = NULL;
    }
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    c->state = CONN_FREE;
}

/* After an HTTP response: tell the client we are done, then close. */
static void conn_finish_http(struct conn *c) {
    shutdown(c->fd, SHUT_WR);
    conn_close(c);
}

static struct conn *conn_open(struct server *srv, int fd) {
    for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
        struct conn *c = &srv->conns[i];
        if (c->state != CONN_FREE) {
            continue;
        }
        /* Reuse the slot's handle; make one if it has none, or if it cannot
         * be reset (only a poisoned handle cannot). */
        if (c->handshake != NULL && wsh_server_reset(c->handshake) != WSH_OK) {
            wsh_server_free(c->handshake);
            c->handshake = NULL;
        }
        if (c->handshake == NULL && wsh_server_new(srv->config, &c->handshake) != WSH_OK) {
            c->handshake = NULL;
            return NULL;
        }
        c->fd = fd;
        c->state = CONN_HANDSHAKE;
        c->id = ++srv->next_id;
        c->own_response = NULL;
        c->own_len = c->own_sent = 0;
        c->leftover_len = c->leftover_off = 0;
        c->ws = NULL;
        return c;
    }
    return NULL;
}

static size_t open_connections(const struct server *srv) {
    size_t n = 0;
    for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
        n += srv->conns[i].state != CONN_FREE;
    }
    return n;
}

/* ------------------------------------------------------------- wslay ----- */

static ssize_t ws_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
                       int flags, void *user_data) {
    struct conn *c = user_data;
    (void)flags;
    return wslay_socket_recv(ctx, c->fd, c->leftover, c->leftover_len, &c->leftover_off, buf,
                             len);
}

static ssize_t ws_send(wslay_event_context_ptr ctx, const uint8_t *data,
                       size_t len, int flags, void *user_data) {
    struct conn *c = user_data;
    (void)flags;
    return wslay_socket_send(ctx, c->fd, data, len);
}

/* Lets wslay read and write what it can; closes the connection when wslay is
 * done with it (closing handshake finished, or an error). */
static void ws_pump(struct conn *c, bool readable, bool writable) {
    if (readable && wslay_event_recv(c->ws) != 0) {
        conn_close(c);
        return;
    }
    if ((writable || wslay_event_want_write(c->ws)) && wslay_event_send(c->ws) != 0) {
        conn_close(c);
        return;
    }
    if (!wslay_event_want_read(c->ws) && !wslay_event_want_write(c->ws)) {
        conn_close(c);
    }
}

static void start_websocket(struct conn *c) {
    struct wslay_event_callbacks callbacks = {
        ws_recv, ws_send, NULL, NULL, NULL, NULL, echo_on_message,
    };
    if (wslay_event_context_server_init(&c->ws, &callbacks, c) != 0) {
        c->ws = NULL;
        conn_close(c);
        return;
    }
    /* Bound the memory one client can make us hold (wslay buffers whole
     * messages); the Autobahn cases go up to 16 MiB. */
    wslay_event_config_set_max_recv_msg_length(c->ws, MAX_MESSAGE);
    c->state = CONN_WEBSOCKET;
    /* The client's first frames may already be in `leftover`; poll() will not
     * report them, so let wslay read now. */
    ws_pump(c, c->leftover_len > 0, false);
}

/* ------------------------------------------------------------ sending ---- */

/* Sends what is pending; returns 1 when all is sent, 0 to wait for POLLOUT,
 * -1 on error. */
static int send_pending(struct conn *c) {
    for (;;) {
        const uint8_t *data;
        size_t len;
        if (c->own_response != NULL) {
            data = (const uint8_t *)c->own_response + c->own_sent;
            len = c->own_len - c->own_sent;
        } else if (wsh_server_response(c->handshake, &data, &len) != WSH_OK) {
            return -1;
        }
        if (len == 0) {
            return 1;
        }
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return would_block() ? 0 : -1;
        }
        if (c->own_response != NULL) {
            c->own_sent += (size_t)n;
        } else if (wsh_server_response_advance(c->handshake, (size_t)n) != WSH_OK) {
            return -1;
        }
    }
}

static void on_writable(struct conn *c) {
    int sent = send_pending(c);
    if (sent < 0) {
        conn_close(c);
    } else if (sent > 0 && c->state == CONN_SEND_AND_CLOSE) {
        conn_finish_http(c);
    } else if (sent > 0 && c->state == CONN_SEND_101) {
        start_websocket(c);
    }
}

/* ---------------------------------------------------------- handshake ---- */

/* Answers with wsh_server_reject(): status, optional header, short body. */
static void reject(struct conn *c, uint16_t status, const char *header_name,
                   const char *header_value, const char *body) {
    struct wsh_header header = {
        (const uint8_t *)header_name, header_name ? strlen(header_name) : 0,
        (const uint8_t *)header_value, header_value ? strlen(header_value) : 0,
    };
    if (wsh_server_reject(c->handshake, status, header_name ? &header : NULL,
                          header_name ? 1 : 0, (const uint8_t *)body,
                          strlen(body)) != WSH_OK) {
        conn_close(c);
        return;
    }
    c->state = CONN_SEND_AND_CLOSE;
    on_writable(c);
}

static void print_request(const struct conn *c, const char *outcome) {
    const uint8_t *method = NULL, *target = NULL;
    size_t method_len = 0, target_len = 0;
    wsh_server_method(c->handshake, &method, &method_len);
    wsh_server_target(c->handshake, &target, &target_len);
    fprintf(stderr, "#%lu %.*s %.*s -> %s\n", c->id, (int)method_len,
            (const char *)method, (int)target_len, (const char *)target, outcome);
}

static void on_websocket_request(struct conn *c, const uint8_t *rest, size_t rest_len) {
    const uint8_t *path;
    size_t path_len;
    if (wsh_server_path(c->handshake, &path, &path_len) != WSH_OK) {
        conn_close(c);
        return;
    }
    if (!bytes_equal(path, path_len, "/") && !bytes_equal(path, path_len, "/echo")) {
        print_request(c, "404");
        reject(c, 404, NULL, NULL, "no WebSocket endpoint here\n");
        return;
    }
    /* Default options: the config's subprotocol policy, no deflate. */
    wsh_result r = wsh_server_accept(c->handshake, NULL);
    if (r != WSH_OK) {
        fprintf(stderr, "#%lu accept failed: %s\n", c->id, wsh_result_str(r));
        conn_close(c);
        return;
    }
    const uint8_t *protocol = NULL;
    size_t protocol_len = 0;
    char outcome[64];
    if (wsh_server_subprotocol(c->handshake, &protocol, &protocol_len) == WSH_OK) {
        snprintf(outcome, sizeof outcome, "101 (%.*s)", (int)protocol_len,
                 (const char *)protocol);
    } else {
        snprintf(outcome, sizeof outcome, "101");
    }
    print_request(c, outcome);
    /* rest_len <= READ_CHUNK: `rest` is the tail of one read. */
    memcpy(c->leftover, rest, rest_len);
    c->leftover_len = rest_len;
    c->state = CONN_SEND_101;
    on_writable(c);
}

static void on_plain_request(struct server *srv, struct conn *c) {
    const uint8_t *method, *path;
    size_t method_len, path_len;
    if (wsh_server_method(c->handshake, &method, &method_len) != WSH_OK ||
        wsh_server_path(c->handshake, &path, &path_len) != WSH_OK) {
        conn_close(c);
        return;
    }
    if (!bytes_equal(method, method_len, "GET")) {
        print_request(c, "405");
        reject(c, 405, "Allow", "GET", "only GET here\n");
    } else if (!bytes_equal(path, path_len, "/")) {
        print_request(c, "404");
        reject(c, 404, NULL, NULL, "not found\n");
    } else {
        print_request(c, "200 (page)");
        c->own_response = srv->page_response;
        c->own_len = srv->page_response_len;
        c->own_sent = 0;
        c->state = CONN_SEND_AND_CLOSE;
        on_writable(c);
    }
}

static void on_handshake_readable(struct server *srv, struct conn *c) {
    uint8_t buf[READ_CHUNK];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EINTR || would_block())) {
        return;
    }
    if (n <= 0) {
        conn_close(c); /* gone before the head was complete */
        return;
    }
    /* Partial heads are fine: the engine keeps what it was fed so far. */
    size_t consumed = 0;
    wsh_decision decision = WSH_DECISION_NEED_MORE;
    wsh_result r = wsh_server_feed(c->handshake, buf, (size_t)n, &consumed, &decision);
    if (r == WSH_NEED_MORE) {
        return;
    }
    if (decision == WSH_DECISION_REJECTED) {
        /* An invalid request: send the engine's rejection and close. */
        char outcome[96];
        snprintf(outcome, sizeof outcome, "%u (%s)", (unsigned)wsh_result_http_status(r),
                 wsh_result_str(r));
        fprintf(stderr, "#%lu rejected: %s\n", c->id, outcome);
        c->state = CONN_SEND_AND_CLOSE;
        on_writable(c);
        return;
    }
    if (r != WSH_OK) {
        fprintf(stderr, "#%lu feed failed: %s\n", c->id, wsh_result_str(r));
        conn_close(c);
        return;
    }
    switch (decision) {
    case WSH_DECISION_UPGRADE_WEBSOCKET:
        on_websocket_request(c, buf + consumed, (size_t)n - consumed);
        break;
    case WSH_DECISION_NOT_UPGRADE:
    case WSH_DECISION_NOT_UPGRADE_HTTP10:
    case WSH_DECISION_NOT_UPGRADE_UNSUPPORTED:
        on_plain_request(srv, c);
        break;
    default: /* HTTP/2 preface, other upgrades: not served here */
        fprintf(stderr, "#%lu decision %u: not served, closed\n", c->id, (unsigned)decision);
        conn_close(c);
        break;
    }
}

/* ------------------------------------------------------------- setup ----- */

static const wsh_server_config *make_config(void) {
    wsh_server_config_builder *builder = wsh_server_config_builder_new();
    if (builder == NULL) {
        return NULL;
    }
    const wsh_server_config *config = NULL;
    /* No wsh_server_config_builder_permessage_deflate(): wslay cannot
     * compress, so the 101 must not agree to it. */
    if (wsh_server_config_builder_add_subprotocol(builder, (const uint8_t *)"chat", 4) != WSH_OK ||
        wsh_server_config_builder_add_subprotocol(builder, (const uint8_t *)"superchat", 9) != WSH_OK) {
        wsh_server_config_builder_free(builder);
        return NULL;
    }
    /* The builder is consumed whatever the result. */
    if (wsh_server_config_builder_build(builder, &config) != WSH_OK) {
        return NULL;
    }
    return config;
}

static char *make_page_response(size_t *len) {
    static const char head_format[] =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Length: %zu\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n"
        "\r\n";
    size_t body_len = strlen(page_html);
    int head_len = snprintf(NULL, 0, head_format, body_len);
    if (head_len < 0) {
        return NULL;
    }
    char *response = malloc((size_t)head_len + body_len + 1);
    if (response == NULL) {
        return NULL;
    }
    snprintf(response, (size_t)head_len + 1, head_format, body_len);
    memcpy(response + head_len, page_html, body_len + 1);
    *len = (size_t)head_len + body_len;
    return response;
}

static int listen_on(unsigned short port, unsigned short *bound_port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addr_len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0 || set_nonblocking(fd) != 0) {
        close(fd);
        return -1;
    }
    *bound_port = ntohs(addr.sin_port);
    return fd;
}

static void on_listener_readable(struct server *srv) {
    for (;;) {
        int fd = accept(srv->listen_fd, NULL, NULL);
        if (fd < 0) {
            return; /* EAGAIN: no more pending connections (or a transient error) */
        }
        int one = 1;
        /* wslay writes a frame header and its payload separately. */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (set_nonblocking(fd) != 0 || conn_open(srv, fd) == NULL) {
            close(fd);
        }
    }
}

static int install_signal_handlers(void) {
    if (pipe(signal_pipe) != 0 || set_nonblocking(signal_pipe[0]) != 0 ||
        set_nonblocking(signal_pipe[1]) != 0) {
        return -1;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, NULL) != 0 || sigaction(SIGTERM, &action, NULL) != 0) {
        return -1;
    }
    /* Sockets are written with MSG_NOSIGNAL; this covers the signal pipe. A
     * second SIGTERM (timeout(1) sends one to the process and one to its
     * group) may arrive after shutdown closed the pipe's read end: the write
     * then fails with EPIPE instead of killing the server. */
    action.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &action, NULL) != 0) {
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------- main loop ---- */

static short wanted_events(const struct conn *c) {
    switch (c->state) {
    case CONN_HANDSHAKE:
        return POLLIN;
    case CONN_SEND_101:
    case CONN_SEND_AND_CLOSE:
        return POLLOUT;
    case CONN_WEBSOCKET:
        return (short)((wslay_event_want_read(c->ws) ? POLLIN : 0) |
                       (wslay_event_want_write(c->ws) ? POLLOUT : 0));
    case CONN_FREE:
    default:
        return 0;
    }
}

static int run(struct server *srv) {
    /* [0] signals, [1] listener, then one entry per connection slot. */
    struct pollfd fds[2 + MAX_CONNECTIONS];
    for (;;) {
        nfds_t count = 0;
        fds[count++] = (struct pollfd){signal_pipe[0], POLLIN, 0};
        bool room = open_connections(srv) < MAX_CONNECTIONS;
        fds[count++] = (struct pollfd){room ? srv->listen_fd : -1, POLLIN, 0};
        for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
            const struct conn *c = &srv->conns[i];
            fds[count++] = (struct pollfd){
                c->state == CONN_FREE ? -1 : c->fd, wanted_events(c), 0};
        }
        if (poll(fds, count, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("poll");
            return 1;
        }
        if (fds[0].revents != 0) {
            return 0; /* SIGINT or SIGTERM */
        }
        if (fds[1].revents & POLLIN) {
            on_listener_readable(srv);
        }
        for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
            struct conn *c = &srv->conns[i];
            short revents = fds[2 + i].revents;
            /* A slot reused by on_listener_readable() above was not polled. */
            if (revents == 0 || c->state == CONN_FREE || fds[2 + i].fd != c->fd) {
                continue;
            }
            bool readable = (revents & (POLLIN | POLLHUP | POLLERR)) != 0;
            bool writable = (revents & POLLOUT) != 0;
            switch (c->state) {
            case CONN_HANDSHAKE:
                if (readable) {
                    on_handshake_readable(srv, c);
                }
                break;
            case CONN_SEND_101:
            case CONN_SEND_AND_CLOSE:
                if (writable || (revents & (POLLHUP | POLLERR))) {
                    on_writable(c);
                }
                break;
            case CONN_WEBSOCKET:
                ws_pump(c, readable, writable);
                break;
            case CONN_FREE:
            default:
                break;
            }
        }
    }
}

int main(int argc, char **argv) {
    unsigned long port = 0;
    if (argc > 2 || (argc == 2 && (sscanf(argv[1], "%lu", &port) != 1 || port > 65535))) {
        fprintf(stderr, "usage: %s [PORT]   (0 or nothing: pick a free port)\n", argv[0]);
        return 2;
    }
    struct server srv;
    memset(&srv, 0, sizeof srv);
    srv.listen_fd = -1;
    for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
        srv.conns[i].fd = -1;
        srv.conns[i].state = CONN_FREE;
    }
    int status = 1;
    unsigned short bound_port = 0;
    srv.config = make_config();
    srv.page_response = make_page_response(&srv.page_response_len);
    if (srv.config == NULL || srv.page_response == NULL) {
        fprintf(stderr, "echo_server: setup failed\n");
    } else if (install_signal_handlers() != 0) {
        perror("echo_server: signals");
    } else if ((srv.listen_fd = listen_on((unsigned short)port, &bound_port)) < 0) {
        perror("echo_server: listen");
    } else {
        printf("listening on %u\n", (unsigned)bound_port);
        fflush(stdout);
        fprintf(stderr, "echo_server (wshandshake %s) on 127.0.0.1:%u\n", wsh_version(),
                (unsigned)bound_port);
        status = run(&srv);
        fprintf(stderr, "echo_server: shutting down\n");
    }
    for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
        conn_close(&srv.conns[i]);
        wsh_server_free(srv.conns[i].handshake);
    }
    if (srv.listen_fd >= 0) {
        close(srv.listen_fd);
    }
    for (size_t i = 0; i < 2; i++) {
        if (signal_pipe[i] >= 0) {
            close(signal_pipe[i]);
        }
    }
    wsh_server_config_free(srv.config);
    free(srv.page_response);
    return status;
}
