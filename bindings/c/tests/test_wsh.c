/* C test suite for the wshandshake server API: the same vectors as the Rust
 * tests, through the public header only.
 *
 * Usage: test_wsh [FIXTURES_DIR]   (tests/fixtures/requests of the repository)
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common.h"

#ifndef WSH_FIXTURES_DIR
#define WSH_FIXTURES_DIR "tests/fixtures/requests"
#endif

static const char *fixtures_dir = WSH_FIXTURES_DIR;

static const char *const FIXTURES[] = {
    "aiohttp.http",       "chrome_deflate.http",          "chromium.http",
    "curl.http",          "node-ws.http",                 "python-websocket-client.http",
    "python-websockets.http", "rfc6455_sample.http",      "three_subprotocols.http",
};
#define FIXTURE_COUNT (sizeof FIXTURES / sizeof FIXTURES[0])

/* ---- helpers ---------------------------------------------------------- */

static uint8_t *read_fixture(const char *name, size_t *len) {
    char path[1024];
    FILE *f;
    uint8_t *data;
    long size;
    snprintf(path, sizeof path, "%s/%s", fixtures_dir, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read fixture %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)size;
    return data;
}

/* Builds a config; `chat_and_deflate` adds subprotocol "chat" and
 * permessage-deflate with the default policy. */
static const wsh_server_config *make_config(int chat_and_deflate) {
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    const wsh_server_config *config = NULL;
    CHECK(b != NULL);
    if (chat_and_deflate) {
        wsh_deflate_config deflate;
        CHECK_RESULT(wsh_server_config_builder_add_subprotocol(b, BYTES("chat"), 4), WSH_OK);
        CHECK_RESULT(wsh_deflate_config_default(&deflate), WSH_OK);
        CHECK_RESULT(wsh_server_config_builder_permessage_deflate(b, &deflate), WSH_OK);
    }
    CHECK_RESULT(wsh_server_config_builder_build(b, &config), WSH_OK);
    CHECK(config != NULL);
    return config;
}

static wsh_server *make_server(const wsh_server_config *config) {
    wsh_server *server = NULL;
    CHECK_RESULT(wsh_server_new(config, &server), WSH_OK);
    CHECK(server != NULL);
    return server;
}

static uint32_t feed(wsh_server *s, const void *data, size_t len, size_t *consumed,
                     wsh_decision *decision) {
    return wsh_server_feed(s, (const uint8_t *)data, len, consumed, decision);
}

/* Copies the pending response into buf (without marking it sent). */
static size_t pending(const wsh_server *s, uint8_t *buf, size_t cap) {
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK_RESULT(wsh_server_response(s, &data, &len), WSH_OK);
    return copy_view(data, len, buf, cap);
}

/* True when the head of `response` has the line `line` (e.g. "Allow: GET"). */
static int has_line(const uint8_t *response, size_t len, const char *line) {
    size_t n = strlen(line);
    size_t i;
    for (i = 0; i + n + 2 <= len; i++) {
        if ((i == 0 || (i >= 2 && response[i - 2] == '\r' && response[i - 1] == '\n')) &&
            memcmp(response + i, line, n) == 0 && response[i + n] == '\r' &&
            response[i + n + 1] == '\n') {
            return 1;
        }
        if (i >= 2 && response[i - 2] == '\r' && response[i - 1] == '\n' && response[i] == '\r') {
            break; /* end of head */
        }
    }
    return 0;
}

