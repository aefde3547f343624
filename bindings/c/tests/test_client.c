/* C test suite for the wshandshake client API: the RFC 6455 sample exchange
 * with a fixed nonce, byte-at-a-time feeding, leftover frame bytes, refusals,
 * every response error, misuse, and a round trip through the C server API.
 *
 * Written in the common subset of C99 and C++11: the Makefile also builds it
 * as C++ to check the header from that side.
 *
 * Usage: test_client   (no arguments)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common.h"

/* The RFC 6455 section 1.3 client request, in this engine's header order. */
static const char RFC_CLIENT_REQUEST[] =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: " SAMPLE_KEY "\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "\r\n";

/* The RFC 6455 section 1.3 server response. */
static const char RFC_RESPONSE[] = ACCEPTED_HEAD "Sec-WebSocket-Protocol: chat\r\n\r\n";

/* ---- helpers ---------------------------------------------------------- */

static wsh_client_config_builder *new_builder(const char *url) {
    wsh_client_config_builder *b = NULL;
    CHECK_RESULT(wsh_client_config_builder_new(BYTES(url), strlen(url), &b), WSH_OK);
    CHECK(b != NULL);
    return b;
}

static const wsh_client_config *build(wsh_client_config_builder *b) {
    const wsh_client_config *config = NULL;
    CHECK_RESULT(wsh_client_config_builder_build(b, &config), WSH_OK);
    CHECK(config != NULL);
    return config;
}

static uint32_t add_subprotocol(wsh_client_config_builder *b, const char *name) {
    return wsh_client_config_builder_add_subprotocol(b, BYTES(name), strlen(name));
}

/* The RFC sample client: origin http://example.com, chat and superchat. */
static const wsh_client_config *rfc_config(void) {
    wsh_client_config_builder *b = new_builder("ws://server.example.com/chat");
    CHECK_RESULT(wsh_client_config_builder_origin(b, BYTES("http://example.com"), 18), WSH_OK);
    CHECK_RESULT(add_subprotocol(b, "chat"), WSH_OK);
    CHECK_RESULT(add_subprotocol(b, "superchat"), WSH_OK);
    return build(b);
}

/* chat and superchat, the browsers' permessage-deflate offer, x-foo. */
static const wsh_client_config *full_config(void) {
    wsh_client_config_builder *b = new_builder("ws://server.example.com/chat");
    wsh_deflate_offer offer;
    CHECK_RESULT(add_subprotocol(b, "chat"), WSH_OK);
    CHECK_RESULT(add_subprotocol(b, "superchat"), WSH_OK);
    CHECK_RESULT(wsh_deflate_offer_default(&offer), WSH_OK);
    CHECK_RESULT(wsh_client_config_builder_permessage_deflate(b, &offer), WSH_OK);
    CHECK_RESULT(wsh_client_config_builder_add_extension(b, BYTES("x-foo"), 5), WSH_OK);
    return build(b);
}

static wsh_client *new_client(const wsh_client_config *config) {
    wsh_client *c = NULL;
    CHECK_RESULT(wsh_client_new_with_key(config, SAMPLE_NONCE, &c), WSH_OK);
    CHECK(c != NULL);
    return c;
}

static uint32_t feed(wsh_client *c, const char *data, size_t len, size_t *consumed,
                     wsh_client_decision *decision) {
    return wsh_client_feed(c, BYTES(data), len, consumed, decision);
}

/* Copies the whole pending request into buf (without marking it sent). */
static size_t request_of(const wsh_client *c, uint8_t *buf, size_t cap) {
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK_RESULT(wsh_client_request(c, &data, &len), WSH_OK);
    return copy_view(data, len, buf, cap);
}

/* ---- the RFC sample --------------------------------------------------- */

