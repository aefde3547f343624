/*
 * deflate_server: a handshake-only server with permessage-deflate enabled,
 * for checking what the engine negotiates with real clients.
 *
 *     deflate_server [PORT] [--server-max-window-bits N] [--client-max-window-bits N]
 *                    [--server-no-context-takeover] [--client-no-context-takeover]
 *
 * Listens on 127.0.0.1:PORT (0 or nothing: a free port) and prints
 * "listening on PORT". The options set the server's wsh_deflate_config
 * (default: wsh_deflate_config_default(), windows of 15 bits, context
 * takeover allowed). One connection at a time: it feeds the request to a
 * wsh_server handle, accepts a WebSocket upgrade (anything else gets the
 * engine's rejection), sends the 101 and prints one line with the extension
 * the 101 carries and one with the parameters wsh_server_deflate() reports,
 * in the format of the C client:
 *
 *     extension: permessage-deflate; server_max_window_bits=10   (or "extension: (none)")
 *     deflate: server_no_context_takeover=0 client_no_context_takeover=0
 *              server_max_window_bits=10 client_max_window_bits=12   (one line;
 *                                                 or "deflate: none")
 *
 * Then it closes politely: a Close frame with 1000, and the TCP connection
 * once the client's Close frame arrived (or after 5 seconds). It frames no
 * messages, so it never compresses anything. SIGINT or SIGTERM stops it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "wshandshake.h"

#define READ_CHUNK 4096
#define IO_TIMEOUT_S 5

static volatile sig_atomic_t stopping = 0;

static void on_signal(int signo) {
    (void)signo;
    stopping = 1;
}

static bool send_all(int fd, const uint8_t *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR && !stopping) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Sends what the handle has pending (the 101 or a rejection). */
static bool send_response(int fd, wsh_server *handshake) {
    const uint8_t *data;
    size_t len;
    if (wsh_server_response(handshake, &data, &len) != WSH_OK || !send_all(fd, data, len)) {
        return false;
    }
    return wsh_server_response_advance(handshake, len) == WSH_OK;
}

/* The Sec-WebSocket-Extensions field of the pending 101, printed. */
static void print_extension(const wsh_server *handshake) {
    const uint8_t *data;
    size_t len;
    static const char field[] = "\r\nSec-WebSocket-Extensions: ";
    if (wsh_server_response(handshake, &data, &len) == WSH_OK) {
        for (size_t i = 0; i + sizeof field - 1 <= len; i++) {
            if (memcmp(data + i, field, sizeof field - 1) == 0) {
                const uint8_t *value = data + i + sizeof field - 1;
                size_t value_len = 0;
                while (value + value_len < data + len && value[value_len] != '\r') {
                    value_len++;
                }
                printf("extension: %.*s\n", (int)value_len, (const char *)value);
                return;
            }
        }
    }
    printf("extension: (none)\n");
}

static void print_deflate(const wsh_server *handshake) {
    struct wsh_deflate_params params;
    wsh_result r = wsh_server_deflate(handshake, &params);
    if (r == WSH_OK) {
        printf("deflate: server_no_context_takeover=%d client_no_context_takeover=%d "
               "server_max_window_bits=%u client_max_window_bits=%u\n",
               params.server_no_context_takeover ? 1 : 0,
               params.client_no_context_takeover ? 1 : 0,
               (unsigned)params.server_max_window_bits, (unsigned)params.client_max_window_bits);
    } else if (r == WSH_NOT_FOUND) {
        printf("deflate: none\n");
    } else {
        printf("deflate: error %s\n", wsh_result_str(r));
    }
}

/* Close with 1000, then wait for the client's Close frame (opcode 8). */
static void close_politely(int fd, const uint8_t *rest, size_t rest_len) {
    static const uint8_t close_frame[] = {0x88, 0x02, 0x03, 0xe8};
    if (!send_all(fd, close_frame, sizeof close_frame)) {
        return;
    }
    uint8_t buf[READ_CHUNK];
    bool got_close = rest_len > 0 && (rest[0] & 0x0f) == 0x08;
    while (!got_close && !stopping) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        /* The client sends nothing but its Close frame here. */
        got_close = (buf[0] & 0x0f) == 0x08;
    }
    printf("close: %s\n", got_close ? "received" : "not received");
}

