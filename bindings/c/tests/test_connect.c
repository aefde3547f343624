/* C test suite for WebSocket over HTTP/2 and HTTP/3 (extended CONNECT,
 * RFC 8441 and RFC 9220): the RFC 8441 section 5.1 example on both sides, a
 * round trip, every rejection, requests that are not WebSocket, sizes,
 * custom rejections, response checks and misuse.
 *
 * Written in the common subset of C99 and C++11: the Makefile also builds it
 * as C++ to check the header from that side.
 *
 * Usage: test_connect   (no arguments)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common.h"

#define MAX_TEST_FIELDS 24

/* A field list built by a test: its own copies of names and values. */
struct field_list {
    wsh_field fields[MAX_TEST_FIELDS];
    size_t count;
};

static void push(struct field_list *list, const char *name, const char *value) {
    wsh_field *f;
    CHECK(list->count < MAX_TEST_FIELDS);
    if (list->count >= MAX_TEST_FIELDS) {
        return;
    }
    f = &list->fields[list->count++];
    f->name = BYTES(name);
    f->name_len = strlen(name);
    f->value = BYTES(value);
    f->value_len = strlen(value);
}

/* The RFC 8441 section 5.1 request. */
static const char *const RFC8441_REQUEST[][2] = {
    {":method", "CONNECT"},
    {":protocol", "websocket"},
    {":scheme", "https"},
    {":path", "/chat"},
    {":authority", "server.example.com"},
    {"sec-websocket-protocol", "chat, superchat"},
    {"sec-websocket-extensions", "permessage-deflate"},
    {"sec-websocket-version", "13"},
    {"origin", "http://www.example.com"},
};
#define RFC8441_REQUEST_COUNT (sizeof RFC8441_REQUEST / sizeof RFC8441_REQUEST[0])

/* A change to the RFC request: 'r' replaces the value of `name`, 'd' deletes
 * it, 'a' appends a field, 'i' inserts one after :method. */
struct mutation {
    char op;
    const char *name;
    const char *value;
};

static struct field_list rfc_request_with(const struct mutation *m) {
    struct field_list list;
    size_t i;
    list.count = 0;
    for (i = 0; i < RFC8441_REQUEST_COUNT; i++) {
        const char *name = RFC8441_REQUEST[i][0];
        const char *value = RFC8441_REQUEST[i][1];
        if (m != NULL && m->op == 'i' && i == 1) {
            push(&list, m->name, m->value);
        }
        if (m != NULL && strcmp(m->name, name) == 0) {
            if (m->op == 'd') {
                continue;
            }
            if (m->op == 'r') {
                value = m->value;
            }
        }
        push(&list, name, value);
    }
    if (m != NULL && m->op == 'a') {
        push(&list, m->name, m->value);
    }
    return list;
}

/* True when (fields, count) holds exactly the pairs of `expected`. */
static int same_fields(const wsh_field *fields, size_t count, const char *const (*expected)[2],
                       size_t expected_count) {
    size_t i;
    if (count != expected_count) {
        return 0;
    }
    for (i = 0; i < count; i++) {
        if (fields[i].name_len != strlen(expected[i][0]) ||
            memcmp(fields[i].name, expected[i][0], fields[i].name_len) != 0 ||
            fields[i].value_len != strlen(expected[i][1]) ||
            (fields[i].value_len > 0 &&
             memcmp(fields[i].value, expected[i][1], fields[i].value_len) != 0)) {
            return 0;
        }
    }
    return 1;
}

static const wsh_server_config *server_config(int deflate, int restricted) {
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    const wsh_server_config *config = NULL;
    CHECK_RESULT(wsh_server_config_builder_add_subprotocol(b, BYTES("chat"), 4), WSH_OK);
    if (deflate) {
        wsh_deflate_config d;
        CHECK_RESULT(wsh_deflate_config_default(&d), WSH_OK);
        CHECK_RESULT(wsh_server_config_builder_permessage_deflate(b, &d), WSH_OK);
    }
    if (restricted) {
        CHECK_RESULT(wsh_server_config_builder_require_subprotocol(b, true), WSH_OK);
        CHECK_RESULT(wsh_server_config_builder_add_allowed_origin(
                         b, BYTES("http://www.example.com"), 22),
                     WSH_OK);
    }
    CHECK_RESULT(wsh_server_config_builder_build(b, &config), WSH_OK);
    return config;
}