/* True when `needle` occurs in (data, len). */
static int contains(const uint8_t *data, size_t len, const char *needle) {
    size_t n = strlen(needle);
    size_t i;
    for (i = 0; i + n <= len; i++) {
        if (memcmp(data + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

static int starts_with(const uint8_t *data, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(data, prefix, n) == 0;
}

/* ---- version, results, accept key ------------------------------------- */

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", WSH_VERSION_MAJOR, WSH_VERSION_MINOR,
             WSH_VERSION_PATCH);
    CHECK(strcmp(wsh_version(), WSH_VERSION_STRING) == 0);
    CHECK(strcmp(expected, WSH_VERSION_STRING) == 0);
}

static void test_result_strings(void) {
    static const uint32_t codes[] = {
        WSH_OK, WSH_NEED_MORE, WSH_NOT_FOUND, WSH_NULL_POINTER, WSH_INVALID_ARGUMENT,
        WSH_INVALID_UTF8, WSH_WRONG_STATE, WSH_BUFFER_TOO_SMALL, WSH_INVALID_HEADER_NAME,
        WSH_INVALID_HEADER_VALUE, WSH_RESERVED_HEADER, WSH_SUBPROTOCOL_NOT_OFFERED,
        WSH_INVALID_STATUS, WSH_INVALID_EXTENSION, WSH_INVALID_CONFIG, WSH_OUT_OF_RANGE,
        WSH_INVALID_URL, WSH_RANDOM_SOURCE_FAILED, WSH_POISONED, WSH_FIELD_ARRAY_TOO_SMALL,
        WSH_INVALID_ORIGIN, WSH_INVALID_SUBPROTOCOL, WSH_DUPLICATE_SUBPROTOCOL,
        WSH_REQUEST_HEAD_TOO_LARGE,
        WSH_REQUEST_TOO_MANY_HEADERS, WSH_REQUEST_HEADER_LINE_TOO_LONG, WSH_REQUEST_LINE_TOO_LONG,
        WSH_REQUEST_MALFORMED_HEAD, WSH_REQUEST_BARE_LINE_FEED, WSH_REQUEST_BARE_CARRIAGE_RETURN,
        WSH_REQUEST_OBSOLETE_LINE_FOLDING, WSH_REQUEST_METHOD_NOT_ALLOWED,
        WSH_REQUEST_MISSING_HOST, WSH_REQUEST_DUPLICATE_HOST,
        WSH_REQUEST_MISSING_CONNECTION_UPGRADE, WSH_REQUEST_INVALID_TARGET, WSH_REQUEST_MISSING_KEY,
        WSH_REQUEST_DUPLICATE_KEY, WSH_REQUEST_INVALID_KEY, WSH_REQUEST_MISSING_VERSION,
        WSH_REQUEST_DUPLICATE_VERSION, WSH_REQUEST_UNSUPPORTED_VERSION,
        WSH_REQUEST_DUPLICATE_ORIGIN, WSH_REQUEST_ORIGIN_NOT_ALLOWED,
        WSH_REQUEST_INVALID_SUBPROTOCOL_LIST, WSH_REQUEST_NO_SUBPROTOCOL_MATCH,
        WSH_REQUEST_INVALID_EXTENSION_LIST, WSH_REQUEST_HAS_BODY,
        WSH_REQUEST_INVALID_CONTENT_LENGTH, WSH_PANIC,
    };
    size_t n = sizeof codes / sizeof codes[0];
    size_t i, j;
    for (i = 0; i < n; i++) {
        const char *s = wsh_result_str(codes[i]);
        uint16_t status = wsh_result_http_status(codes[i]);
        CHECK(s != NULL && s[0] != '\0');
        CHECK(strcmp(s, "unknown result") != 0);
        for (j = 0; j < i; j++) {
            CHECK(strcmp(s, wsh_result_str(codes[j])) != 0);
        }
        if (codes[i] >= 1000 && codes[i] < 1100) {
            CHECK(status == 400 || status == 403 || status == 405 || status == 414 ||
                  status == 426 || status == 431);
        } else {
            CHECK(status == 0);
        }
    }
    CHECK(strcmp(wsh_result_str(4242), "unknown result") == 0);
    CHECK(strcmp(wsh_result_str(UINT32_MAX), "unknown result") == 0);
    CHECK(wsh_result_http_status(WSH_REQUEST_METHOD_NOT_ALLOWED) == 405);
    CHECK(wsh_result_http_status(WSH_REQUEST_UNSUPPORTED_VERSION) == 426);
    CHECK(wsh_result_http_status(WSH_REQUEST_ORIGIN_NOT_ALLOWED) == 403);
    CHECK(wsh_result_http_status(WSH_REQUEST_TOO_MANY_HEADERS) == 431);
    CHECK(wsh_result_http_status(WSH_REQUEST_LINE_TOO_LONG) == 414);
    CHECK(wsh_result_http_status(WSH_REQUEST_INVALID_KEY) == 400);
}

static void test_accept_key(void) {
    uint8_t out[WSH_ACCEPT_KEY_LEN + 1];
    memset(out, '#', sizeof out);
    CHECK_RESULT(wsh_accept_key(BYTES("dGhlIHNhbXBsZSBub25jZQ=="), 24, out), WSH_OK);
    CHECK_BYTES(out, (size_t)WSH_ACCEPT_KEY_LEN, SAMPLE_ACCEPT);
    CHECK(out[WSH_ACCEPT_KEY_LEN] == '#');
    CHECK_RESULT(wsh_accept_key(BYTES("x"), 1, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_accept_key(NULL, 24, out), WSH_INVALID_ARGUMENT);
}

/* ---- the handle ------------------------------------------------------- */

static void test_rfc_sample(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    size_t consumed = 0;
    wsh_decision decision = WSH_DECISION_NEED_MORE;
    const uint8_t *p;
    size_t n, total = 0;
    uint8_t buf[512], response[512];
    size_t response_len;

    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &decision), WSH_OK);
    CHECK(consumed == strlen(RFC_REQUEST));
    CHECK(decision == WSH_DECISION_UPGRADE_WEBSOCKET);
    CHECK_RESULT(wsh_server_subprotocol(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "chat");
    CHECK(!wsh_server_is_accepted(s));
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_OK);
    CHECK(wsh_server_is_accepted(s));
    response_len = pending(s, response, sizeof response);
    CHECK(starts_with(response, response_len, "HTTP/1.1 101 Switching Protocols\r\n"));
    CHECK(has_line(response, response_len, "Upgrade: websocket"));
    CHECK(has_line(response, response_len, "Connection: Upgrade"));
    CHECK(has_line(response, response_len, "Sec-WebSocket-Accept: " SAMPLE_ACCEPT));
    CHECK(has_line(response, response_len, "Sec-WebSocket-Protocol: chat"));

    /* Send it in pieces: response + advance, then drain the rest. */
    CHECK_RESULT(wsh_server_response(s, &p, &n), WSH_OK);
    CHECK(n == response_len);
    CHECK_RESULT(wsh_server_response_advance(s, n + 1), WSH_OUT_OF_RANGE);
    CHECK_RESULT(wsh_server_response_advance(s, 10), WSH_OK);
    memcpy(buf, response, 10);
    total = 10;
    for (;;) {
        size_t written = 0;
        CHECK_RESULT(wsh_server_drain(s, buf + total, 16, &written), WSH_OK);
        if (written == 0) {
            break;
        }
        total += written;
    }
    CHECK(total == response_len && memcmp(buf, response, total) == 0);
    wsh_server_free(s);
    wsh_server_config_free(config);
}

struct rejection {
    const char *name;
    const char *request;
    uint32_t result;
    const char *status_line;
    const char *lines[3];
};

static char *replace(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    size_t head = (size_t)(at - text), from_len = strlen(from), to_len = strlen(to);
    char *out = malloc(strlen(text) - from_len + to_len + 1);
    CHECK(at != NULL && out != NULL);
    memcpy(out, text, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, at + from_len);
    return out;
}

static void test_rejections(void) {
    static const char GOOD[] =
        "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    char long_line[400], long_target[400], padded[1200];
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    const wsh_server_config *config = NULL;
    wsh_limits limits;
    wsh_server *s;
    size_t i, k;
    struct {
        const char *from, *to;
        uint32_t result;
        const char *status_line;
        const char *lines[3];
    } cases[32];
    size_t ncases = 0;

    CHECK_RESULT(wsh_limits_default(&limits), WSH_OK);
    limits.max_headers = 10;
    limits.max_request_line = 200;
    limits.max_header_line = 200;
    limits.max_head_bytes = 600;
    CHECK_RESULT(wsh_server_config_builder_limits(b, &limits), WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_add_allowed_origin(b, BYTES("https://good.example"), 20),
                 WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_build(b, &config), WSH_OK);
    s = make_server(config);

    strcpy(long_line, "\r\nX-Long: ");
    memset(long_line + strlen(long_line), 'a', 300);
    long_line[10 + 300] = '\0';
    strcat(long_line, "\r\n\r\n");
    strcpy(long_target, "GET /");
    memset(long_target + 5, 'a', 300);
    long_target[305] = '\0';
    strcpy(padded, "\r\n");
    for (k = 0; k < 3; k++) {
        size_t at;
        strcat(padded, "X-Pad: ");
        at = strlen(padded);
        memset(padded + at, 'p', 150);
        padded[at + 150] = '\0';
        strcat(padded, "\r\n");
    }
    strcat(padded, "\r\n");

#define CASE(f, t, r, sl, l0, l1)                                                \
    do {                                                                         \
        cases[ncases].from = (f);                                                \
        cases[ncases].to = (t);                                                  \
        cases[ncases].result = (r);                                              \
        cases[ncases].status_line = (sl);                                        \
        cases[ncases].lines[0] = (l0);                                           \
        cases[ncases].lines[1] = (l1);                                           \
        cases[ncases].lines[2] = NULL;                                           \
        ncases++;                                                                \
    } while (0)
    CASE("GET", "POST", WSH_REQUEST_METHOD_NOT_ALLOWED, "HTTP/1.1 405 Method Not Allowed",
         "Allow: GET", "Connection: close");
    CASE("Version: 13", "Version: 12", WSH_REQUEST_UNSUPPORTED_VERSION,
         "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13", "Upgrade: websocket");
    CASE("Sec-WebSocket-Version: 13\r\n", "", WSH_REQUEST_MISSING_VERSION,
         "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13", NULL);
    CASE("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ", WSH_REQUEST_INVALID_KEY,
         "HTTP/1.1 400 Bad Request", "Connection: close", NULL);
    CASE("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "", WSH_REQUEST_MISSING_KEY,
         "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("Version: 13\r\n", "Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
         WSH_REQUEST_DUPLICATE_KEY, "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("Connection: Upgrade", "Connection: keep-alive", WSH_REQUEST_MISSING_CONNECTION_UPGRADE,
         "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("Host: example.com\r\n", "", WSH_REQUEST_MISSING_HOST, "HTTP/1.1 400 Bad Request", NULL,
         NULL);
    /* RFC 9112 section 3.2: asterisk-form is for OPTIONS, authority-form for
     * CONNECT; RFC 6455 section 3: no fragment. */
    CASE("GET /chat", "GET *", WSH_REQUEST_INVALID_TARGET, "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("GET /chat", "GET example.com:80", WSH_REQUEST_INVALID_TARGET, "HTTP/1.1 400 Bad Request",
         NULL, NULL);
    CASE("GET /chat", "GET /chat#top", WSH_REQUEST_INVALID_TARGET, "HTTP/1.1 400 Bad Request",
         NULL, NULL);
    CASE("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n", WSH_REQUEST_ORIGIN_NOT_ALLOWED,
         "HTTP/1.1 403 Forbidden", NULL, NULL);
    CASE("\r\n\r\n", "\r\nOrigin: null\r\n\r\n", WSH_REQUEST_ORIGIN_NOT_ALLOWED,
         "HTTP/1.1 403 Forbidden", NULL, NULL);
    CASE("\r\n\r\n", "\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n",
         WSH_REQUEST_TOO_MANY_HEADERS, "HTTP/1.1 431 Request Header Fields Too Large", NULL, NULL);
    CASE("\r\n\r\n", long_line, WSH_REQUEST_HEADER_LINE_TOO_LONG,
         "HTTP/1.1 431 Request Header Fields Too Large", NULL, NULL);
    CASE("GET /chat", long_target, WSH_REQUEST_LINE_TOO_LONG, "HTTP/1.1 414 URI Too Long", NULL,
         NULL);
    CASE("\r\n\r\n", padded, WSH_REQUEST_HEAD_TOO_LARGE,
         "HTTP/1.1 431 Request Header Fields Too Large", NULL, NULL);
    CASE("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\n", WSH_REQUEST_HAS_BODY,
         "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("\r\n\r\n", "\r\nSec-WebSocket-Protocol: a b\r\n\r\n",
         WSH_REQUEST_INVALID_SUBPROTOCOL_LIST, "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("Host: example.com\r\n", "Host: example.com\nX: 1\r\n", WSH_REQUEST_BARE_LINE_FEED,
         "HTTP/1.1 400 Bad Request", NULL, NULL);
    CASE("Host: example.com", "Host: a\r\nHost: b", WSH_REQUEST_DUPLICATE_HOST,
         "HTTP/1.1 400 Bad Request", NULL, NULL);
#undef CASE

    for (i = 0; i < ncases; i++) {
        char *request = replace(GOOD, cases[i].from, cases[i].to);
        size_t request_len = strlen(request);
        uint8_t *input = malloc(request_len + 7);
        uint8_t response[1024], one_shot[1024];
        size_t consumed = 0, response_len;
        wsh_decision decision = WSH_DECISION_NEED_MORE;
        wsh_respond_info info;
        uint32_t r;
        char status[4];

        /* The request is followed by what would be a WebSocket frame. */
        memcpy(input, request, request_len);
        memcpy(input + request_len, "\x81\x05hello", 7);
        CHECK_RESULT(wsh_server_reset(s), WSH_OK);
        r = feed(s, input, request_len + 7, &consumed, &decision);
        if (r != cases[i].result) {
            fprintf(stderr, "case %s:\n", cases[i].to);
        }
        CHECK_RESULT(r, cases[i].result);
        CHECK(decision == WSH_DECISION_REJECTED);
        CHECK(consumed == request_len + 7);
        CHECK_RESULT(wsh_server_decision(s, &decision), cases[i].result);
        response_len = pending(s, response, sizeof response);
        CHECK(starts_with(response, response_len, cases[i].status_line));
        memcpy(status, cases[i].status_line + 9, 3);
        status[3] = '\0';
        CHECK(wsh_result_http_status(r) == (uint16_t)atoi(status));
        for (k = 0; cases[i].lines[k] != NULL; k++) {
            CHECK(has_line(response, response_len, cases[i].lines[k]));
        }
        CHECK(!contains(response, response_len, "hello"));
        CHECK_RESULT(wsh_server_accept(s, NULL), WSH_WRONG_STATE);

        /* The one-shot path writes the same rejection. */
        CHECK_RESULT(wsh_respond(config, input, request_len + 7, one_shot, sizeof one_shot, &info),
                     cases[i].result);
        CHECK(info.decision == WSH_DECISION_REJECTED);
        CHECK(info.status == wsh_result_http_status(r));
        CHECK(info.response_len == response_len &&
              memcmp(one_shot, response, response_len) == 0);
        free(input);
        free(request);
    }
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* Feeding a byte at a time gives the same decision and response as feeding the
 * whole request; bytes after the head are left over. */
static void test_byte_at_a_time_and_leftovers(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *whole = make_server(config);
    wsh_server *bytewise = make_server(config);
    size_t f;
    for (f = 0; f < FIXTURE_COUNT; f++) {
        size_t len, i, consumed, total = 0, a_len, b_len;
        uint8_t *request = read_fixture(FIXTURES[f], &len);
        uint8_t *with_frame = malloc(len + 7);
        wsh_decision d1 = WSH_DECISION_NEED_MORE, d2 = WSH_DECISION_NEED_MORE;
        uint8_t a[1024], b[1024];
        uint32_t r = WSH_NEED_MORE;

        CHECK_RESULT(wsh_server_reset(whole), WSH_OK);
        CHECK_RESULT(wsh_server_reset(bytewise), WSH_OK);
        CHECK_RESULT(feed(whole, request, len, &consumed, &d1), WSH_OK);
        CHECK(consumed == len);
        for (i = 0; i < len; i++) {
            r = feed(bytewise, request + i, 1, &consumed, &d2);
            total += consumed;
            if (i + 1 < len) {
                CHECK(r == WSH_NEED_MORE && consumed == 1 && d2 == WSH_DECISION_NEED_MORE);
            }
        }
        CHECK_RESULT(r, WSH_OK);
        CHECK(total == len);
        CHECK(d1 == d2 && d1 == WSH_DECISION_UPGRADE_WEBSOCKET);
        CHECK_RESULT(wsh_server_accept(whole, NULL), WSH_OK);
        CHECK_RESULT(wsh_server_accept(bytewise, NULL), WSH_OK);
        a_len = pending(whole, a, sizeof a);
        b_len = pending(bytewise, b, sizeof b);
        CHECK(a_len > 0 && a_len == b_len && memcmp(a, b, a_len) == 0);

        /* The head ends inside the second chunk; the frame bytes stay. */
        memcpy(with_frame, request, len);
        memcpy(with_frame + len, "\x81\x05hello", 7);
        CHECK_RESULT(wsh_server_reset(whole), WSH_OK);
        CHECK_RESULT(feed(whole, with_frame, 20, &consumed, &d1), WSH_NEED_MORE);
        CHECK(consumed == 20);
        CHECK_RESULT(feed(whole, with_frame + 20, len + 7 - 20, &consumed, &d1), WSH_OK);
        CHECK(consumed == len - 20);
        CHECK(memcmp(with_frame + 20 + consumed, "\x81\x05hello", 7) == 0);
        free(with_frame);
        free(request);
    }
    wsh_server_free(whole);
    wsh_server_free(bytewise);
    wsh_server_config_free(config);
}

/* One handle serves many handshakes: reset keeps its buffers. Every accept
 * value matches wsh_accept_key() of the request's key. */
static void test_handle_reuse(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    uint8_t *requests[FIXTURE_COUNT];
    size_t lens[FIXTURE_COUNT];
    size_t round, f;
    int all_ok = 1;
    for (f = 0; f < FIXTURE_COUNT; f++) {
        requests[f] = read_fixture(FIXTURES[f], &lens[f]);
    }
    for (round = 0; round < 2000; round++) {
        size_t i = round % FIXTURE_COUNT, consumed = 0, len;
        wsh_decision d = WSH_DECISION_NEED_MORE;
        const uint8_t *key, *p;
        size_t key_len;
        uint8_t accept[WSH_ACCEPT_KEY_LEN];
        char line[64];
        uint8_t response[1024];
        all_ok &= wsh_server_reset(s) == WSH_OK;
        all_ok &= feed(s, requests[i], lens[i], &consumed, &d) == WSH_OK;
        all_ok &= consumed == lens[i] && d == WSH_DECISION_UPGRADE_WEBSOCKET;
        all_ok &= wsh_server_header(s, BYTES("sec-websocket-key"), 17, 0, &key, &key_len) == WSH_OK;
        all_ok &= wsh_accept_key(key, key_len, accept) == WSH_OK;
        all_ok &= wsh_server_accept(s, NULL) == WSH_OK;
        all_ok &= wsh_server_response(s, &p, &len) == WSH_OK;
        memcpy(response, p, len < sizeof response ? len : sizeof response);
        snprintf(line, sizeof line, "Sec-WebSocket-Accept: %.*s", (int)WSH_ACCEPT_KEY_LEN,
                 (const char *)accept);
        all_ok &= has_line(response, len, line);
        all_ok &= wsh_server_response_advance(s, len) == WSH_OK;
    }
    CHECK(all_ok);
    for (f = 0; f < FIXTURE_COUNT; f++) {
        free(requests[f]);
    }
    wsh_server_free(s);
    wsh_server_config_free(config);
}

static void test_custom_reject(void) {
    static const char EXPECTED[] =
        "HTTP/1.1 401 Unauthorized\r\n"
        "WWW-Authenticate: Bearer realm=\"chat\"\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Connection: close\r\n"
        "Content-Length: 11\r\n"
        "\r\n"
        "login first";
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    size_t consumed;
    wsh_decision d;
    wsh_header headers[1];
    wsh_header bad[1];
    uint8_t response[512];
    size_t len;

    headers[0] = make_header("WWW-Authenticate", "Bearer realm=\"chat\"");
    CHECK_RESULT(wsh_server_reject(s, 401, headers, 1, NULL, 0), WSH_WRONG_STATE);
    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_reject(s, 200, headers, 1, NULL, 0), WSH_INVALID_STATUS);
    CHECK_RESULT(wsh_server_reject(s, 101, NULL, 0, NULL, 0), WSH_INVALID_STATUS);
    bad[0] = make_header("Content-Length", "1");
    CHECK_RESULT(wsh_server_reject(s, 401, bad, 1, NULL, 0), WSH_RESERVED_HEADER);
    bad[0] = make_header("X-Evil", "a\r\nSet-Cookie: x");
    CHECK_RESULT(wsh_server_reject(s, 401, bad, 1, NULL, 0), WSH_INVALID_HEADER_VALUE);
    bad[0].name = BYTES("Bad Name");
    bad[0].name_len = 8;
    CHECK_RESULT(wsh_server_reject(s, 401, bad, 1, NULL, 0), WSH_INVALID_HEADER_NAME);
    CHECK_RESULT(wsh_server_reject(s, 401, NULL, 1, NULL, 0), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_server_reject(s, 401, headers, 1, BYTES("login first"), 11), WSH_OK);
    CHECK(!wsh_server_is_accepted(s));
    len = pending(s, response, sizeof response);
    CHECK_BYTES(response, len, EXPECTED);
    CHECK_RESULT(wsh_server_reject(s, 401, headers, 1, NULL, 0), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_WRONG_STATE);
    wsh_server_free(s);
    wsh_server_config_free(config);
}

static void test_accept_options(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    static const char REQUEST[] =
        "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: superchat, chat\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, x-foo\r\n\r\n";
    wsh_accept_options opts;
    wsh_header extra[1];
    wsh_bytes ext[1];
    size_t consumed, len;
    wsh_decision d;
    uint8_t response[1024];
    wsh_deflate_params params;
    const uint8_t *p;
    size_t n;

    memset(&opts, 0, sizeof opts);
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_deflate(s, &params), WSH_OK);
    CHECK(params.server_max_window_bits == 10 && params.client_max_window_bits == 15);

    opts.subprotocol_mode = WSH_SUBPROTOCOL_NAMED;
    opts.subprotocol = BYTES("other");
    opts.subprotocol_len = 5;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_SUBPROTOCOL_NOT_OFFERED);
    opts.subprotocol_mode = 99;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_INVALID_ARGUMENT);
    opts.subprotocol_mode = WSH_SUBPROTOCOL_NAMED;
    opts.subprotocol = BYTES("superchat");
    opts.subprotocol_len = 9;
    extra[0] = make_header("Sec-WebSocket-Accept", "forged");
    opts.headers = extra;
    opts.header_count = 1;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_RESERVED_HEADER);
    extra[0] = make_header("Set-Cookie", "id=42");
    opts.extensions = ext;
    opts.extension_count = 1;
    /* RFC 6455 section 9.1: only extensions the client offered, and never
     * permessage-deflate, which the engine negotiates itself. */
    ext[0].data = BYTES("x-never-offered");
    ext[0].len = 15;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_EXTENSION_NOT_OFFERED);
    ext[0].data = BYTES("permessage-deflate; server_max_window_bits=9");
    ext[0].len = 44;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_RESERVED_EXTENSION);
    ext[0].data = BYTES("x-foo; level=2");
    ext[0].len = 14;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(has_line(response, len, "Sec-WebSocket-Protocol: superchat"));
    CHECK(has_line(response, len, "Set-Cookie: id=42"));
    CHECK(has_line(response, len,
                   "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, "
                   "x-foo; level=2"));
    CHECK_RESULT(wsh_server_subprotocol(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "superchat");
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_WRONG_STATE);

    /* Declining deflate and choosing no subprotocol. */
    CHECK_RESULT(wsh_server_reset(s), WSH_OK);
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_OK);
    memset(&opts, 0, sizeof opts);
    opts.subprotocol_mode = WSH_SUBPROTOCOL_NONE;
    opts.decline_deflate = true;
    CHECK_RESULT(wsh_server_accept(s, &opts), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(!contains(response, len, "Sec-WebSocket-Protocol"));
    CHECK(!contains(response, len, "Sec-WebSocket-Extensions"));
    CHECK_RESULT(wsh_server_deflate(s, &params), WSH_NOT_FOUND);
    CHECK_RESULT(wsh_server_subprotocol(s, &p, &n), WSH_NOT_FOUND);
    wsh_server_free(s);
    wsh_server_config_free(config);
}