static void test_rfc_sample_exchange(void) {
    const wsh_client_config *config = rfc_config();
    wsh_client *c = new_client(config);
    const uint8_t *p = NULL;
    size_t n = 0, consumed = 0, total, written;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    uint16_t status = 0;
    uint8_t sent[512];
    wsh_deflate_params params;

    /* The request, byte for byte, sent in pieces. */
    CHECK_RESULT(wsh_client_key(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, SAMPLE_KEY);
    CHECK(n == WSH_KEY_LEN);
    CHECK_RESULT(wsh_client_request(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, RFC_CLIENT_REQUEST);
    memcpy(sent, p, 10);
    CHECK_RESULT(wsh_client_request_advance(c, n + 1), WSH_OUT_OF_RANGE);
    CHECK_RESULT(wsh_client_request_advance(c, 10), WSH_OK);
    total = 10;
    for (;;) {
        CHECK_RESULT(wsh_client_drain(c, sent + total, 16, &written), WSH_OK);
        if (written == 0) {
            break;
        }
        total += written;
    }
    CHECK_BYTES(sent, total, RFC_CLIENT_REQUEST);
    CHECK_RESULT(wsh_client_request(c, &p, &n), WSH_OK);
    CHECK(n == 0);

    /* The server's answer. */
    CHECK(!wsh_client_is_accepted(c));
    CHECK_RESULT(wsh_client_status(c, &status), WSH_WRONG_STATE);
    CHECK_RESULT(feed(c, RFC_RESPONSE, strlen(RFC_RESPONSE), &consumed, &decision), WSH_OK);
    CHECK(consumed == strlen(RFC_RESPONSE));
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
    CHECK(wsh_client_is_accepted(c));
    CHECK_RESULT(wsh_client_status(c, &status), WSH_OK);
    CHECK(status == 101);
    CHECK_RESULT(wsh_client_reason(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "Switching Protocols");
    CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "chat");
    CHECK_RESULT(wsh_client_deflate(c, &params), WSH_NOT_FOUND);
    CHECK_RESULT(wsh_client_extension_count(c, &n), WSH_OK);
    CHECK(n == 0);
    CHECK_RESULT(wsh_client_head(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, RFC_RESPONSE);
    CHECK_RESULT(wsh_client_outcome(c, &decision), WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
    /* Decided: more input is misuse. */
    CHECK_RESULT(feed(c, "x", 1, &consumed, &decision), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_client_finish(c, &decision), WSH_WRONG_STATE);
    wsh_client_free(c);
    wsh_client_config_free(config);
}

static void test_byte_at_a_time_and_leftovers(void) {
    const wsh_client_config *config = full_config();
    wsh_client *c = new_client(config);
    const char response[] =
        ACCEPTED_HEAD "Sec-WebSocket-Protocol: superchat\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10, "
                      "x-foo; a=1\r\n\r\n"
                      "\x81\x02hi";
    size_t head_len = strlen(response) - 4;
    size_t i, consumed = 0, n = 0;
    const uint8_t *p = NULL;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    wsh_deflate_params params;
    uint32_t r = WSH_NEED_MORE;

    /* One byte at a time up to the end of the head. */
    for (i = 0; i < head_len; i++) {
        r = feed(c, response + i, 1, &consumed, &decision);
        if (i + 1 < head_len) {
            CHECK(r == WSH_NEED_MORE && consumed == 1 && decision == WSH_CLIENT_DECISION_NEED_MORE);
        }
    }
    CHECK_RESULT(r, WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
    CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "superchat");
    CHECK_RESULT(wsh_client_deflate(c, &params), WSH_OK);
    CHECK(params.client_max_window_bits == 10 && params.server_max_window_bits == 15);
    CHECK(!params.server_no_context_takeover && !params.client_no_context_takeover);
    CHECK_RESULT(wsh_client_extension_count(c, &n), WSH_OK);
    CHECK(n == 2);
    CHECK_RESULT(wsh_client_extension_at(c, 0, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "permessage-deflate; client_max_window_bits=10");
    CHECK_RESULT(wsh_client_extension_at(c, 1, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "x-foo; a=1");
    CHECK_RESULT(wsh_client_extension_at(c, 2, &p, &n), WSH_OUT_OF_RANGE);

    /* The whole response at once: the frame after the head is not taken. */
    CHECK_RESULT(wsh_client_reset(c, SAMPLE_NONCE), WSH_OK);
    CHECK_RESULT(feed(c, response, strlen(response), &consumed, &decision), WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
    CHECK(consumed == head_len);
    CHECK(memcmp(response + consumed, "\x81\x02hi", 4) == 0);
    wsh_client_free(c);
    wsh_client_config_free(config);
}

static void test_interim_then_accept(void) {
    const wsh_client_config *config = rfc_config();
    wsh_client *c = new_client(config);
    const char response[] = "HTTP/1.1 100 Continue\r\n\r\n" ACCEPTED_HEAD
                            "Sec-WebSocket-Protocol: chat\r\n\r\n";
    size_t consumed = 0;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    uint16_t status = 0;
    CHECK_RESULT(feed(c, response, strlen(response), &consumed, &decision), WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED && consumed == strlen(response));
    CHECK_RESULT(wsh_client_status(c, &status), WSH_OK);
    CHECK(status == 101);
    wsh_client_free(c);
    wsh_client_config_free(config);
}

/* ---- refusals --------------------------------------------------------- */

static void test_refusal_401_with_body(void) {
    const wsh_client_config *config = rfc_config();
    wsh_client *c = new_client(config);
    const char response[] = "HTTP/1.1 401 Unauthorized\r\n"
                            "WWW-Authenticate: Bearer realm=\"chat\"\r\n"
                            "X-Trace: a\r\nX-Trace: b\r\n"
                            "Content-Length: 12\r\n\r\nlogin first!NEXT";
    size_t consumed = 0, n = 0, count = 0, name_len = 0, value_len = 0;
    const uint8_t *p = NULL, *name = NULL, *value = NULL;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    uint16_t status = 0;
    wsh_deflate_params params;

    CHECK_RESULT(feed(c, response, strlen(response), &consumed, &decision), WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_REFUSED);
    CHECK(strcmp(response + consumed, "NEXT") == 0);
    CHECK(!wsh_client_is_accepted(c));
    CHECK_RESULT(wsh_client_status(c, &status), WSH_OK);
    CHECK(status == 401);
    CHECK_RESULT(wsh_client_reason(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "Unauthorized");
    CHECK_RESULT(wsh_client_body(c, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "login first!");
    CHECK_RESULT(wsh_client_header(c, BYTES("www-authenticate"), 16, 0, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "Bearer realm=\"chat\"");
    CHECK_RESULT(wsh_client_header(c, BYTES("X-TRACE"), 7, 1, &p, &n), WSH_OK);
    CHECK_BYTES(p, n, "b");
    CHECK_RESULT(wsh_client_header(c, BYTES("X-Trace"), 7, 2, &p, &n), WSH_NOT_FOUND);
    CHECK_RESULT(wsh_client_header_count(c, &count), WSH_OK);
    CHECK(count == 4);
    CHECK_RESULT(wsh_client_header_at(c, 3, &name, &name_len, &value, &value_len), WSH_OK);
    CHECK_BYTES(name, name_len, "Content-Length");
    CHECK_BYTES(value, value_len, "12");
    CHECK_RESULT(wsh_client_header_at(c, 4, &name, &name_len, &value, &value_len),
                 WSH_OUT_OF_RANGE);
    /* No negotiation results for a refusal. */
    CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_client_deflate(c, &params), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_client_extension_count(c, &n), WSH_WRONG_STATE);

    /* A refusal without a length ends at the close. */
    {
        const char close_delimited[] = "HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\nno way";
        CHECK_RESULT(wsh_client_reset(c, SAMPLE_NONCE), WSH_OK);
        CHECK_RESULT(feed(c, close_delimited, strlen(close_delimited), &consumed, &decision),
                     WSH_NEED_MORE);
        CHECK(consumed == strlen(close_delimited));
        CHECK_RESULT(wsh_client_finish(c, &decision), WSH_OK);
        CHECK(decision == WSH_CLIENT_DECISION_REFUSED);
        CHECK_RESULT(wsh_client_body(c, &p, &n), WSH_OK);
        CHECK_BYTES(p, n, "no way");
    }
    wsh_client_free(c);
    wsh_client_config_free(config);
}

/* ---- every response error --------------------------------------------- */

struct failure {
    int config; /* 0 full, 1 small limits, 2 strict deflate offer */
    const char *response;
    int finish; /* the connection closes after the bytes */
    uint32_t result;
};

#define PROTO "Sec-WebSocket-Protocol: chat\r\n"
#define BOTH "Upgrade: websocket\r\nConnection: Upgrade\r\n"
#define ACCEPT_LINE "Sec-WebSocket-Accept: " SAMPLE_ACCEPT "\r\n"
#define EXT(e) ACCEPTED_HEAD PROTO "Sec-WebSocket-Extensions: " e "\r\n\r\n"

static const struct failure FAILURES[] = {
    {1, "HTTP/1.1 200 OK\nA: 1\r\n\r\n", 0, WSH_RESPONSE_MALFORMED_HEAD},
    {1,
     "HTTP/1.1 200 OK\r\nX-Pad: pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
     "pppppppppppppppppppppp\r\n\r\n",
     0, WSH_RESPONSE_HEAD_TOO_LARGE},
    {1, "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 0,
     WSH_RESPONSE_TOO_MANY_HEADERS},
    {0, "HTTP/1.1 700 What\r\n\r\n", 0, WSH_RESPONSE_INVALID_STATUS},
    {0, "HTTP/1.0 101 S\r\n" BOTH ACCEPT_LINE PROTO "\r\n", 0, WSH_RESPONSE_INVALID_VERSION},
    {0, "HTTP/1.1 101 S\r\nConnection: Upgrade\r\n" ACCEPT_LINE PROTO "\r\n", 0,
     WSH_RESPONSE_MISSING_UPGRADE},
    {0, "HTTP/1.1 101 S\r\nUpgrade: websocket\r\n" ACCEPT_LINE PROTO "\r\n", 0,
     WSH_RESPONSE_MISSING_CONNECTION_UPGRADE},
    {0, "HTTP/1.1 101 S\r\n" BOTH PROTO "\r\n", 0, WSH_RESPONSE_MISSING_ACCEPT},
    {0, "HTTP/1.1 101 S\r\n" BOTH ACCEPT_LINE ACCEPT_LINE PROTO "\r\n", 0,
     WSH_RESPONSE_DUPLICATE_ACCEPT},
    {0, "HTTP/1.1 101 S\r\n" BOTH "Sec-WebSocket-Accept: " SAMPLE_KEY "\r\n" PROTO "\r\n", 0,
     WSH_RESPONSE_WRONG_ACCEPT},
    {0, ACCEPTED_HEAD "Sec-WebSocket-Protocol: other\r\n\r\n", 0,
     WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL},
    {0, ACCEPTED_HEAD "\r\n", 0, WSH_RESPONSE_MISSING_SUBPROTOCOL},
    {0, ACCEPTED_HEAD PROTO PROTO "\r\n", 0, WSH_RESPONSE_DUPLICATE_SUBPROTOCOL},
    {0, EXT("x-foo; ="), 0, WSH_RESPONSE_INVALID_EXTENSIONS},
    {0, EXT("x-unknown"), 0, WSH_RESPONSE_UNEXPECTED_EXTENSION},
    {0, EXT("x-foo, x-foo"), 0, WSH_RESPONSE_DUPLICATE_EXTENSION},
    {0, EXT("permessage-deflate; server_max_window_bits=16"), 0,
     WSH_RESPONSE_INVALID_DEFLATE_PARAMETER},
    {0, EXT("permessage-deflate; client_max_window_bits"), 0,
     WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS},
    {2,
     ACCEPTED_HEAD "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                   "server_max_window_bits=10\r\n\r\n",
     0, WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE},
    {2, ACCEPTED_HEAD "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n\r\n",
     0, WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER},
    /* RFC 7692 section 7.1.2.1: an offered server_max_window_bits is accepted
     * by answering it; a response without it never agreed to the window. */
    {2, ACCEPTED_HEAD "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n",
     0, WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS},
    {0, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 0, WSH_RESPONSE_INVALID_CONTENT_LENGTH},
    {0, "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabc\r\n", 0,
     WSH_RESPONSE_INVALID_CHUNKED_BODY},
    {1, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789", 0, WSH_RESPONSE_BODY_TOO_LARGE},
    {0, "HTTP/1.1 101 S\r\nUpgrade: websocket\r", 1, WSH_RESPONSE_INCOMPLETE_HEAD},
    {0, "HTTP/1.1 401 U\r\nContent-Length: 10\r\n\r\nshort", 1, WSH_RESPONSE_INCOMPLETE_BODY},
};
#define FAILURE_COUNT (sizeof FAILURES / sizeof FAILURES[0])

static void test_every_response_error(void) {
    const wsh_client_config *configs[3];
    wsh_client_config_builder *b;
    wsh_client_limits limits;
    wsh_deflate_offer offer;
    size_t i, j;

    configs[0] = full_config();
    b = new_builder("ws://h/");
    CHECK_RESULT(wsh_client_limits_default(&limits), WSH_OK);
    limits.max_head_bytes = 64;
    limits.max_headers = 3;
    limits.max_body_bytes = 8;
    CHECK_RESULT(wsh_client_config_builder_limits(b, &limits), WSH_OK);
    configs[1] = build(b);
    b = new_builder("ws://h/");
    memset(&offer, 0, sizeof offer);
    offer.server_no_context_takeover = true;
    offer.server_max_window_bits = 9;
    offer.offer_client_max_window_bits = true;
    offer.client_max_window_bits = 10;
    CHECK_RESULT(wsh_client_config_builder_permessage_deflate(b, &offer), WSH_OK);
    configs[2] = build(b);

    CHECK(FAILURE_COUNT == 26); /* one per WSH_RESPONSE_* code */
    for (i = 0; i < FAILURE_COUNT; i++) {
        const struct failure *f = &FAILURES[i];
        wsh_client *c = new_client(configs[f->config]);
        size_t consumed = 0, len = strlen(f->response);
        wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
        uint32_t r = feed(c, f->response, len, &consumed, &decision);
        const uint8_t *p = NULL;
        size_t n = 0;
        if (f->finish) {
            CHECK_RESULT(r, WSH_NEED_MORE);
            r = wsh_client_finish(c, &decision);
        } else {
            CHECK(consumed == len); /* a failure takes every byte */
        }
        CHECK_RESULT(r, f->result);
        CHECK(decision == WSH_CLIENT_DECISION_FAILED);
        CHECK(wsh_result_http_status(r) == 0);
        CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_WRONG_STATE);
        CHECK_RESULT(wsh_client_outcome(c, &decision), f->result);
        /* Each failure has its own code and string. */
        for (j = 0; j < i; j++) {
            CHECK(FAILURES[j].result != f->result);
            CHECK(strcmp(wsh_result_str(FAILURES[j].result), wsh_result_str(f->result)) != 0);
        }
        wsh_client_free(c);
    }
    for (i = 0; i < 3; i++) {
        wsh_client_config_free(configs[i]);
    }
}

/* ---- config ----------------------------------------------------------- */

static void test_url_parts(void) {
    wsh_client_config_builder *b = new_builder("wss://[::1]:9000/x?y");
    const wsh_client_config *config = build(b);
    wsh_client_url url;
    CHECK_RESULT(wsh_client_config_url(config, &url), WSH_OK);
    CHECK_BYTES(url.host, url.host_len, "::1");
    CHECK(url.host_kind == WSH_HOST_IPV6);
    CHECK(url.port == 9000);
    CHECK(url.secure);
    CHECK_BYTES(url.host_header, url.host_header_len, "[::1]:9000");
    CHECK_BYTES(url.resource, url.resource_len, "/x?y");
    wsh_client_config_free(config);

    config = build(new_builder("ws://Example.COM"));
    CHECK_RESULT(wsh_client_config_url(config, &url), WSH_OK);
    CHECK_BYTES(url.host, url.host_len, "example.com");
    CHECK(url.host_kind == WSH_HOST_NAME && url.port == 80 && !url.secure);
    CHECK_BYTES(url.resource, url.resource_len, "/");
    wsh_client_config_free(config);

    config = build(new_builder("wss://127.0.0.1/"));
    CHECK_RESULT(wsh_client_config_url(config, &url), WSH_OK);
    CHECK(url.host_kind == WSH_HOST_IPV4 && url.port == 443 && url.secure);
    CHECK_RESULT(wsh_client_config_url(config, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_config_url(NULL, &url), WSH_NULL_POINTER);
    wsh_client_config_free(config);
}

static void test_builder_errors(void) {
    static const char *const bad_urls[] = {"http://h/", "ws://h/#x", "ws://user@h/", "ws://",
                                           "ws://h:0/", "ws://h/a b", "", "ws://h/\xff"};
    wsh_client_config_builder *b = NULL;
    const wsh_client_config *config;
    wsh_client *c;
    wsh_deflate_offer offer;
    wsh_client_limits limits;
    uint8_t request[512];
    size_t i, len;

    for (i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        CHECK_RESULT(wsh_client_config_builder_new(BYTES(bad_urls[i]), strlen(bad_urls[i]), &b),
                     WSH_INVALID_URL);
        CHECK(b == NULL);
    }
    CHECK_RESULT(wsh_client_config_builder_new(NULL, 3, &b), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_client_config_builder_new(BYTES("ws://h/"), 7, NULL), WSH_NULL_POINTER);

    b = new_builder("ws://h/");
    CHECK_RESULT(wsh_client_config_builder_origin(b, BYTES("https://a/"), 10), WSH_INVALID_ORIGIN);
    CHECK_RESULT(add_subprotocol(b, "a b"), WSH_INVALID_SUBPROTOCOL);
    CHECK_RESULT(add_subprotocol(b, ""), WSH_INVALID_SUBPROTOCOL);
    CHECK_RESULT(add_subprotocol(b, "chat"), WSH_OK);
    CHECK_RESULT(add_subprotocol(b, "chat"), WSH_DUPLICATE_SUBPROTOCOL);
    CHECK_RESULT(wsh_deflate_offer_default(&offer), WSH_OK);
    offer.server_max_window_bits = 7;
    CHECK_RESULT(wsh_client_config_builder_permessage_deflate(b, &offer), WSH_INVALID_EXTENSION);
    CHECK_RESULT(wsh_client_config_builder_permessage_deflate(b, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_config_builder_add_extension(b, BYTES("a, b"), 4),
                 WSH_INVALID_EXTENSION);
    CHECK_RESULT(wsh_client_config_builder_add_extension(b, BYTES("permessage-deflate"), 18),
                 WSH_INVALID_EXTENSION);
    CHECK_RESULT(wsh_client_config_builder_add_header(b, BYTES("X A"), 3, BYTES("v"), 1),
                 WSH_INVALID_HEADER_NAME);
    CHECK_RESULT(
        wsh_client_config_builder_add_header(b, BYTES("X-A"), 3, BYTES("v\r\nHost: evil"), 14),
        WSH_INVALID_HEADER_VALUE);
    CHECK_RESULT(wsh_client_config_builder_add_header(b, BYTES("Sec-WebSocket-Key"), 17,
                                                      BYTES("k"), 1),
                 WSH_RESERVED_HEADER);
    CHECK_RESULT(wsh_client_config_builder_add_header(b, BYTES("Authorization"), 13,
                                                      BYTES("Bearer t"), 8),
                 WSH_OK);
    CHECK_RESULT(wsh_client_limits_default(&limits), WSH_OK);
    limits.max_headers = 0;
    CHECK_RESULT(wsh_client_config_builder_limits(b, &limits), WSH_INVALID_CONFIG);
    CHECK_RESULT(wsh_client_config_builder_subprotocol_mode(b, 2), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_client_config_builder_subprotocol_mode(b, WSH_CLIENT_SUBPROTOCOL_RFC6455),
                 WSH_OK);
    config = build(b);
    /* Only the valid settings are in the request. */
    c = new_client(config);
    len = request_of(c, request, sizeof request);
    {
        const char expected[] = "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: " SAMPLE_KEY "\r\n"
                                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n"
                                "Authorization: Bearer t\r\n\r\n";
        CHECK_BYTES(request, len, expected);
    }
    /* RFC 6455 mode: no subprotocol selected is fine. */
    {
        const char response[] = ACCEPTED_HEAD "\r\n";
        size_t consumed = 0, n = 0;
        const uint8_t *p = NULL;
        wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
        CHECK_RESULT(feed(c, response, strlen(response), &consumed, &decision), WSH_OK);
        CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
        CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_NOT_FOUND);
    }
    wsh_client_free(c);
    wsh_client_config_free(config);
}

/* ---- misuse ----------------------------------------------------------- */

static void test_null_and_misuse(void) {
    const wsh_client_config *config = rfc_config();
    wsh_client *c = new_client(config);
    wsh_client *none = NULL;
    const uint8_t *p = NULL;
    size_t n = 0;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    uint16_t status = 0;
    uint8_t buf[16];

    CHECK_RESULT(wsh_client_new(NULL, &none), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_new(config, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_new_with_key(config, NULL, &none), WSH_NULL_POINTER);
    CHECK(none == NULL);
    CHECK_RESULT(wsh_client_feed(NULL, BYTES("x"), 1, &n, &decision), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_feed(c, NULL, 1, &n, &decision), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_client_feed(c, BYTES("x"), 1, NULL, &decision), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_feed(c, BYTES("x"), 1, &n, NULL), WSH_NULL_POINTER);
    CHECK(n == 0);
    CHECK_RESULT(wsh_client_feed(c, NULL, 0, &n, &decision), WSH_NEED_MORE);
    CHECK_RESULT(wsh_client_request(NULL, &p, &n), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_request(c, NULL, &n), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_drain(c, NULL, 4, &n), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_client_drain(c, buf, sizeof buf, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_request_advance(NULL, 0), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_status(c, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_status(c, &status), WSH_WRONG_STATE);
    CHECK_RESULT(wsh_client_reset(NULL, SAMPLE_NONCE), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_finish(NULL, &decision), WSH_NULL_POINTER);
    CHECK(!wsh_client_is_accepted(NULL));
    /* Draining into the pending request itself is refused. */
    CHECK_RESULT(wsh_client_request(c, &p, &n), WSH_OK);
    CHECK_RESULT(wsh_client_drain(c, (uint8_t *)(uintptr_t)p, n, &n), WSH_INVALID_ARGUMENT);
    wsh_client_free(NULL);
    wsh_client_config_free(NULL);
    wsh_client_config_builder_free(NULL);
    wsh_client_free(c);
    wsh_client_config_free(config);
}

/* ---- reuse, keys ------------------------------------------------------ */

static void test_reset_and_os_keys(void) {
    const wsh_client_config *config = rfc_config();
    wsh_client *a = NULL, *b = NULL;
    const uint8_t *ka = NULL, *kb = NULL;
    size_t na = 0, nb = 0, consumed = 0;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    static const uint8_t zeros[WSH_NONCE_LEN] = {0};

    CHECK_RESULT(wsh_client_new(config, &a), WSH_OK);
    CHECK_RESULT(wsh_client_new(config, &b), WSH_OK);
    CHECK_RESULT(wsh_client_key(a, &ka, &na), WSH_OK);
    CHECK_RESULT(wsh_client_key(b, &kb, &nb), WSH_OK);
    CHECK(na == WSH_KEY_LEN && nb == WSH_KEY_LEN);
    CHECK(memcmp(ka, kb, WSH_KEY_LEN) != 0);
    CHECK(ka[22] == '=' && ka[23] == '=');

    /* The sample key: accepted; a zero key: the sample accept is wrong. */
    CHECK_RESULT(wsh_client_reset(a, SAMPLE_NONCE), WSH_OK);
    CHECK_RESULT(feed(a, RFC_RESPONSE, strlen(RFC_RESPONSE), &consumed, &decision), WSH_OK);
    CHECK_RESULT(wsh_client_reset(a, zeros), WSH_OK);
    CHECK_RESULT(wsh_client_key(a, &ka, &na), WSH_OK);
    CHECK_BYTES(ka, na, "AAAAAAAAAAAAAAAAAAAAAA==");
    CHECK(!wsh_client_is_accepted(a));
    CHECK_RESULT(feed(a, RFC_RESPONSE, strlen(RFC_RESPONSE), &consumed, &decision),
                 WSH_RESPONSE_WRONG_ACCEPT);
    /* NULL: a fresh key from the operating system. */
    CHECK_RESULT(wsh_client_reset(a, NULL), WSH_OK);
    CHECK_RESULT(wsh_client_key(a, &ka, &na), WSH_OK);
    CHECK(na == WSH_KEY_LEN && memcmp(ka, "AAAAAAAAAAAAAAAAAAAAAA==", na) != 0);
    wsh_client_free(a);
    wsh_client_free(b);
    /* The config may be freed before its handles. */
    a = new_client(config);
    wsh_client_config_free(config);
    CHECK_RESULT(feed(a, RFC_RESPONSE, strlen(RFC_RESPONSE), &consumed, &decision), WSH_OK);
    CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
    wsh_client_free(a);
}

/* ---- round trip with the C server API --------------------------------- */

static void test_round_trip_with_the_server(void) {
    wsh_server_config_builder *sb = wsh_server_config_builder_new();
    const wsh_server_config *server_config = NULL;
    const wsh_client_config *config = full_config();
    wsh_deflate_config deflate;
    wsh_server *server = NULL;
    int round;

    CHECK_RESULT(wsh_server_config_builder_add_subprotocol(sb, BYTES("chat"), 4), WSH_OK);
    CHECK_RESULT(wsh_deflate_config_default(&deflate), WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_permessage_deflate(sb, &deflate), WSH_OK);
    CHECK_RESULT(wsh_server_config_builder_build(sb, &server_config), WSH_OK);
    CHECK_RESULT(wsh_server_new(server_config, &server), WSH_OK);

    for (round = 0; round < 3; round++) {
        uint8_t nonce[WSH_NONCE_LEN];
        uint8_t request[512], response[512];
        size_t request_len, response_len = 0, consumed = 0, n = 0, i, written;
        wsh_client *c = NULL;
        wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
        wsh_decision server_decision = WSH_DECISION_NEED_MORE;
        wsh_respond_info info;
        wsh_deflate_params params;
        const uint8_t *p = NULL;
        memset(nonce, 0x11 * round, sizeof nonce);
        CHECK_RESULT(wsh_client_new_with_key(config, nonce, &c), WSH_OK);
        request_len = request_of(c, request, sizeof request);

        /* One-shot server. */
        CHECK_RESULT(wsh_respond(server_config, request, request_len, response, sizeof response,
                                 &info),
                     WSH_OK);
        CHECK(info.decision == WSH_DECISION_UPGRADE_WEBSOCKET && info.status == 101);
        CHECK(info.consumed == request_len);
        CHECK_RESULT(wsh_client_feed(c, response, info.response_len, &consumed, &decision),
                     WSH_OK);
        CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED && consumed == info.response_len);
        CHECK_RESULT(wsh_client_subprotocol(c, &p, &n), WSH_OK);
        CHECK(n == info.subprotocol_len && memcmp(p, info.subprotocol, n) == 0);
        CHECK_RESULT(wsh_client_deflate(c, &params), WSH_OK);
        CHECK(info.has_deflate && memcmp(&params, &info.deflate, sizeof params) == 0);

        /* The server handle, the request in 3-byte pieces, the response drained. */
        CHECK_RESULT(wsh_server_reset(server), WSH_OK);
        CHECK_RESULT(wsh_client_reset(c, nonce), WSH_OK);
        for (i = 0; i < request_len; i += 3) {
            size_t piece = request_len - i < 3 ? request_len - i : 3;
            uint32_t r = wsh_server_feed(server, request + i, piece, &n, &server_decision);
            CHECK(r == (uint32_t)(i + piece < request_len ? WSH_NEED_MORE : WSH_OK));
        }
        CHECK(server_decision == WSH_DECISION_UPGRADE_WEBSOCKET);
        CHECK_RESULT(wsh_server_accept(server, NULL), WSH_OK);
        for (;;) {
            CHECK_RESULT(wsh_server_drain(server, response + response_len, 32, &written), WSH_OK);
            if (written == 0) {
                break;
            }
            response_len += written;
        }
        CHECK_RESULT(wsh_client_feed(c, response, response_len, &consumed, &decision), WSH_OK);
        CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
        CHECK_RESULT(wsh_client_extension_count(c, &n), WSH_OK);
        CHECK(n == 1);
        wsh_client_free(c);
    }
    wsh_server_free(server);
    wsh_server_config_free(server_config);
    wsh_client_config_free(config);
}

static void test_result_codes(void) {
    static const uint32_t codes[] = {
        WSH_TOO_MANY_FIELDS,
        WSH_RESPONSE_MALFORMED_HEAD,
        WSH_RESPONSE_HEAD_TOO_LARGE,
        WSH_RESPONSE_TOO_MANY_HEADERS,
        WSH_RESPONSE_INVALID_STATUS,
        WSH_RESPONSE_INVALID_VERSION,
        WSH_RESPONSE_MISSING_UPGRADE,
        WSH_RESPONSE_MISSING_CONNECTION_UPGRADE,
        WSH_RESPONSE_MISSING_ACCEPT,
        WSH_RESPONSE_DUPLICATE_ACCEPT,
        WSH_RESPONSE_WRONG_ACCEPT,
        WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL,
        WSH_RESPONSE_MISSING_SUBPROTOCOL,
        WSH_RESPONSE_DUPLICATE_SUBPROTOCOL,
        WSH_RESPONSE_INVALID_EXTENSIONS,
        WSH_RESPONSE_UNEXPECTED_EXTENSION,
        WSH_RESPONSE_DUPLICATE_EXTENSION,
        WSH_RESPONSE_INVALID_DEFLATE_PARAMETER,
        WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS,
        WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
        WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
        WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS,
        WSH_RESPONSE_INVALID_CONTENT_LENGTH,
        WSH_RESPONSE_INVALID_CHUNKED_BODY,
        WSH_RESPONSE_BODY_TOO_LARGE,
        WSH_RESPONSE_INCOMPLETE_HEAD,
        WSH_RESPONSE_INCOMPLETE_BODY,
        /* Existing codes the new strings must not collide with. */
        WSH_REQUEST_INVALID_CONTENT_LENGTH,
        WSH_REQUEST_MISSING_CONNECTION_UPGRADE,
        WSH_REQUEST_INVALID_EXTENSION_LIST,
    };
    size_t count = sizeof codes / sizeof codes[0], i, j;
    for (i = 0; i < count; i++) {
        const char *s = wsh_result_str(codes[i]);
        CHECK(s != NULL && strcmp(s, "unknown result") != 0);
        for (j = 0; j < i; j++) {
            CHECK(codes[i] != codes[j] && strcmp(s, wsh_result_str(codes[j])) != 0);
        }
        if (codes[i] >= 2000 && codes[i] < 2100) {
            CHECK(wsh_result_http_status(codes[i]) == 0);
        }
    }
    CHECK(WSH_RESPONSE_MALFORMED_HEAD == 2000 && WSH_RESPONSE_INCOMPLETE_BODY == 2051);
    CHECK(strcmp(wsh_result_str(2099), "unknown result") == 0);
}

/* ---- several permessage-deflate offers (RFC 7692 section 5.1) ------------ */

struct offer_answer {
    const char *element;   /* the response's permessage-deflate element */
    size_t index;          /* the offer it answers */
    uint8_t server_bits;   /* the server window the client inflates */
    bool client_takeover;  /* client_no_context_takeover in force */
};

static const struct offer_answer OFFER_ANSWERS[] = {
    /* The first offer asked for a server window of 10: only an answer with
     * one is an answer to it. */
    {"permessage-deflate; server_max_window_bits=9", 0, 9, true},
    {"permessage-deflate", 1, 15, false},
    {"permessage-deflate; server_max_window_bits=12", 1, 12, false},
};

static void test_several_deflate_offers(void) {
    wsh_client_config_builder *b = new_builder("ws://h/");
    const wsh_client_config *config;
    wsh_deflate_offer small, browsers, bad;
    wsh_deflate_params params;
    uint8_t request[1024];
    size_t i, index, consumed = 0, len;
    wsh_client_decision decision = WSH_CLIENT_DECISION_NEED_MORE;
    char response[512];

    memset(&small, 0, sizeof small);
    small.client_no_context_takeover = true;
    small.server_max_window_bits = 10;
    small.offer_client_max_window_bits = true;
    CHECK_RESULT(wsh_deflate_offer_default(&browsers), WSH_OK);
    CHECK_RESULT(wsh_client_config_builder_permessage_deflate(b, &small), WSH_OK);
    CHECK_RESULT(wsh_client_config_builder_add_permessage_deflate(b, &browsers), WSH_OK);
    /* Refused, the builder unchanged: the same offer twice, a bad window, NULL. */
    CHECK_RESULT(wsh_client_config_builder_add_permessage_deflate(b, &small),
                 WSH_INVALID_EXTENSION);
    bad = small;
    bad.server_max_window_bits = 7;
    CHECK_RESULT(wsh_client_config_builder_add_permessage_deflate(b, &bad), WSH_INVALID_EXTENSION);
    CHECK_RESULT(wsh_client_config_builder_add_permessage_deflate(b, NULL), WSH_NULL_POINTER);
    CHECK_RESULT(wsh_client_config_builder_add_permessage_deflate(NULL, &small), WSH_NULL_POINTER);
    config = build(b);

    for (i = 0; i < sizeof OFFER_ANSWERS / sizeof OFFER_ANSWERS[0]; i++) {
        const struct offer_answer *a = &OFFER_ANSWERS[i];
        wsh_client *c = new_client(config);
        len = request_of(c, request, sizeof request - 1);
        request[len] = 0;
        CHECK(strstr((const char *)request,
                     "\r\nSec-WebSocket-Extensions: permessage-deflate; "
                     "client_no_context_takeover; server_max_window_bits=10; "
                     "client_max_window_bits, permessage-deflate; client_max_window_bits\r\n") !=
              NULL);
        index = 99;
        CHECK_RESULT(wsh_client_deflate_offer_index(c, &index), WSH_WRONG_STATE);
        snprintf(response, sizeof response, "%sSec-WebSocket-Extensions: %s\r\n\r\n",
                 ACCEPTED_HEAD, a->element);
        CHECK_RESULT(feed(c, response, strlen(response), &consumed, &decision), WSH_OK);
        CHECK(decision == WSH_CLIENT_DECISION_ACCEPTED);
        CHECK_RESULT(wsh_client_deflate_offer_index(c, &index), WSH_OK);
        CHECK(index == a->index);
        CHECK_RESULT(wsh_client_deflate(c, &params), WSH_OK);
        CHECK(params.server_max_window_bits == a->server_bits);
        CHECK(params.client_no_context_takeover == a->client_takeover);
        CHECK_RESULT(wsh_client_deflate_offer_index(c, NULL), WSH_NULL_POINTER);
        wsh_client_free(c);
    }
    /* Declined by the server: nothing to report, nothing written. */
    {
        wsh_client *c = new_client(config);
        const char plain[] = ACCEPTED_HEAD "\r\n";
        CHECK_RESULT(feed(c, plain, strlen(plain), &consumed, &decision), WSH_OK);
        index = 99;
        CHECK_RESULT(wsh_client_deflate_offer_index(c, &index), WSH_NOT_FOUND);
        CHECK(index == 99);
        wsh_client_free(c);
    }
    CHECK_RESULT(wsh_client_deflate_offer_index(NULL, &index), WSH_NULL_POINTER);
    wsh_client_config_free(config);
}

int main(void) {
    test_result_codes();
    test_rfc_sample_exchange();
    test_byte_at_a_time_and_leftovers();
    test_interim_then_accept();
    test_refusal_401_with_body();
    test_every_response_error();
    test_url_parts();
    test_builder_errors();
    test_null_and_misuse();
    test_reset_and_os_keys();
    test_round_trip_with_the_server();
    test_several_deflate_offers();
    return check_summary();
}