static wsh_bytes text(const char *s) {
    wsh_bytes b;
    b.data = BYTES(s);
    b.len = strlen(s);
    return b;
}

/* ---- the RFC 8441 example --------------------------------------------- */

static void test_rfc8441_server_side(void) {
    static const char *const expected[][2] = {
        {":status", "200"},
        {"sec-websocket-protocol", "chat"},
    };
    const wsh_server_config *config = server_config(0, 0);
    struct field_list request = rfc_request_with(NULL);
    wsh_connect_info info, predicted;
    uint8_t buf[256];
    wsh_field out[8];
    const uint8_t *p = NULL, *q = NULL;
    size_t n = 0, m = 0;

    CHECK_RESULT(wsh_connect_analyze(config, request.fields, request.count, &predicted),
                 WSH_OK);
    CHECK(predicted.outcome == WSH_CONNECT_WEBSOCKET && predicted.status == 200);
    CHECK(predicted.secure && !predicted.malformed);
    CHECK_BYTES(predicted.path, predicted.path_len, "/chat");
    CHECK_BYTES(predicted.authority, predicted.authority_len, "server.example.com");
    CHECK_BYTES(predicted.origin, predicted.origin_len, "http://www.example.com");
    CHECK_BYTES(predicted.subprotocol, predicted.subprotocol_len, "chat");
    CHECK(predicted.subprotocol_count == 2 && predicted.extension_count == 1);
    CHECK(!predicted.has_deflate);
    CHECK(predicted.field_count == 2);

    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, NULL, buf, sizeof buf,
                                     out, 8, &info),
                 WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_WEBSOCKET && info.status == 200);
    CHECK(info.field_count == predicted.field_count && info.bytes_len == predicted.bytes_len);
    CHECK(same_fields(out, info.field_count, expected, 2));
    /* The output fields are views into buf. */
    CHECK(out[0].name == buf);

    CHECK_RESULT(wsh_connect_subprotocol_at(config, request.fields, request.count, 1, &p, &n),
                 WSH_OK);
    CHECK_BYTES(p, n, "superchat");
    CHECK_RESULT(wsh_connect_subprotocol_at(config, request.fields, request.count, 2, &p, &n),
                 WSH_OUT_OF_RANGE);
    CHECK_RESULT(
        wsh_connect_extension_at(config, request.fields, request.count, 0, &p, &n, &q, &m),
        WSH_OK);
    CHECK_BYTES(p, n, "permessage-deflate");
    CHECK(m == 0);
    wsh_server_config_free(config);
}

static wsh_connect_client_options rfc_client_options(const wsh_bytes *subprotocols,
                                                     const wsh_deflate_offer *offer) {
    wsh_connect_client_options o;
    memset(&o, 0, sizeof o);
    o.scheme = WSH_SCHEME_HTTPS;
    o.authority = BYTES("server.example.com");
    o.authority_len = 18;
    o.path = BYTES("/chat");
    o.path_len = 5;
    o.subprotocols = subprotocols;
    o.subprotocol_count = 2;
    o.deflate = offer;
    o.origin = BYTES("http://www.example.com");
    o.origin_len = 22;
    return o;
}