static void test_inspection(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    size_t len, consumed, count, i;
    uint8_t *request = read_fixture("chromium.http", &len);
    wsh_decision d;
    const uint8_t *p, *q;
    size_t n, m;
    uint8_t minor = 9;
    wsh_extension_param param;
    uint8_t buf[16];

    CHECK_RESULT(wsh_server_method(s, &p, &n), WSH_WRONG_STATE);
    CHECK_RESULT(feed(s, request, len, &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_method(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "GET");
    CHECK_RESULT(wsh_server_target(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "/chat?room=1");
    CHECK_RESULT(wsh_server_path(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "/chat");
    CHECK_RESULT(wsh_server_query(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "room=1");
    CHECK_RESULT(wsh_server_host(s, &p, &n), WSH_OK);
    CHECK(starts_with(p, n, "127.0.0.1:"));
    CHECK_RESULT(wsh_server_origin(s, &p, &n), WSH_OK);
    CHECK(starts_with(p, n, "http://127.0.0.1:"));
    CHECK_RESULT(wsh_server_minor_version(s, &minor), WSH_OK);
    CHECK(minor == 1);
    CHECK_RESULT(wsh_server_head(s, &p, &n), WSH_OK);
    CHECK(n == len && memcmp(p, request, len) == 0);

    CHECK_RESULT(wsh_server_header_count(s, &count), WSH_OK);
    CHECK(count == 13);
    for (i = 0; i < count; i++) {
        CHECK_RESULT(wsh_server_header_at(s, i, &p, &n, &q, &m), WSH_OK);
        CHECK(n > 0 && p != NULL && q != NULL);
    }
    p = q = NULL;
    CHECK_RESULT(wsh_server_header_at(s, count, &p, &n, &q, &m), WSH_OUT_OF_RANGE);
    CHECK(p == NULL && q == NULL);
    CHECK_RESULT(wsh_server_header(s, BYTES("Upgrade"), 7, 0, &q, &m), WSH_OK);
    CHECK_BYTES(q, m, "websocket");
    CHECK_RESULT(wsh_server_header(s, BYTES("Upgrade"), 7, 1, &q, &m), WSH_NOT_FOUND);
    CHECK_RESULT(wsh_server_header(s, BYTES("X-Missing"), 9, 0, &q, &m), WSH_NOT_FOUND);

    CHECK_RESULT(wsh_server_subprotocol_count(s, &count), WSH_OK);
    CHECK(count == 2);
    CHECK_RESULT(wsh_server_subprotocol_at(s, 0, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "chat");
    CHECK_RESULT(wsh_server_subprotocol_at(s, 1, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "superchat");
    CHECK_RESULT(wsh_server_subprotocol_at(s, 2, &p, &n), WSH_OUT_OF_RANGE);

    CHECK_RESULT(wsh_server_extension_count(s, &count), WSH_OK);
    CHECK(count == 1);
    CHECK_RESULT(wsh_server_extension_at(s, 0, &p, &n, &q, &m), WSH_OK);
    CHECK_BYTES(p, n, "permessage-deflate");
    CHECK_BYTES(q, m, "; client_max_window_bits");
    CHECK_RESULT(wsh_server_extension_param_count(s, 0, &count), WSH_OK);
    CHECK(count == 1);
    CHECK_RESULT(wsh_server_extension_param_at(s, 0, 0, &param), WSH_OK);
    CHECK_BYTES(param.name, param.name_len, "client_max_window_bits");
    CHECK(!param.has_value && !param.quoted);
    CHECK_RESULT(wsh_server_extension_param_value(s, 0, 0, buf, sizeof buf, &n), WSH_NOT_FOUND);
    CHECK_RESULT(wsh_server_extension_param_at(s, 0, 1, &param), WSH_OUT_OF_RANGE);
    CHECK_RESULT(wsh_server_upgrade_protocol(s, &p, &n), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_server_http2_settings(s, buf, sizeof buf, &n), WSH_NOT_FOUND);
    free(request);

    /* Quoted parameter values are unescaped into the caller's buffer. */
    {
        static const char QUOTED[] =
            "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: x-foo; mode=\"fa\\st\"; n=3\r\n\r\n";
        size_t written = 0;
        CHECK_RESULT(wsh_server_reset(s), WSH_OK);
        CHECK_RESULT(feed(s, QUOTED, strlen(QUOTED), &consumed, &d), WSH_OK);
        CHECK_RESULT(wsh_server_extension_param_at(s, 0, 0, &param), WSH_OK);
        CHECK_BYTES(param.name, param.name_len, "mode");
        CHECK_BYTES(param.value, param.value_len, "fa\\st");
        CHECK(param.has_value && param.quoted);
        CHECK_RESULT(wsh_server_extension_param_value(s, 0, 0, buf, 3, &written),
                     WSH_BUFFER_TOO_SMALL);
        CHECK(written == 4);
        CHECK_RESULT(wsh_server_extension_param_value(s, 0, 0, NULL, 0, &written),
                     WSH_BUFFER_TOO_SMALL);
        CHECK_RESULT(wsh_server_extension_param_value(s, 0, 0, buf, sizeof buf, &written), WSH_OK);
        CHECK_BYTES(buf, written, "fast");
        CHECK_RESULT(wsh_server_extension_param_at(s, 0, 1, &param), WSH_OK);
        CHECK(param.has_value && !param.quoted);
        CHECK_BYTES(param.value, param.value_len, "3");
    }
    wsh_server_free(s);
    wsh_server_config_free(config);
}

static void test_h2c(void) {
    static const char REQUEST[] =
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    static const uint8_t SETTINGS[18] = {0, 3, 0, 0, 0, 100, 0, 4, 0x40, 0, 0, 0, 0, 2, 0, 0, 0, 0};
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    const wsh_server_config *config;
    wsh_server *s;
    size_t consumed, n, written;
    wsh_decision d;
    const uint8_t *p;
    uint8_t buf[32], response[256];
    wsh_respond_info info;

    CHECK_RESULT(wsh_server_config_builder_add_upgrade_protocol(b, BYTES("h2c"), 3), WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_build(b, &config), WSH_OK);
    s = make_server(config);
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_OK);
    CHECK(d == WSH_DECISION_UPGRADE_OTHER);
    CHECK_RESULT(wsh_server_upgrade_protocol(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "h2c");
    CHECK_RESULT(wsh_server_http2_settings(s, buf, 4, &written), WSH_BUFFER_TOO_SMALL);
    CHECK(written == 18);
    CHECK_RESULT(wsh_server_http2_settings(s, buf, sizeof buf, &written), WSH_OK);
    CHECK(written == 18 && memcmp(buf, SETTINGS, 18) == 0);
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_OK);
    n = pending(s, response, sizeof response);
    CHECK_BYTES(response, n,
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");

    CHECK_RESULT(wsh_respond(config, BYTES(REQUEST), strlen(REQUEST), buf, sizeof buf, &info),
                 WSH_BUFFER_TOO_SMALL);
    CHECK(info.needed == n);
    CHECK_RESULT(
        wsh_respond(config, BYTES(REQUEST), strlen(REQUEST), response, sizeof response, &info),
        WSH_OK);
    CHECK(info.decision == WSH_DECISION_UPGRADE_OTHER && info.status == 101);
    CHECK_BYTES(info.upgrade_protocol, info.upgrade_protocol_len, "h2c");
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* ---- one-shot --------------------------------------------------------- */

static void test_one_shot_buffers(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    size_t f;
    for (f = 0; f < FIXTURE_COUNT; f++) {
        size_t len, cap, consumed, handle_len;
        uint8_t *request = read_fixture(FIXTURES[f], &len);
        uint8_t full[1024], handle_response[1024];
        uint8_t *small;
        wsh_respond_info info;
        wsh_decision d;
        int ok = 1;

        CHECK_RESULT(wsh_respond(config, request, len, full, sizeof full, &info), WSH_OK);
        CHECK(info.decision == WSH_DECISION_UPGRADE_WEBSOCKET && info.status == 101);
        CHECK(info.consumed == len && info.needed == 0);
        CHECK(starts_with(full, info.response_len, "HTTP/1.1 101 Switching Protocols\r\n"));
        if (info.subprotocol != NULL) {
            CHECK_BYTES(info.subprotocol, info.subprotocol_len, "chat");
            CHECK(info.subprotocol >= request && info.subprotocol < request + len);
        }
        /* Every smaller capacity reports the exact size needed; the buffer
         * is a malloc'd block of that capacity so overruns are caught. */
        for (cap = 0; cap < info.response_len; cap++) {
            wsh_respond_info small_info;
            small = malloc(cap == 0 ? 1 : cap);
            ok &= wsh_respond(config, request, len, cap == 0 ? NULL : small, cap, &small_info) ==
                  WSH_BUFFER_TOO_SMALL;
            ok &= small_info.needed == info.response_len && small_info.response_len == 0;
            ok &= small_info.decision == WSH_DECISION_NEED_MORE;
            free(small);
        }
        CHECK(ok);
        small = malloc(info.response_len);
        CHECK_RESULT(wsh_respond(config, request, len, small, info.response_len, &info), WSH_OK);
        CHECK(memcmp(small, full, info.response_len) == 0);

        /* The handle with default options writes the same bytes. */
        CHECK_RESULT(wsh_server_reset(s), WSH_OK);
        CHECK_RESULT(feed(s, request, len, &consumed, &d), WSH_OK);
        CHECK_RESULT(wsh_server_accept(s, NULL), WSH_OK);
        handle_len = pending(s, handle_response, sizeof handle_response);
        CHECK(handle_len == info.response_len && memcmp(handle_response, full, handle_len) == 0);
        free(small);
        free(request);
    }
    wsh_server_free(s);
    wsh_server_config_free(config);
}

static void test_one_shot_other_outcomes(void) {
    const wsh_server_config *config = make_config(0);
    uint8_t out[512];
    wsh_respond_info info;
    static const char PLAIN[] = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\nNEXT";
    static const char PREFACE[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    info.status = 77;
    CHECK_RESULT(wsh_respond(config, BYTES(RFC_REQUEST), 40, out, sizeof out, &info),
                 WSH_NEED_MORE);
    CHECK(info.decision == WSH_DECISION_NEED_MORE && info.response_len == 0 && info.status == 0);
    CHECK_RESULT(wsh_respond(config, BYTES(PLAIN), strlen(PLAIN), out, sizeof out, &info), WSH_OK);
    CHECK(info.decision == WSH_DECISION_NOT_UPGRADE && info.response_len == 0);
    CHECK(info.consumed == strlen(PLAIN) - 4);
    CHECK_RESULT(wsh_respond(config, BYTES(PREFACE), strlen(PREFACE), out, sizeof out, &info),
                 WSH_OK);
    CHECK(info.decision == WSH_DECISION_HTTP2_PREFACE);
    /* Misuse leaves info untouched. */
    info.status = 77;
    CHECK_RESULT(wsh_respond(NULL, BYTES(PLAIN), 10, out, sizeof out, &info), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_respond(config, NULL, 10, out, sizeof out, &info), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_respond(config, BYTES(PLAIN), 10, NULL, 10, &info), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_respond(config, out, 10, out + 5, 10, &info), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_respond(config, BYTES(PLAIN), 10, out, sizeof out, NULL), WSH_NULL_POINTER);
    CHECK(info.status == 77);
    wsh_server_config_free(config);
}

/* ---- misuse ----------------------------------------------------------- */

static void test_null_and_misuse(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    wsh_server *none = NULL;
    wsh_server_config_builder *b;
    const uint8_t *p = NULL;
    size_t n = 4242, consumed = 4242;
    wsh_decision d = WSH_DECISION_NEED_MORE;
    uint8_t buf[8];

    /* NULL handles. */
    CHECK_RESULT(wsh_server_new(NULL, &none), WSH_NULL_POINTER);
    CHECK(none == NULL);
    CHECK_RESULT(wsh_server_new(config, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_feed(NULL, BYTES("x"), 1, &consumed, &d), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_reset(NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_accept(NULL, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_reject(NULL, 403, NULL, 0, NULL, 0), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_response(NULL, &p, &n), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_response_advance(NULL, 0), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_drain(NULL, buf, sizeof buf, &n), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_method(NULL, &p, &n), WSH_NULL_POINTER);
    CHECK(!wsh_server_is_accepted(NULL));
    wsh_server_free(NULL);
    wsh_server_config_free(NULL);
    wsh_server_config_builder_free(NULL);
    CHECK_RESULT(wsh_server_config_builder_build(NULL, &config), WSH_NULL_POINTER);

    /* NULL outputs and (NULL, n > 0) inputs; nothing is written. */
    CHECK_RESULT(wsh_server_feed(s, BYTES("GET"), 3, NULL, &d), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_feed(s, BYTES("GET"), 3, &consumed, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_feed(s, NULL, 3, &consumed, &d), WSH_INVALID_ARGUMENT);
    CHECK(consumed == 4242);
    CHECK_RESULT(wsh_server_feed(s, NULL, 0, &consumed, &d), WSH_NEED_MORE);
    CHECK(consumed == 0);

    /* Wrong orders. */
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_server_path(s, &p, &n), WSH_WRONG_STATE);
    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK_RESULT(feed(s, "x", 1, &consumed, &d), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_server_method(s, NULL, &n), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_drain(s, NULL, 4, &n), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_OK);
    CHECK_RESULT(wsh_server_accept(s, NULL), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_server_reject(s, 403, NULL, 0, NULL, 0), WSH_WRONG_STATE);

    /* Builder misuse: refused values leave the builder usable. */
    b = wsh_server_config_builder_new();
    CHECK_RESULT(wsh_server_config_builder_add_subprotocol(b, BYTES("a b"), 3), WSH_INVALID_CONFIG);
    CHECK_RESULT(wsh_server_config_builder_add_subprotocol(b, NULL, 3), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_server_config_builder_add_subprotocol(b, BYTES("\xff"), 1), WSH_INVALID_UTF8);
    CHECK_RESULT(wsh_server_config_builder_subprotocol_selection(b, 7), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_server_config_builder_response_capacity(b, 10), WSH_INVALID_CONFIG);
    CHECK_RESULT(wsh_server_config_builder_limits(b, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_config_builder_add_allowed_origin(b, BYTES("null"), 4),
                 WSH_INVALID_CONFIG);
    wsh_server_config_builder_free(b);
    b = wsh_server_config_builder_new();
    /* build consumes the builder even when the output is NULL. */
    CHECK_RESULT(wsh_server_config_builder_build(b, NULL), WSH_NULL_POINTER);

    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* ---- threads ---------------------------------------------------------- */

struct thread_job {
    const wsh_server_config *config;
    int ok;
};

static void *thread_main(void *arg) {
    struct thread_job *job = arg;
    wsh_server *s = NULL;
    int i;
    job->ok = wsh_server_new(job->config, &s) == WSH_OK;
    for (i = 0; i < 300; i++) {
        uint8_t out[512];
        wsh_respond_info info;
        size_t consumed;
        wsh_decision d;
        job->ok &= wsh_respond(job->config, BYTES(RFC_REQUEST), strlen(RFC_REQUEST), out,
                               sizeof out, &info) == WSH_OK;
        job->ok &= info.status == 101;
        job->ok &= wsh_server_reset(s) == WSH_OK;
        job->ok &= feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d) == WSH_OK;
        job->ok &= wsh_server_accept(s, NULL) == WSH_OK;
    }
    wsh_server_free(s);
    return NULL;
}

/* One config shared by several threads, each with its own handle; the config
 * is released by the main thread while the handles still use it. */
static void test_shared_config_threads(void) {
    const wsh_server_config *config = make_config(1);
    pthread_t threads[4];
    struct thread_job jobs[4];
    int i;
    for (i = 0; i < 4; i++) {
        jobs[i].config = config;
        jobs[i].ok = 0;
        CHECK(pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].ok);
    }
    wsh_server_config_free(config);
}

/* The README's read loop, a byte per read, through wsh_respond_resume: the
 * same answer as wsh_respond on the whole request, each byte examined once
 * (then the complete head parsed), and the progress ready for the next
 * request. */
static void test_respond_resume_byte_per_read(void) {
    const wsh_server_config *config = make_config(1);
    uint8_t whole[1024], out[1024];
    wsh_respond_info whole_info, info;
    wsh_respond_progress progress = {0};
    size_t len = strlen(RFC_REQUEST), have = 0;
    uint32_t rc = WSH_NEED_MORE;
    CHECK_RESULT(wsh_respond(config, BYTES(RFC_REQUEST), len, whole, sizeof whole, &whole_info),
                 WSH_OK);
    while (rc == WSH_NEED_MORE && have < len) {
        have++;
        rc = wsh_respond_resume(config, &progress, BYTES(RFC_REQUEST), have, out, sizeof out,
                                &info);
    }
    CHECK_RESULT(rc, WSH_OK);
    CHECK(have == len);
    CHECK(info.response_len == whole_info.response_len);
    CHECK(memcmp(out, whole, info.response_len) == 0);
    CHECK(progress.scanned == 0);
    CHECK(progress.examined <= 3 * len + 1);
    CHECK_RESULT(wsh_respond_resume(config, NULL, BYTES(RFC_REQUEST), len, out, sizeof out, &info),
                 WSH_NULL_POINTER);
    wsh_server_config_free(config);
}

/* No content where HTTP allows none (RFC 9110 sections 9.3.2, 15.4.5): a 304
 * refuses a body and gets no Content-Length; a HEAD request's answer has the
 * fields a GET would get and no body. */
static void test_no_body_where_http_allows_none(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    static const char HEAD_PAGE[] = "HEAD /page HTTP/1.1\r\nHost: a\r\n\r\n";
    static const char HEAD_UPGRADE[] =
        "HEAD /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    uint8_t response[1024];
    size_t consumed, len;
    wsh_decision d;
    wsh_respond_info info;

    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_reject(s, 304, NULL, 0, BYTES("second response"), 15),
                 WSH_BODY_NOT_ALLOWED);
    CHECK_RESULT(wsh_server_reject(s, 304, NULL, 0, NULL, 0), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(starts_with(response, len, "HTTP/1.1 304 "));
    CHECK(!contains(response, len, "Content-Length"));
    CHECK(len >= 4 && memcmp(response + len - 4, "\r\n\r\n", 4) == 0);

    CHECK_RESULT(wsh_server_reset(s), WSH_OK);
    CHECK_RESULT(feed(s, HEAD_PAGE, strlen(HEAD_PAGE), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_reject(s, 401, NULL, 0, BYTES("login first"), 11), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(has_line(response, len, "Content-Length: 11"));
    CHECK(!contains(response, len, "login first"));
    CHECK(len >= 4 && memcmp(response + len - 4, "\r\n\r\n", 4) == 0);

    /* The ready-made rejection of a HEAD upgrade: 405, no body. */
    CHECK_RESULT(wsh_respond(config, BYTES(HEAD_UPGRADE), strlen(HEAD_UPGRADE), response,
                             sizeof response, &info),
                 WSH_REQUEST_METHOD_NOT_ALLOWED);
    CHECK(starts_with(response, info.response_len, "HTTP/1.1 405 "));
    CHECK(info.response_len >= 4 &&
          memcmp(response + info.response_len - 4, "\r\n\r\n", 4) == 0);
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* wsh_server_reject answers a request that is not an upgrade with any 2xx..5xx
 * (a plain response), an upgrade request only with 3xx..5xx; an Upgrade field
 * goes out with Connection: upgrade, close (RFC 9110 section 7.8). */
static void test_reject_ranges_and_upgrade_connection(void) {
    const wsh_server_config *config = make_config(0);
    wsh_server *s = make_server(config);
    static const char PAGE[] = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
    static const wsh_header UPGRADE[] = {
        {BYTES("Upgrade"), 7, BYTES("websocket"), 9},
        {BYTES("Sec-WebSocket-Version"), 21, BYTES("13"), 2},
    };
    static const wsh_header HTML = {BYTES("Content-Type"), 12, BYTES("text/html"), 9};
    uint8_t response[1024];
    size_t consumed, len;
    wsh_decision d;

    CHECK_RESULT(feed(s, PAGE, strlen(PAGE), &consumed, &d), WSH_OK);
    CHECK(d == WSH_DECISION_NOT_UPGRADE);
    CHECK_RESULT(wsh_server_reject(s, 101, NULL, 0, NULL, 0), WSH_INVALID_STATUS);
    CHECK_RESULT(wsh_server_reject(s, 199, NULL, 0, NULL, 0), WSH_INVALID_STATUS);
    CHECK_RESULT(wsh_server_reject(s, 204, NULL, 0, BYTES("x"), 1), WSH_BODY_NOT_ALLOWED);
    CHECK_RESULT(wsh_server_reject(s, 200, &HTML, 1, BYTES("<p>hi</p>"), 9), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(starts_with(response, len, "HTTP/1.1 200 OK\r\n"));
    CHECK(has_line(response, len, "Content-Type: text/html"));
    CHECK(has_line(response, len, "Content-Length: 9"));
    CHECK(has_line(response, len, "Connection: close"));
    CHECK(len >= 13 && memcmp(response + len - 13, "\r\n\r\n<p>hi</p>", 13) == 0);

    CHECK_RESULT(wsh_server_reset(s), WSH_OK);
    CHECK_RESULT(feed(s, PAGE, strlen(PAGE), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_reject(s, 204, NULL, 0, NULL, 0), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(starts_with(response, len, "HTTP/1.1 204 No Content\r\n"));
    CHECK(!contains(response, len, "Content-Length"));

    /* An upgrade request: no 2xx; a 426 with Upgrade lists upgrade in Connection. */
    CHECK_RESULT(wsh_server_reset(s), WSH_OK);
    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK(d == WSH_DECISION_UPGRADE_WEBSOCKET);
    CHECK_RESULT(wsh_server_reject(s, 200, NULL, 0, NULL, 0), WSH_INVALID_STATUS);
    CHECK_RESULT(wsh_server_reject(s, 426, UPGRADE, 2, NULL, 0), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(starts_with(response, len, "HTTP/1.1 426 Upgrade Required\r\n"));
    CHECK(has_line(response, len, "Upgrade: websocket"));
    CHECK(has_line(response, len, "Connection: upgrade, close"));

    CHECK_RESULT(wsh_server_reset(s), WSH_OK);
    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK_RESULT(wsh_server_reject(s, 403, NULL, 0, NULL, 0), WSH_OK);
    len = pending(s, response, sizeof response);
    CHECK(has_line(response, len, "Connection: close"));
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* A handle in static memory (wsh_server_size + wsh_server_init): it answers
 * as a heap handle does, wsh_server_free() leaves the memory alone (valgrind
 * and ASan would report a free of it), and the memory can be used again. */
static uint8_t server_memory[64 * 1024 + WSH_SERVER_ALIGN];

static void test_server_in_caller_memory(void) {
    const wsh_server_config *config = make_config(1);
    size_t size = wsh_server_size(config);
    uintptr_t at = (uintptr_t)server_memory;
    uint8_t *mem = server_memory + (WSH_SERVER_ALIGN - at % WSH_SERVER_ALIGN) % WSH_SERVER_ALIGN;
    wsh_server *s = NULL;
    uint8_t response[1024];
    size_t consumed, len;
    wsh_decision d;
    int round;

    CHECK(size > 0 && size <= sizeof server_memory - WSH_SERVER_ALIGN);
    CHECK(wsh_server_size(NULL) == 0);
    CHECK_RESULT(wsh_server_init(config, NULL, size, &s), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_init(config, mem + 1, size, &s), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_server_init(config, mem, size - 1, &s), WSH_BUFFER_TOO_SMALL);
    CHECK(s == NULL);
    for (round = 0; round < 2; round++) {
        CHECK_RESULT(wsh_server_init(config, mem, size, &s), WSH_OK);
        CHECK((uint8_t *)s == mem);
        CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
        CHECK(d == WSH_DECISION_UPGRADE_WEBSOCKET);
        CHECK_RESULT(wsh_server_accept(s, NULL), WSH_OK);
        len = pending(s, response, sizeof response);
        CHECK(starts_with(response, len, "HTTP/1.1 101 Switching Protocols\r\n"));
        CHECK(has_line(response, len, "Sec-WebSocket-Accept: " SAMPLE_ACCEPT));
        wsh_server_free(s);
    }
    wsh_server_config_free(config);
}

/* Runs `calls` with stderr redirected to a temporary file; returns the number
 * of bytes written to stderr meanwhile. */
static long stderr_bytes_during(void (*calls)(void *), void *arg) {
    FILE *capture = tmpfile();
    int saved;
    long written;
    CHECK(capture != NULL);
    fflush(stderr);
    saved = dup(2);
    CHECK(saved >= 0 && dup2(fileno(capture), 2) == 2);
    calls(arg);
    fflush(stderr);
    CHECK(dup2(saved, 2) == 2);
    close(saved);
    CHECK(fseek(capture, 0, SEEK_END) == 0);
    written = ftell(capture);
    fclose(capture);
    return written;
}

static void huge_counts(void *arg) {
    wsh_server *s = arg;
    wsh_header one = {BYTES("X-A"), 3, BYTES("b"), 1};
    wsh_bytes element = {BYTES("x-foo"), 5};
    wsh_accept_options opts;
    const size_t counts[] = {(size_t)1 << 40, SIZE_MAX, 4096 / 2 + 1};
    size_t i;
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        memset(&opts, 0, sizeof opts);
        opts.headers = &one;
        opts.header_count = counts[i];
        CHECK_RESULT(wsh_server_accept(s, &opts), WSH_INVALID_ARGUMENT);
        memset(&opts, 0, sizeof opts);
        opts.extensions = &element;
        opts.extension_count = counts[i];
        CHECK_RESULT(wsh_server_accept(s, &opts), WSH_INVALID_ARGUMENT);
        CHECK_RESULT(wsh_server_reject(s, 403, &one, counts[i], NULL, 0), WSH_INVALID_ARGUMENT);
    }
}

/* A caller's count is bounded before anything is allocated: 1 << 40 headers
 * used to abort the process ("memory allocation of 35184372088832 bytes
 * failed" on stderr, SIGABRT). Now an error, and nothing on stderr. */
static void test_huge_counts(void) {
    const wsh_server_config *config = make_config(1);
    wsh_server *s = make_server(config);
    size_t consumed;
    wsh_decision d;
    wsh_header one = {BYTES("X-A"), 3, BYTES("b"), 1};
    CHECK_RESULT(feed(s, RFC_REQUEST, strlen(RFC_REQUEST), &consumed, &d), WSH_OK);
    CHECK(stderr_bytes_during(huge_counts, s) == 0);
    /* Nothing changed: the request can still be answered. */
    CHECK_RESULT(wsh_server_reject(s, 403, &one, 1, NULL, 0), WSH_OK);
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* wsh_server_path is the path part in every form: for an absolute-form
 * target without scheme and authority (RFC 9112 section 3.2.2). */
static void test_absolute_form_path(void) {
    static const char REQUEST[] =
        "GET http://example.com/chat?room=1 HTTP/1.1\r\nHost: example.com\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const wsh_server_config *config = make_config(0);
    wsh_server *s = make_server(config);
    size_t consumed = 0, n = 0;
    const uint8_t *p = NULL;
    wsh_decision d;
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_OK);
    CHECK(d == WSH_DECISION_UPGRADE_WEBSOCKET);
    CHECK_RESULT(wsh_server_target(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "http://example.com/chat?room=1");
    CHECK_RESULT(wsh_server_path(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "/chat");
    CHECK_RESULT(wsh_server_query(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "room=1");
    wsh_server_free(s);
    wsh_server_config_free(config);
}

/* The lenient unbracketed-IPv6 Host (WebSocket-Node's "Host: ::1:PORT"):
 * refused by default, accepted and reported as sent with the switch. */
static void test_unbracketed_ipv6_host(void) {
    static const char REQUEST[] =
        "GET /chat HTTP/1.1\r\nHost: ::1:43343\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    const wsh_server_config *strict = make_config(0), *lenient = NULL;
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    wsh_server *s = make_server(strict);
    size_t consumed = 0, n = 0;
    const uint8_t *p = NULL;
    wsh_decision d;
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_REQUEST_INVALID_HOST);
    wsh_server_free(s);
    CHECK_RESULT(wsh_server_config_builder_allow_unbracketed_ipv6_host(b, true), WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_allow_unbracketed_ipv6_host(NULL, true),
                 WSH_NULL_POINTER);
    CHECK_RESULT(wsh_server_config_builder_build(b, &lenient), WSH_OK);
    s = make_server(lenient);
    CHECK_RESULT(feed(s, REQUEST, strlen(REQUEST), &consumed, &d), WSH_OK);
    CHECK(d == WSH_DECISION_UPGRADE_WEBSOCKET);
    CHECK_RESULT(wsh_server_host(s, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "::1:43343");
    wsh_server_free(s);
    wsh_server_config_free(lenient);
    wsh_server_config_free(strict);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        fixtures_dir = argv[1];
    }
    test_version();
    test_result_strings();
    test_accept_key();
    test_rfc_sample();
    test_rejections();
    test_byte_at_a_time_and_leftovers();
    test_handle_reuse();
    test_custom_reject();
    test_accept_options();
    test_inspection();
    test_h2c();
    test_one_shot_buffers();
    test_one_shot_other_outcomes();
    test_null_and_misuse();
    test_shared_config_threads();
    test_huge_counts();
    test_no_body_where_http_allows_none();
    test_reject_ranges_and_upgrade_connection();
    test_server_in_caller_memory();
    test_absolute_form_path();
    test_unbracketed_ipv6_host();
    test_respond_resume_byte_per_read();
    return check_summary();
}
