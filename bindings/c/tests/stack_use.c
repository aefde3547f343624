/* Stack use per call of libwshandshake, measured by painting: each call runs
 * on a thread whose stack (STACK_BYTES, from posix_memalign) is first filled
 * with a pattern; afterwards the deepest byte no longer holding the pattern
 * gives the stack the thread used. An empty thread's use is subtracted, so a
 * figure is what the call itself needs (the library plus the small frame that
 * calls it). Handles and configs are made on the main thread beforehand.
 *
 * Prints one line per call and fails (exit 1) when a call needs more than
 * BOUND_BYTES, the bound the header and README document.
 *
 * Usage: stack_use [FIXTURES_DIR]   (tests/fixtures/requests of the repository)
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define STACK_BYTES (256 * 1024)
#define PAINT 0xA5
/* The documented bound: every call in the table stays below it (the extended
 * CONNECT calls keep their field lists in bounded stack arrays, the rest stay
 * far below). */
#define BOUND_BYTES (32 * 1024)

/* The sample 101 without a subprotocol (the client offers none). */
static const char RFC_RESPONSE[] = ACCEPTED_HEAD "\r\n";

static uint8_t chrome[4096];
static size_t chrome_len;
static const wsh_server_config *server_config;
static const wsh_client_config *client_config;
static wsh_server *server;
static wsh_client *client;
static int failures;

static void require(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "stack_use: %s failed\n", what);
        exit(2);
    }
}

/* ---- the measured calls ------------------------------------------------ */

static void nothing(void) {}

/* Caller buffers are static: the figures are the library's own stack. */
static uint8_t out_buf[1024];
static wsh_field out_fields[16];

static void respond(const uint8_t *request, size_t len) {
    uint8_t *out = out_buf;
    wsh_respond_info info;
    require(wsh_respond(server_config, request, len, out, sizeof out_buf, &info) == WSH_OK,
            "wsh_respond");
}

static void respond_rfc(void) { respond(BYTES(RFC_REQUEST), strlen(RFC_REQUEST)); }

static void respond_chrome(void) { respond(chrome, chrome_len); }

static void server_feed(void) {
    size_t consumed;
    wsh_decision d;
    require(wsh_server_feed(server, chrome, chrome_len, &consumed, &d) == WSH_OK, "feed");
}

static void server_feed_bytewise(void) {
    size_t i, consumed;
    wsh_decision d;
    uint32_t r = WSH_NEED_MORE;
    for (i = 0; i < chrome_len && r == WSH_NEED_MORE; i++) {
        r = wsh_server_feed(server, chrome + i, 1, &consumed, &d);
    }
    require(r == WSH_OK, "bytewise feed");
}

static void server_accept(void) {
    const uint8_t *p;
    size_t n;
    require(wsh_server_accept(server, NULL) == WSH_OK, "accept");
    require(wsh_server_response(server, &p, &n) == WSH_OK, "response");
}

static void server_reject(void) {
    static const wsh_header h = {BYTES("WWW-Authenticate"), 16, BYTES("Bearer"), 6};
    require(wsh_server_reject(server, 401, &h, 1, BYTES("login first"), 11) == WSH_OK, "reject");
}

static void server_new_free(void) {
    wsh_server *s;
    require(wsh_server_new(server_config, &s) == WSH_OK, "wsh_server_new");
    wsh_server_free(s);
}

static uint8_t placed_memory[64 * 1024 + WSH_SERVER_ALIGN];

static void server_init_free(void) {
    uintptr_t at = (uintptr_t)placed_memory;
    uint8_t *mem = placed_memory + (WSH_SERVER_ALIGN - at % WSH_SERVER_ALIGN) % WSH_SERVER_ALIGN;
    wsh_server *s;
    require(wsh_server_size(server_config) <= sizeof placed_memory - WSH_SERVER_ALIGN, "size");
    require(wsh_server_init(server_config, mem, wsh_server_size(server_config), &s) == WSH_OK,
            "wsh_server_init");
    wsh_server_free(s);
}

static void client_new_free(void) {
    wsh_client *c;
    require(wsh_client_new_with_key(client_config, SAMPLE_NONCE, &c) == WSH_OK, "wsh_client_new");
    wsh_client_free(c);
}

static void client_feed(void) {
    size_t consumed;
    wsh_client_decision d;
    require(wsh_client_feed(client, BYTES(RFC_RESPONSE), strlen(RFC_RESPONSE), &consumed, &d) ==
                WSH_OK,
            "client feed");
}

static void config_build(void) {
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    wsh_deflate_config deflate;
    const wsh_server_config *c;
    require(b != NULL, "builder");
    require(wsh_server_config_builder_add_subprotocol(b, BYTES("chat"), 4) == WSH_OK, "add");
    require(wsh_deflate_config_default(&deflate) == WSH_OK, "deflate");
    require(wsh_server_config_builder_permessage_deflate(b, &deflate) == WSH_OK, "set deflate");
    require(wsh_server_config_builder_build(b, &c) == WSH_OK, "build");
    wsh_server_config_free(c);
}