static void test_rfc8441_client_side(void) {
    wsh_bytes subprotocols[2];
    wsh_deflate_offer bare;
    wsh_connect_client_options o;
    uint8_t buf[512];
    wsh_field out[16];
    size_t count = 0, len = 0, i, total = 0;
    struct field_list response;
    wsh_connect_client_info info;

    subprotocols[0] = text("chat");
    subprotocols[1] = text("superchat");
    memset(&bare, 0, sizeof bare); /* the bare "permessage-deflate" */
    o = rfc_client_options(subprotocols, &bare);
    CHECK_RESULT(wsh_connect_client_request(&o, buf, sizeof buf, out, 16, &count, &len), WSH_OK);
    CHECK(same_fields(out, count, RFC8441_REQUEST, RFC8441_REQUEST_COUNT));
    for (i = 0; i < count; i++) {
        total += out[i].name_len + out[i].value_len;
    }
    CHECK(total == len);

    response.count = 0;
    push(&response, ":status", "200");
    push(&response, "sec-websocket-protocol", "chat");
    CHECK_RESULT(wsh_connect_client_check_response(&o, response.fields, response.count, &info),
                 WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_CLIENT_ACCEPTED && info.status == 200);
    CHECK_BYTES(info.subprotocol, info.subprotocol_len, "chat");
    CHECK(!info.has_deflate);
}

static void test_round_trip(void) {
    const wsh_server_config *config = server_config(1, 0);
    wsh_bytes subprotocols[2];
    wsh_deflate_offer offer;
    wsh_connect_client_options o;
    uint8_t request_buf[512], response_buf[512];
    wsh_field request[16], response[8];
    size_t count = 0, len = 0;
    wsh_connect_info info;
    wsh_connect_client_info got;

    subprotocols[0] = text("superchat");
    subprotocols[1] = text("chat");
    CHECK_RESULT(wsh_deflate_offer_default(&offer), WSH_OK);
    offer.server_max_window_bits = 12;
    o = rfc_client_options(subprotocols, &offer);
    o.scheme = WSH_SCHEME_HTTP;
    CHECK_RESULT(
        wsh_connect_client_request(&o, request_buf, sizeof request_buf, request, 16, &count, &len),
        WSH_OK);
    CHECK_RESULT(wsh_connect_respond(config, request, count, NULL, response_buf,
                                     sizeof response_buf, response, 8, &info),
                 WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_WEBSOCKET && !info.secure && info.has_deflate);
    CHECK_RESULT(wsh_connect_client_check_response(&o, response, info.field_count, &got), WSH_OK);
    CHECK(got.outcome == WSH_CONNECT_CLIENT_ACCEPTED && got.status == 200);
    CHECK_BYTES(got.subprotocol, got.subprotocol_len, "chat");
    CHECK(got.has_deflate && memcmp(&got.deflate, &info.deflate, sizeof got.deflate) == 0);
    CHECK(got.deflate.server_max_window_bits == 12);
    wsh_server_config_free(config);
}

/* Several deflate offers in order of preference (RFC 7692 section 5.1). */
static void test_several_deflate_offers(void) {
    const wsh_server_config *config = server_config(1, 0);
    wsh_bytes subprotocols[2];
    wsh_deflate_offer offers[WSH_CONNECT_MAX_DEFLATE_OFFERS + 1];
    wsh_connect_client_options o;
    uint8_t request_buf[512], response_buf[512];
    wsh_field request[16], response[8];
    size_t count = 0, len = 0, i;
    wsh_connect_info info;
    wsh_connect_client_info got;
    struct field_list bare_answer;

    subprotocols[0] = text("chat");
    subprotocols[1] = text("superchat");
    for (i = 0; i < WSH_CONNECT_MAX_DEFLATE_OFFERS + 1; i++) {
        CHECK_RESULT(wsh_deflate_offer_default(&offers[i]), WSH_OK);
    }
    offers[0].server_max_window_bits = 10;
    o = rfc_client_options(subprotocols, offers);
    o.deflate_count = 2;
    CHECK_RESULT(
        wsh_connect_client_request(&o, request_buf, sizeof request_buf, request, 16, &count, &len),
        WSH_OK);
    CHECK_BYTES(request[6].value, request[6].value_len,
                "permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
                "permessage-deflate; client_max_window_bits");
    /* This engine's server takes the first offer it supports. */
    CHECK_RESULT(wsh_connect_respond(config, request, count, NULL, response_buf,
                                     sizeof response_buf, response, 8, &info),
                 WSH_OK);
    CHECK_RESULT(wsh_connect_client_check_response(&o, response, info.field_count, &got), WSH_OK);
    CHECK(got.has_deflate && got.deflate_offer_index == 0);
    CHECK(got.deflate.server_max_window_bits == 10);
    /* A bare answer omits the window the first offer asked for: the second. */
    bare_answer.count = 0;
    push(&bare_answer, ":status", "200");
    push(&bare_answer, "sec-websocket-extensions", "permessage-deflate");
    CHECK_RESULT(
        wsh_connect_client_check_response(&o, bare_answer.fields, bare_answer.count, &got),
        WSH_OK);
    CHECK(got.has_deflate && got.deflate_offer_index == 1);
    CHECK(got.deflate.server_max_window_bits == 15);
    /* The same offer twice could never be chosen; too many; (NULL, n). */
    offers[1] = offers[0];
    CHECK_RESULT(
        wsh_connect_client_request(&o, request_buf, sizeof request_buf, request, 16, &count, &len),
        WSH_INVALID_CONFIG);
    offers[1].server_max_window_bits = 0;
    o.deflate_count = WSH_CONNECT_MAX_DEFLATE_OFFERS + 1;
    CHECK_RESULT(
        wsh_connect_client_request(&o, request_buf, sizeof request_buf, request, 16, &count, &len),
        WSH_TOO_MANY_FIELDS);
    o.deflate = NULL;
    o.deflate_count = 1;
    CHECK_RESULT(
        wsh_connect_client_request(&o, request_buf, sizeof request_buf, request, 16, &count, &len),
        WSH_INVALID_ARGUMENT);
    wsh_server_config_free(config);
}