static void serve_one(int fd, wsh_server *handshake) {
    uint8_t buf[READ_CHUNK];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR && !stopping) {
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "deflate_server: connection closed before the head ended\n");
            return;
        }
        size_t consumed = 0;
        wsh_decision decision = WSH_DECISION_NEED_MORE;
        wsh_result r = wsh_server_feed(handshake, buf, (size_t)n, &consumed, &decision);
        if (r == WSH_NEED_MORE) {
            continue;
        }
        if (decision == WSH_DECISION_UPGRADE_WEBSOCKET && r == WSH_OK) {
            r = wsh_server_accept(handshake, NULL);
            if (r != WSH_OK) {
                fprintf(stderr, "deflate_server: accept failed: %s\n", wsh_result_str(r));
                return;
            }
            print_extension(handshake);
            print_deflate(handshake);
            fflush(stdout);
            if (send_response(fd, handshake)) {
                close_politely(fd, buf + consumed, (size_t)n - consumed);
            }
        } else {
            fprintf(stderr, "deflate_server: not a valid upgrade: %s\n", wsh_result_str(r));
            if (decision == WSH_DECISION_REJECTED) {
                send_response(fd, handshake);
            }
        }
        fflush(stdout);
        return;
    }
}

static int parse_bits(const char *text, uint8_t *out) {
    char *end;
    long value = strtol(text, &end, 10);
    if (*end != '\0' || value < 8 || value > 15) {
        return -1;
    }
    *out = (uint8_t)value;
    return 0;
}

int main(int argc, char **argv) {
    struct wsh_deflate_config deflate;
    wsh_deflate_config_default(&deflate);
    long port = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--server-max-window-bits") == 0 && i + 1 < argc) {
            if (parse_bits(argv[++i], &deflate.server_max_window_bits) != 0) {
                return 2;
            }
        } else if (strcmp(argv[i], "--client-max-window-bits") == 0 && i + 1 < argc) {
            if (parse_bits(argv[++i], &deflate.client_max_window_bits) != 0) {
                return 2;
            }
        } else if (strcmp(argv[i], "--server-no-context-takeover") == 0) {
            deflate.server_no_context_takeover = true;
        } else if (strcmp(argv[i], "--client-no-context-takeover") == 0) {
            deflate.client_no_context_takeover = true;
        } else if (argv[i][0] != '-') {
            port = strtol(argv[i], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [PORT] [--server-max-window-bits N] "
                            "[--client-max-window-bits N] [--server-no-context-takeover] "
                            "[--client-no-context-takeover]\n", argv[0]);
            return 2;
        }
    }

    wsh_server_config_builder *builder = wsh_server_config_builder_new();
    const wsh_server_config *config = NULL;
    wsh_result r = builder == NULL ? WSH_NULL_POINTER
                                   : wsh_server_config_builder_permessage_deflate(builder, &deflate);
    if (r != WSH_OK) {
        wsh_server_config_builder_free(builder);
    } else {
        r = wsh_server_config_builder_build(builder, &config);
    }
    if (r != WSH_OK) {
        fprintf(stderr, "deflate_server: config: %s\n", wsh_result_str(r));
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: accept() returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addr_len = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(listener, 16) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &addr_len) != 0) {
        perror("deflate_server: listen");
        wsh_server_config_free(config);
        return 1;
    }
    printf("listening on %u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);

    wsh_server *handshake = NULL;
    r = wsh_server_new(config, &handshake);
    while (r == WSH_OK && !stopping) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            continue; /* EINTR from a signal: the loop checks `stopping` */
        }
        struct timeval timeout = {IO_TIMEOUT_S, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        serve_one(fd, handshake);
        close(fd);
        r = wsh_server_reset(handshake);
    }
    if (r != WSH_OK) {
        fprintf(stderr, "deflate_server: %s\n", wsh_result_str(r));
    }
    wsh_server_free(handshake);
    wsh_server_config_free(config);
    close(listener);
    return r == WSH_OK ? 0 : 1;
}