static void connect_analyze(void) {
    static const wsh_field fields[] = {
        {BYTES(":method"), 7, BYTES("CONNECT"), 7},
        {BYTES(":protocol"), 9, BYTES("websocket"), 9},
        {BYTES(":scheme"), 7, BYTES("https"), 5},
        {BYTES(":path"), 5, BYTES("/chat"), 5},
        {BYTES(":authority"), 10, BYTES("example.com"), 11},
        {BYTES("sec-websocket-version"), 21, BYTES("13"), 2},
        {BYTES("sec-websocket-protocol"), 22, BYTES("chat"), 4},
    };
    wsh_connect_info info;
    require(wsh_connect_respond(server_config, fields, 7, NULL, out_buf, sizeof out_buf, out_fields,
                                16, &info) ==
                WSH_OK,
            "wsh_connect_respond");
}

/* ---- painting ---------------------------------------------------------- */

struct job {
    void (*call)(void);
};

static void *run(void *job) {
    ((struct job *)job)->call();
    return NULL;
}

/* The bytes of a painted stack that `call` used. */
static size_t measure(void (*call)(void)) {
    pthread_attr_t attr;
    pthread_t thread;
    unsigned char *stack;
    size_t low;
    struct job job;
    job.call = call;
    require(posix_memalign((void **)&stack, 65536, STACK_BYTES) == 0, "posix_memalign");
    memset(stack, PAINT, STACK_BYTES);
    require(pthread_attr_init(&attr) == 0, "attr");
    require(pthread_attr_setstack(&attr, stack, STACK_BYTES) == 0, "setstack");
    require(pthread_create(&thread, &attr, run, &job) == 0, "create");
    require(pthread_join(thread, NULL) == 0, "join");
    pthread_attr_destroy(&attr);
    /* The stack grows down on every target this runs on. */
    for (low = 0; low < STACK_BYTES && stack[low] == PAINT; low++) {
    }
    free(stack);
    return STACK_BYTES - low;
}

static void report(const char *name, void (*call)(void), void (*before)(void), size_t base) {
    size_t used;
    if (before != NULL) {
        before();
    }
    used = measure(call);
    used = used > base ? used - base : 0;
    printf("%-44s %6zu bytes\n", name, used);
    if (used > BOUND_BYTES) {
        printf("  over the documented bound of %d bytes\n", BOUND_BYTES);
        failures++;
    }
}

static void reset_server(void) { require(wsh_server_reset(server) == WSH_OK, "reset"); }

static void fed_server(void) {
    reset_server();
    server_feed();
}

static void reset_client(void) {
    require(wsh_client_reset(client, SAMPLE_NONCE) == WSH_OK, "client reset");
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/requests";
    char path[1024];
    FILE *f;
    size_t base;
    wsh_server_config_builder *b;
    wsh_client_config_builder *cb;
    wsh_deflate_config deflate;

    snprintf(path, sizeof path, "%s/chrome_deflate.http", dir);
    f = fopen(path, "rb");
    require(f != NULL, path);
    chrome_len = fread(chrome, 1, sizeof chrome, f);
    fclose(f);

    b = wsh_server_config_builder_new();
    require(b != NULL, "builder");
    require(wsh_server_config_builder_add_subprotocol(b, BYTES("chat"), 4) == WSH_OK, "add");
    require(wsh_deflate_config_default(&deflate) == WSH_OK, "deflate");
    require(wsh_server_config_builder_permessage_deflate(b, &deflate) == WSH_OK, "set deflate");
    require(wsh_server_config_builder_build(b, &server_config) == WSH_OK, "build");
    require(wsh_server_new(server_config, &server) == WSH_OK, "server");
    require(wsh_client_config_builder_new(BYTES("ws://server.example.com/chat"), 28, &cb) == WSH_OK,
            "client builder");
    require(wsh_client_config_builder_build(cb, &client_config) == WSH_OK, "client build");
    require(wsh_client_new_with_key(client_config, SAMPLE_NONCE, &client) == WSH_OK,
            "client");

    base = measure(nothing);
    printf("stack use per call (bytes above an empty thread's %zu)\n", base);
    report("wsh_respond (RFC 6455 sample)", respond_rfc, NULL, base);
    report("wsh_respond (Chrome, deflate offer)", respond_chrome, NULL, base);
    report("wsh_server_feed (Chrome, whole head)", server_feed, reset_server, base);
    report("wsh_server_feed (Chrome, a byte at a time)", server_feed_bytewise, reset_server, base);
    report("wsh_server_accept + wsh_server_response", server_accept, fed_server, base);
    report("wsh_server_reject (401, one field, body)", server_reject, fed_server, base);
    report("wsh_server_new + wsh_server_free", server_new_free, NULL, base);
    report("wsh_server_init (static memory) + free", server_init_free, NULL, base);
    report("wsh_client_new_with_key + wsh_client_free", client_new_free, NULL, base);
    report("wsh_client_feed (RFC 6455 101)", client_feed, reset_client, base);
    report("wsh_connect_respond (7 fields)", connect_analyze, NULL, base);
    report("server config: builder, 3 setters, build", config_build, NULL, base);

    wsh_client_free(client);
    wsh_client_config_free(client_config);
    wsh_server_free(server);
    wsh_server_config_free(server_config);
    return failures == 0 ? 0 : 1;
}