/* ---- rejections ------------------------------------------------------- */

struct rejection {
    struct mutation change;
    uint32_t result;
    uint16_t status;
    int malformed;
    int names_version;
};

static const struct rejection REJECTIONS[] = {
    {{'a', "X-Upper", "1"}, WSH_CONNECT_REQUEST_INVALID_FIELD_NAME, 400, 1, 0},
    {{'a', "x-a", " padded"}, WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE, 400, 1, 0},
    {{'a', ":path", "/again"}, WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER, 400, 1, 0},
    {{'i', ":status", "200"}, WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER, 400, 1, 0},
    {{'i', ":scheme", "https"}, WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER, 400, 1, 0},
    {{'r', ":method", "GET"}, WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT, 400, 1, 0},
    {{'d', ":scheme", ""}, WSH_CONNECT_REQUEST_MISSING_SCHEME, 400, 1, 0},
    {{'r', ":scheme", "ftp"}, WSH_CONNECT_REQUEST_INVALID_SCHEME, 400, 0, 0},
    {{'d', ":path", ""}, WSH_CONNECT_REQUEST_MISSING_PATH, 400, 1, 0},
    {{'r', ":path", "chat"}, WSH_CONNECT_REQUEST_INVALID_PATH, 400, 0, 0},
    {{'d', ":authority", ""}, WSH_CONNECT_REQUEST_MISSING_AUTHORITY, 400, 1, 0},
    {{'r', ":authority", "u@h"}, WSH_CONNECT_REQUEST_INVALID_AUTHORITY, 400, 0, 0},
    {{'a', "host", "other.example"}, WSH_CONNECT_REQUEST_HOST_MISMATCH, 400, 1, 0},
    {{'a', "connection", "keep-alive"}, WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD, 400, 1, 0},
    {{'a', "content-length", "0"}, WSH_CONNECT_REQUEST_HAS_CONTENT, 400, 0, 0},
    {{'d', "sec-websocket-version", ""}, WSH_CONNECT_REQUEST_MISSING_VERSION, 400, 0, 1},
    {{'a', "sec-websocket-version", "13"}, WSH_CONNECT_REQUEST_DUPLICATE_VERSION, 400, 0, 1},
    {{'r', "sec-websocket-version", "8"}, WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION, 400, 0, 1},
    {{'a', "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="}, WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED,
     400, 0, 0},
    {{'a', "origin", "http://www.example.com"}, WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN, 400, 0, 0},
    {{'r', "origin", "https://evil.example"}, WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED, 403, 0, 0},
    {{'r', "sec-websocket-protocol", "a b"}, WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST, 400, 0,
     0},
    {{'r', "sec-websocket-protocol", "mqtt"}, WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH, 400, 0, 0},
    {{'r', "sec-websocket-extensions", "x;"}, WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST, 400, 0,
     0},
};
#define REJECTION_COUNT (sizeof REJECTIONS / sizeof REJECTIONS[0])

static void test_rejections(void) {
    const wsh_server_config *config = server_config(0, 1);
    struct field_list request = rfc_request_with(NULL);
    wsh_connect_info info, predicted;
    size_t i, j;

    CHECK(REJECTION_COUNT == 24); /* one per WSH_CONNECT_REQUEST_* code */
    CHECK_RESULT(wsh_connect_analyze(config, request.fields, request.count, &info), WSH_OK);
    for (i = 0; i < REJECTION_COUNT; i++) {
        const struct rejection *rej = &REJECTIONS[i];
        uint8_t buf[128];
        wsh_field out[4];
        char status[8];
        request = rfc_request_with(&rej->change);
        CHECK_RESULT(wsh_connect_analyze(config, request.fields, request.count, &predicted),
                     rej->result);
        CHECK(predicted.outcome == WSH_CONNECT_REJECTED);
        CHECK(predicted.status == rej->status);
        CHECK(predicted.malformed == (rej->malformed != 0));
        CHECK(wsh_result_http_status(rej->result) == rej->status);
        CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, NULL, buf,
                                         sizeof buf, out, 4, &info),
                     rej->result);
        CHECK(info.outcome == WSH_CONNECT_REJECTED && info.status == rej->status);
        CHECK(info.field_count == (rej->names_version ? 2u : 1u));
        CHECK(info.field_count == predicted.field_count && info.bytes_len == predicted.bytes_len);
        snprintf(status, sizeof status, "%u", (unsigned)rej->status);
        CHECK_BYTES(out[0].name, out[0].name_len, ":status");
        CHECK_BYTES(out[0].value, out[0].value_len, status);
        if (rej->names_version) {
            CHECK_BYTES(out[1].name, out[1].name_len, "sec-websocket-version");
            CHECK_BYTES(out[1].value, out[1].value_len, "13");
        }
        for (j = 0; j < i; j++) {
            CHECK(REJECTIONS[j].result != rej->result);
            CHECK(strcmp(wsh_result_str(REJECTIONS[j].result), wsh_result_str(rej->result)) != 0);
        }
    }
    wsh_server_config_free(config);
}

static void test_not_websocket(void) {
    const wsh_server_config *config = server_config(1, 0);
    struct field_list get, plain;
    struct mutation other = {'r', ":protocol", "webtransport"};
    struct field_list other_protocol = rfc_request_with(&other);
    wsh_connect_info info;
    uint8_t buf[64];
    wsh_field out[4];
    const uint8_t *p = NULL;
    size_t n = 0;

    get.count = 0;
    push(&get, ":method", "GET");
    push(&get, ":scheme", "https");
    push(&get, ":path", "/");
    push(&get, ":authority", "a");
    plain.count = 0;
    push(&plain, ":method", "CONNECT");
    push(&plain, ":authority", "a:443");

    CHECK_RESULT(wsh_connect_analyze(config, get.fields, get.count, &info), WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_NOT_CONNECT && info.status == 0);
    CHECK_RESULT(wsh_connect_analyze(config, plain.fields, plain.count, &info), WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_PLAIN_CONNECT);
    CHECK_RESULT(wsh_connect_respond(config, other_protocol.fields, other_protocol.count, NULL,
                                     buf, sizeof buf, out, 4, &info),
                 WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_OTHER_PROTOCOL && info.field_count == 0);
    CHECK_RESULT(
        wsh_connect_subprotocol_at(config, other_protocol.fields, other_protocol.count, 0, &p, &n),
        WSH_WRONG_STATE);
    wsh_server_config_free(config);
}

/* ---- options, sizes, custom rejections -------------------------------- */

static void test_accept_options_and_sizes(void) {
    static const char *const expected[][2] = {
        {":status", "200"},
        {"sec-websocket-protocol", "superchat"},
        {"set-cookie", "id=1"},
    };
    const wsh_server_config *config = server_config(1, 0);
    struct field_list request = rfc_request_with(NULL);
    wsh_accept_options opts;
    wsh_header headers[1];
    wsh_connect_info info;
    uint8_t buf[256];
    wsh_field out[8];
    size_t cap;

    memset(&opts, 0, sizeof opts);
    opts.subprotocol_mode = WSH_SUBPROTOCOL_NAMED;
    opts.subprotocol = BYTES("superchat");
    opts.subprotocol_len = 9;
    opts.decline_deflate = true;
    headers[0] = make_header("Set-Cookie", "id=1");
    opts.headers = headers;
    opts.header_count = 1;

    /* Size query, then every short buffer, then the exact size. */
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, &opts, NULL, 0, NULL,
                                     0, &info),
                 WSH_FIELD_ARRAY_TOO_SMALL);
    CHECK(info.field_count == 3);
    CHECK(info.bytes_len == strlen(":status200sec-websocket-protocolsuperchatset-cookieid=1"));
    for (cap = 0; cap < info.bytes_len; cap++) {
        wsh_connect_info again;
        memset(buf, 0xAA, sizeof buf);
        CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, &opts, buf, cap,
                                         out, 3, &again),
                     WSH_BUFFER_TOO_SMALL);
        CHECK(again.bytes_len == info.bytes_len && buf[0] == 0xAA);
    }
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, &opts, buf,
                                     info.bytes_len, out, 3, &info),
                 WSH_OK);
    CHECK(same_fields(out, info.field_count, expected, 3));
    CHECK(!info.has_deflate);
    CHECK_BYTES(info.subprotocol, info.subprotocol_len, "superchat");

    /* Options the request does not allow. */
    opts.subprotocol = BYTES("mqtt");
    opts.subprotocol_len = 4;
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, &opts, buf,
                                     sizeof buf, out, 8, &info),
                 WSH_SUBPROTOCOL_NOT_OFFERED);
    opts.subprotocol_mode = WSH_SUBPROTOCOL_NONE;
    headers[0].name = BYTES("Connection");
    headers[0].value = BYTES("close");
    headers[0].value_len = 5;
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, &opts, buf,
                                     sizeof buf, out, 8, &info),
                 WSH_RESERVED_HEADER);
    wsh_server_config_free(config);
}

static void test_custom_rejection(void) {
    static const char *const expected[][2] = {
        {":status", "401"},
        {"www-authenticate", "Bearer"},
    };
    wsh_header headers[1];
    uint8_t buf[64];
    wsh_field out[4];
    size_t count = 0, len = 0;
    struct field_list response;
    wsh_connect_client_info info;
    wsh_bytes subprotocols[2];
    wsh_connect_client_options o;

    headers[0] = make_header("WWW-Authenticate", "Bearer");
    CHECK_RESULT(wsh_connect_reject(401, headers, 1, buf, sizeof buf, out, 4, &count, &len),
                 WSH_OK);
    CHECK(same_fields(out, count, expected, 2));
    CHECK(len == strlen(":status401www-authenticateBearer"));
    CHECK_RESULT(wsh_connect_reject(401, headers, 1, buf, sizeof buf, out, 1, &count, &len),
                 WSH_FIELD_ARRAY_TOO_SMALL);
    CHECK(count == 2);
    CHECK_RESULT(wsh_connect_reject(200, NULL, 0, buf, sizeof buf, out, 4, &count, &len),
                 WSH_INVALID_STATUS);
    CHECK_RESULT(wsh_connect_reject(501, NULL, 0, buf, sizeof buf, out, 4, &count, &len), WSH_OK);
    CHECK(count == 1);
    CHECK_BYTES(out[0].value, out[0].value_len, "501");

    /* The client sees a refusal, with the fields to act on. */
    subprotocols[0] = text("chat");
    subprotocols[1] = text("superchat");
    o = rfc_client_options(subprotocols, NULL);
    CHECK_RESULT(wsh_connect_reject(401, headers, 1, buf, sizeof buf, out, 4, &count, &len),
                 WSH_OK);
    CHECK_RESULT(wsh_connect_client_check_response(&o, out, count, &info), WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_CLIENT_REFUSED && info.status == 401);
    response.count = 0;
    push(&response, ":status", "103");
    push(&response, "link", "</style.css>");
    CHECK_RESULT(wsh_connect_client_check_response(&o, response.fields, response.count, &info),
                 WSH_OK);
    CHECK(info.outcome == WSH_CONNECT_CLIENT_INTERIM && info.status == 103);
}

/* ---- the client's checks ---------------------------------------------- */

struct bad_response {
    const char *fields[4][2];
    size_t count;
    uint32_t result;
};

#define EXTS "sec-websocket-extensions"
static const struct bad_response BAD_RESPONSES[] = {
    {{{":status", "200"}, {"X-A", "1"}}, 2, WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME},
    {{{":status", "200"}, {"x-a", "1\r\n"}}, 2, WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE},
    {{{"x-a", "1"}, {":status", "200"}}, 2, WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER},
    {{{":status", "200"}, {":path", "/"}}, 2, WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER},
    {{{":status", "200"}, {":status", "200"}}, 2, WSH_CONNECT_RESPONSE_DUPLICATE_STATUS},
    {{{"x-a", "1"}}, 1, WSH_CONNECT_RESPONSE_MISSING_STATUS},
    {{{":status", "101"}}, 1, WSH_CONNECT_RESPONSE_INVALID_STATUS},
    {{{":status", "200"}, {"connection", "close"}}, 2,
     WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD},
    {{{":status", "200"}, {"sec-websocket-protocol", "chat"}, {"sec-websocket-protocol", "chat"}},
     3, WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL},
    {{{":status", "200"}, {"sec-websocket-protocol", "mqtt"}}, 2,
     WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED},
    {{{":status", "200"}, {EXTS, "permessage-deflate;"}}, 2,
     WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST},
    {{{":status", "200"}, {EXTS, "x-foo"}}, 2, WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED},
    {{{":status", "200"},
      {EXTS, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"},
      {EXTS, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"}},
     3, WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION},
    {{{":status", "200"}, {EXTS, "permessage-deflate; server_no_context_takeover; x=1"}}, 2,
     WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER},
    {{{":status", "200"},
      {EXTS, "permessage-deflate; server_no_context_takeover; client_max_window_bits=9"}},
     2, WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW},
    {{{":status", "200"},
      {EXTS, "permessage-deflate; server_no_context_takeover; server_max_window_bits=12"}},
     2, WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE},
    {{{":status", "200"}, {EXTS, "permessage-deflate"}}, 2,
     WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER},
    {{{":status", "200"}, {EXTS, "permessage-deflate; server_no_context_takeover"}}, 2,
     WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS},
};
#define BAD_RESPONSE_COUNT (sizeof BAD_RESPONSES / sizeof BAD_RESPONSES[0])

static void test_bad_responses(void) {
    wsh_bytes subprotocols[2];
    wsh_deflate_offer offer;
    wsh_connect_client_options o;
    size_t i, j;

    subprotocols[0] = text("chat");
    subprotocols[1] = text("superchat");
    memset(&offer, 0, sizeof offer);
    offer.server_no_context_takeover = true;
    offer.server_max_window_bits = 10;
    o = rfc_client_options(subprotocols, &offer);
    CHECK(BAD_RESPONSE_COUNT == 18); /* one per WSH_CONNECT_RESPONSE_* code */
    for (i = 0; i < BAD_RESPONSE_COUNT; i++) {
        const struct bad_response *bad = &BAD_RESPONSES[i];
        struct field_list response;
        wsh_connect_client_info info;
        response.count = 0;
        for (j = 0; j < bad->count; j++) {
            push(&response, bad->fields[j][0], bad->fields[j][1]);
        }
        info.status = 999;
        CHECK_RESULT(wsh_connect_client_check_response(&o, response.fields, response.count, &info),
                     bad->result);
        CHECK(info.status == 999); /* nothing written */
        CHECK(wsh_result_http_status(bad->result) == 0);
        for (j = 0; j < i; j++) {
            CHECK(BAD_RESPONSES[j].result != bad->result);
            CHECK(strcmp(wsh_result_str(BAD_RESPONSES[j].result), wsh_result_str(bad->result)) !=
                  0);
        }
    }
}

/* ---- misuse ----------------------------------------------------------- */

static void test_misuse(void) {
    const wsh_server_config *config = server_config(0, 0);
    struct field_list request = rfc_request_with(NULL);
    wsh_connect_info info;
    wsh_connect_client_options o;
    wsh_field many[WSH_CONNECT_MAX_FIELDS + 1];
    uint8_t buf[256];
    wsh_field out[8];
    size_t i, count = 0, len = 0;

    CHECK_RESULT(wsh_connect_analyze(NULL, request.fields, request.count, &info),
                 WSH_NULL_POINTER);
    CHECK_RESULT(wsh_connect_analyze(config, request.fields, request.count, NULL),
                 WSH_NULL_POINTER);
    CHECK_RESULT(wsh_connect_analyze(config, NULL, 2, &info), WSH_INVALID_ARGUMENT);
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, NULL, NULL, 8, out, 8,
                                     &info),
                 WSH_INVALID_ARGUMENT);
    /* The request's own array as the output array. */
    CHECK_RESULT(wsh_connect_respond(config, request.fields, request.count, NULL, buf, sizeof buf,
                                     request.fields, MAX_TEST_FIELDS, &info),
                 WSH_INVALID_ARGUMENT);
    /* More fields than WSH_CONNECT_MAX_FIELDS. */
    for (i = 0; i < WSH_CONNECT_MAX_FIELDS + 1; i++) {
        many[i] = i < request.count ? request.fields[i] : request.fields[request.count - 1];
    }
    CHECK_RESULT(wsh_connect_analyze(config, many, WSH_CONNECT_MAX_FIELDS + 1, &info),
                 WSH_TOO_MANY_FIELDS);
    CHECK(strcmp(wsh_result_str(WSH_TOO_MANY_FIELDS), "unknown result") != 0);

    memset(&o, 0, sizeof o);
    CHECK_RESULT(wsh_connect_client_request(&o, buf, sizeof buf, out, 8, &count, &len),
                 WSH_INVALID_URL); /* no authority */
    o.authority = BYTES("example.com");
    o.authority_len = 11;
    o.scheme = 7;
    CHECK_RESULT(wsh_connect_client_request(&o, buf, sizeof buf, out, 8, &count, &len),
                 WSH_INVALID_ARGUMENT);
    o.scheme = WSH_SCHEME_HTTPS;
    CHECK_RESULT(wsh_connect_client_request(NULL, buf, sizeof buf, out, 8, &count, &len),
                 WSH_NULL_POINTER);
    CHECK_RESULT(wsh_connect_client_request(&o, buf, sizeof buf, out, 8, NULL, &len),
                 WSH_NULL_POINTER);
    CHECK_RESULT(wsh_connect_client_request(&o, buf, sizeof buf, out, 8, &count, &len), WSH_OK);
    CHECK(count == 6); /* path "/" by default; version 13 */
    CHECK_BYTES(out[3].value, out[3].value_len, "/");

    /* The constants an HTTP/2 or HTTP/3 stack advertises. */
    CHECK(WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL == 8);
    CHECK(WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL == 8);
    CHECK(WSH_ENABLE_CONNECT_PROTOCOL == 1);
    wsh_server_config_free(config);
}

int main(void) {
    test_rfc8441_server_side();
    test_rfc8441_client_side();
    test_round_trip();
    test_several_deflate_offers();
    test_rejections();
    test_not_websocket();
    test_accept_options_and_sizes();
    test_custom_rejection();
    test_bad_responses();
    test_misuse();
    return check_summary();
}
