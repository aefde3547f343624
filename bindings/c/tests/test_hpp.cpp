// The C++ layer (include/wshandshake.hpp): every handle type, the RFC 6455
// sample, rejections, a byte-at-a-time feed, moved-from objects, lifetimes of
// views, the one-shot call, the client, extended CONNECT, and that the layer
// itself allocates nothing (operator new is counted). Built as C++17 and
// C++20 with -Wall -Wextra -Werror -pedantic, under ASan+UBSan and valgrind,
// and with -fno-exceptions -fno-rtti (bindings/c/Makefile, test-hpp).
//
// Usage: test_hpp   (no arguments)
#include "wshandshake.hpp"

#include "check.h"
#include "common.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// ---- the harness: check.h's counters and CHECK, and for the layer's results --

// Checks that a status (or anything with .status()) has the expected code.
#define CHECK_STATUS(expr, expected)                                               \
    do {                                                                           \
        wsh::status got_ = status_of(expr);                                        \
        if (got_ == (expected)) {                                                  \
            checks_passed++;                                                       \
        } else {                                                                   \
            checks_failed++;                                                       \
            std::fprintf(stderr, "%s:%d: %s gave %u (%s), expected %u (%s)\n", __FILE__, \
                         __LINE__, #expr, got_.value(), got_.text(),               \
                         static_cast<unsigned>(expected),                          \
                         wsh_result_str(static_cast<unsigned>(expected)));         \
        }                                                                          \
    } while (0)

static wsh::status status_of(wsh::status s) { return s; }
template <class T>
static wsh::status status_of(const wsh::result<T> &r) {
    return r.status();
}
static wsh::status status_of(const wsh::feed_result &r) { return r.status; }
static wsh::status status_of(const wsh::client_feed_result &r) { return r.status; }
static wsh::status status_of(const wsh::respond_result &r) { return r.status(); }
static wsh::status status_of(const wsh::connect_result &r) { return r.status(); }
static wsh::status status_of(const wsh::connect_fields_result &r) { return r.status; }
static wsh::status status_of(const wsh::connect_client_result &r) { return r.status; }
static wsh::status status_of(const wsh::connect_offers_result &r) { return r.status(); }

// ---- allocations by the C++ layer ------------------------------------------
// The C library allocates through malloc (Rust's System allocator); the C++
// layer would allocate through operator new. Counting it shows the layer
// allocates nothing.

static unsigned long cxx_allocations;

// Not inlined, so that each new meets its own delete (valgrind runs with
// --soname-synonyms=somalloc=nouserintercepts to leave them in place).
[[gnu::noinline]] void *operator new(std::size_t size) {
    cxx_allocations++;
    void *p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) {
        std::abort();
    }
    return p;
}
[[gnu::noinline]] void *operator new[](std::size_t size) { return operator new(size); }
[[gnu::noinline]] void operator delete(void *p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void *p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void *p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void *p, std::size_t) noexcept { std::free(p); }

// ---- shared data -----------------------------------------------------------

// The RFC 6455 sample request with a query in its target.
static const char ROOM_REQUEST[] = "GET /chat?room=1 HTTP/1.1\r\n" RFC_REQUEST_FIELDS;

static bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

static wsh::server_config chat_config(bool deflate = false) {
    wsh::server_config_builder b;
    CHECK(b.valid());
    CHECK_STATUS(b.add_subprotocol("chat"), WSH_OK);
    if (deflate) {
        CHECK_STATUS(b.permessage_deflate(), WSH_OK);
    }
    auto built = b.build();
    CHECK_STATUS(built, WSH_OK);
    CHECK(!b.valid()); // consumed
    return std::move(*built);
}

// ---- types -----------------------------------------------------------------

template <class T>
static void check_handle_type() {
    static_assert(!std::is_copy_constructible<T>::value, "handles are move-only");
    static_assert(!std::is_copy_assignable<T>::value, "handles are move-only");
    static_assert(std::is_nothrow_move_constructible<T>::value, "moves do not throw");
    static_assert(std::is_nothrow_move_assignable<T>::value, "moves do not throw");
    static_assert(sizeof(T) == sizeof(void *), "a handle is one pointer");
}

// Whether `o.headers({...})` compiles on an lvalue or an rvalue O.
template <class O, class = void>
struct braced_headers_on_lvalue : std::false_type {};
template <class O>
struct braced_headers_on_lvalue<O, std::void_t<decltype(std::declval<O &>().headers({wsh::header{}}))>>
    : std::true_type {};
template <class O, class = void>
struct braced_headers_on_rvalue : std::false_type {};
template <class O>
struct braced_headers_on_rvalue<O, std::void_t<decltype(std::declval<O>().headers({wsh::header{}}))>>
    : std::true_type {};

static void test_types() {
    // A braced list dies with its statement: only a temporary options object
    // used in that statement may hold one.
    static_assert(!braced_headers_on_lvalue<wsh::accept_options>::value, "");
    static_assert(braced_headers_on_rvalue<wsh::accept_options>::value, "");
    static_assert(!braced_headers_on_lvalue<wsh::connect_client_options>::value, "");
    static_assert(!braced_headers_on_rvalue<wsh::connect_client_options>::value, "");
    check_handle_type<wsh::server_config_builder>();
    check_handle_type<wsh::server_config>();
    check_handle_type<wsh::server_handshake>();
    check_handle_type<wsh::client_config_builder>();
    check_handle_type<wsh::client_config>();
    check_handle_type<wsh::client_handshake>();
    static_assert(std::is_convertible<std::string_view, wsh::bytes_view>::value, "");
    static_assert(std::is_convertible<const char *, wsh::bytes_view>::value, "");
    static_assert(std::is_convertible<std::string, wsh::bytes_view>::value, "");
    static_assert(std::is_convertible<std::vector<std::uint8_t>, wsh::bytes_view>::value, "");
    static_assert(std::is_convertible<std::array<std::byte, 4>, wsh::bytes_view>::value, "");
    static_assert(!std::is_convertible<std::vector<int>, wsh::bytes_view>::value, "not bytes");
    static_assert(!std::is_convertible<int, wsh::bytes_view>::value, "");
    static_assert(std::is_convertible<std::array<std::uint8_t, 4> &, wsh::mutable_bytes_view>::value, "");
    static_assert(!std::is_convertible<const std::array<std::uint8_t, 4> &, wsh::mutable_bytes_view>::value,
                  "a const buffer is not an output");
    static_assert(std::is_trivially_copyable<wsh::status>::value && sizeof(wsh::status) == 4, "");
    CHECK(wsh::version() == WSH_VERSION_STRING);
}

// ---- status ----------------------------------------------------------------

static void test_status() {
    wsh::status ok;
    CHECK(ok.ok() && ok && ok == WSH_OK && !ok.is_error());
    wsh::status more(WSH_NEED_MORE);
    CHECK(!more && more.need_more() && !more.is_error());
    wsh::status key(WSH_REQUEST_INVALID_KEY);
    CHECK(key.is_error() && key.is_request_error() && !key.is_misuse() && !key.is_response_error());
    CHECK(key.http_status() == 400);
    CHECK(std::strcmp(key.text(), wsh_result_str(WSH_REQUEST_INVALID_KEY)) == 0);
    CHECK(wsh::status(WSH_REQUEST_UNSUPPORTED_VERSION).http_status() == 426);
    CHECK(wsh::status(WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED).http_status() == 403);
    CHECK(wsh::status(WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED).is_request_error());
    CHECK(wsh::status(WSH_RESPONSE_WRONG_ACCEPT).is_response_error());
    CHECK(wsh::status(WSH_RESPONSE_WRONG_ACCEPT).http_status() == 0);
    CHECK(wsh::status(WSH_CONNECT_RESPONSE_INVALID_STATUS).is_response_error());
    CHECK(wsh::status(WSH_NULL_POINTER).is_misuse());
    CHECK(wsh::status(WSH_PANIC).is_error() && !wsh::status(WSH_PANIC).is_misuse());
    CHECK(WSH_NOT_FOUND == wsh::status(WSH_NOT_FOUND) && wsh::status(WSH_OK) != WSH_NOT_FOUND);
}

// ---- server ----------------------------------------------------------------

static void test_accept_key() {
    auto key = wsh::accept_key("dGhlIHNhbXBsZSBub25jZQ==");
    CHECK_STATUS(key, WSH_OK);
    CHECK(key->str() == SAMPLE_ACCEPT);
}

static void test_rfc_sample_server() {
    wsh::server_config config = chat_config();
    CHECK(config.valid());
    wsh::server_handshake hs(config);
    CHECK(hs.valid());
    std::string_view request(ROOM_REQUEST);
    auto fed = hs.feed(request);
    CHECK_STATUS(fed, WSH_OK);
    CHECK(fed.decision == wsh::decision::upgrade_websocket);
    CHECK(fed.consumed == request.size());
    CHECK(*hs.decision() == wsh::decision::upgrade_websocket);
    CHECK(*hs.method() == "GET");
    CHECK(*hs.target() == "/chat?room=1");
    CHECK(*hs.path() == "/chat");
    CHECK(*hs.query() == "room=1");
    CHECK(*hs.host() == "server.example.com");
    CHECK(*hs.origin() == "http://example.com");
    CHECK(*hs.minor_version() == 1);
    CHECK(*hs.header_count() == 7);
    auto first = hs.header_at(0);
    CHECK(first->name == "Host" && first->value == "server.example.com");
    CHECK_STATUS(hs.header_at(7), WSH_OUT_OF_RANGE);
    CHECK(hs.header_at(7)->name.empty());
    CHECK(*hs.header("sec-websocket-key") == "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK_STATUS(hs.header("Sec-WebSocket-Key", 1), WSH_NOT_FOUND);
    CHECK(*hs.subprotocol_count() == 2);
    CHECK(*hs.subprotocol_at(1) == "superchat");
    CHECK(*hs.subprotocol() == "chat");
    CHECK(*hs.extension_count() == 0);
    CHECK_STATUS(hs.deflate(), WSH_NOT_FOUND);
    CHECK(hs.head()->str() == request);
    CHECK(hs.response()->empty());
    CHECK(!hs.is_accepted());

    CHECK_STATUS(hs.accept(), WSH_OK);
    CHECK(hs.is_accepted());
    CHECK_STATUS(hs.accept(), WSH_WRONG_STATE);
    std::string_view response = hs.response()->str();
    CHECK(response.substr(0, 12) == "HTTP/1.1 101");
    CHECK(contains(response, std::string("Sec-WebSocket-Accept: ") + SAMPLE_ACCEPT + "\r\n"));
    CHECK(contains(response, "Sec-WebSocket-Protocol: chat\r\n"));
    // Send it in two pieces, then drain nothing.
    std::size_t total = response.size();
    CHECK_STATUS(hs.response_advance(total + 1), WSH_OUT_OF_RANGE);
    CHECK_STATUS(hs.response_advance(10), WSH_OK);
    CHECK(hs.response()->size() == total - 10);
    std::array<std::uint8_t, 1024> rest{};
    auto drained = hs.drain(rest);
    CHECK_STATUS(drained, WSH_OK);
    CHECK(*drained == total - 10);
    CHECK(std::memcmp(rest.data(), response.data() + 10, total - 10) == 0);
    CHECK(hs.response()->empty());

    // Reset and serve another connection with the same handle.
    CHECK_STATUS(hs.reset(), WSH_OK);
    CHECK_STATUS(hs.path(), WSH_WRONG_STATE);
    CHECK_STATUS(hs.feed(request), WSH_OK);
    CHECK(*hs.path() == "/chat");
}

static void test_byte_at_a_time() {
    wsh::server_config config = chat_config();
    wsh::server_handshake hs(config);
    // The head, then the first bytes of a frame in the same buffer.
    std::string input = std::string(ROOM_REQUEST) + "\x81\x80\x01\x02\x03\x04";
    std::size_t head = std::strlen(ROOM_REQUEST);
    std::size_t i = 0, steps_need_more = 0;
    wsh::feed_result fed;
    for (; i < input.size(); i++) {
        fed = hs.feed(&input[i], 1);
        if (!fed.need_more()) {
            break;
        }
        CHECK(fed.consumed == 1);
        steps_need_more++;
    }
    CHECK(steps_need_more == head - 1);
    CHECK_STATUS(fed, WSH_OK);
    CHECK(fed.decision == wsh::decision::upgrade_websocket);
    CHECK(i == head - 1 && fed.consumed == 1);
    CHECK(*hs.path() == "/chat");
    // The same input at once: the head is taken, the frame is left.
    wsh::server_handshake whole(config);
    auto at_once = whole.feed(input);
    CHECK_STATUS(at_once, WSH_OK);
    CHECK(at_once.consumed == head);
    CHECK(wsh::bytes_view(input).subview(at_once.consumed).size() == 6);
    CHECK(whole.head()->str() == hs.head()->str());
    // Decided: more input is misuse.
    CHECK_STATUS(whole.feed("x"), WSH_WRONG_STATE);
}

static void test_rejections() {
    wsh::server_config config = chat_config();
    {
        wsh::server_handshake hs(config);
        std::string request(ROOM_REQUEST);
        request.replace(request.find("Version: 13"), 11, "Version: 12");
        auto fed = hs.feed(request);
        CHECK_STATUS(fed, WSH_REQUEST_UNSUPPORTED_VERSION);
        CHECK(fed.decision == wsh::decision::rejected);
        CHECK(fed.status.http_status() == 426);
        CHECK(fed.consumed == request.size());
        std::string_view response = hs.response()->str();
        CHECK(response.substr(0, 12) == "HTTP/1.1 426");
        CHECK(contains(response, "Sec-WebSocket-Version: 13\r\n"));
        CHECK_STATUS(hs.path(), WSH_WRONG_STATE);
        CHECK(hs.path()->empty());
        CHECK_STATUS(hs.accept(), WSH_WRONG_STATE);
        CHECK_STATUS(hs.reject(404), WSH_WRONG_STATE);
    }
    {
        wsh::server_handshake hs(config);
        std::string request(ROOM_REQUEST);
        request.replace(request.find("dGhl"), 4, "!!!!");
        auto fed = hs.feed(request);
        CHECK_STATUS(fed, WSH_REQUEST_INVALID_KEY);
        CHECK(hs.response()->str().substr(0, 12) == "HTTP/1.1 400");
    }
    {
        // The application's own refusal, with a header and a body.
        wsh::server_handshake hs(config);
        CHECK_STATUS(hs.feed(ROOM_REQUEST), WSH_OK);
        CHECK_STATUS(hs.reject(200), WSH_INVALID_STATUS);
        CHECK_STATUS(hs.reject(304, {}, "no body in a 304"), WSH_BODY_NOT_ALLOWED);
        CHECK(wsh::status(WSH_BODY_NOT_ALLOWED).is_misuse());
        CHECK_STATUS(hs.reject(401, {wsh::make_header("WWW-Authenticate", "Bad\r\nInjected: 1")}),
                     WSH_INVALID_HEADER_VALUE);
        CHECK_STATUS(hs.reject(401, {wsh::make_header("WWW-Authenticate", "Basic realm=\"chat\"")},
                               "log in first\n"),
                     WSH_OK);
        std::string_view response = hs.response()->str();
        CHECK(response.substr(0, 12) == "HTTP/1.1 401");
        CHECK(contains(response, "WWW-Authenticate: Basic realm=\"chat\"\r\n"));
        CHECK(contains(response, "Content-Length: 13\r\n"));
        CHECK(response.substr(response.size() - 13) == "log in first\n");
        CHECK(!hs.is_accepted());
    }
    {
        // Accept options that break the rules change nothing.
        wsh::server_handshake hs(config);
        CHECK_STATUS(hs.feed(ROOM_REQUEST), WSH_OK);
        CHECK_STATUS(hs.accept(wsh::accept_options().subprotocol("mqtt")), WSH_SUBPROTOCOL_NOT_OFFERED);
        wsh::header reserved[] = {wsh::make_header("Sec-WebSocket-Accept", "x")};
        CHECK_STATUS(hs.accept(wsh::accept_options().headers(reserved)), WSH_RESERVED_HEADER);
        CHECK_STATUS(hs.accept(wsh::accept_options().subprotocol("superchat").headers(
                         {wsh::make_header("Set-Cookie", "id=1")})),
                     WSH_OK);
        CHECK(contains(hs.response()->str(), "Sec-WebSocket-Protocol: superchat\r\n"));
        CHECK(contains(hs.response()->str(), "Set-Cookie: id=1\r\n"));
        CHECK(*hs.subprotocol() == "superchat");
    }
    {
        // Builder setters check at once and leave the builder as it was.
        wsh::server_config_builder b;
        CHECK_STATUS(b.add_subprotocol("not a token"), WSH_INVALID_CONFIG);
        CHECK_STATUS(b.add_subprotocol(""), WSH_INVALID_CONFIG);
        CHECK_STATUS(b.add_allowed_origin("null"), WSH_INVALID_CONFIG);
        CHECK_STATUS(b.add_allowed_origin("https://example.com"), WSH_OK);
        CHECK_STATUS(b.response_capacity(1), WSH_INVALID_CONFIG);
        wsh::limits l = wsh::default_limits();
        CHECK(l.max_head_bytes == 16384);
        l.max_headers = 0;
        CHECK_STATUS(b.set_limits(l), WSH_INVALID_CONFIG);
        wsh::deflate_config d = wsh::default_deflate_config();
        d.server_max_window_bits = 16;
        CHECK_STATUS(b.permessage_deflate(d), WSH_INVALID_CONFIG);
        CHECK_STATUS(b.subprotocol_selection(wsh::subprotocol_selection::server_preference), WSH_OK);
        CHECK_STATUS(b.require_origin(true), WSH_OK);
        auto built = b.build();
        CHECK_STATUS(built, WSH_OK);
        wsh::server_handshake hs(*built);
        auto fed = hs.feed(ROOM_REQUEST); // Origin http://example.com is not allowed
        CHECK_STATUS(fed, WSH_REQUEST_ORIGIN_NOT_ALLOWED);
        CHECK(fed.status.http_status() == 403);
    }
}

static void test_moved_from() {
    wsh::server_config config = chat_config();
    wsh::server_handshake a(config);
    CHECK_STATUS(a.feed(ROOM_REQUEST), WSH_OK);
    std::string_view path = *a.path();
    wsh::server_handshake b(std::move(a));
    CHECK(!a.valid() && b.valid());
    // The moved-from handle answers like the C API does for NULL.
    CHECK_STATUS(a.feed(ROOM_REQUEST), WSH_NULL_POINTER);
    CHECK_STATUS(a.path(), WSH_NULL_POINTER);
    CHECK(a.path()->empty());
    CHECK_STATUS(a.accept(), WSH_NULL_POINTER);
    CHECK_STATUS(a.reset(), WSH_NULL_POINTER);
    CHECK(!a.is_accepted());
    // A view taken before the move is still valid: the C object did not move.
    CHECK(path == "/chat");
    CHECK(path.data() == b.path()->data());
    // Move assignment frees what the target held (ASan and valgrind check).
    wsh::server_handshake c(config);
    CHECK_STATUS(c.feed("GET / HTTP/1.1\r\n"), WSH_NEED_MORE);
    c = std::move(b);
    CHECK(!b.valid() && *c.path() == "/chat");
    auto &self = c;
    c = std::move(self);
    CHECK(c.valid() && *c.path() == "/chat");
    // release() and adopt hand the pointer across and back.
    wsh_server *raw = c.release();
    CHECK(!c.valid() && raw != nullptr);
    wsh::server_handshake d(wsh::adopt, raw);
    CHECK(*d.path() == "/chat");

    // Configs and builders.
    wsh::server_config moved_config(std::move(config));
    CHECK(!config.valid() && moved_config.valid());
    wsh::server_handshake from_empty(config);
    CHECK(!from_empty.valid());
    CHECK_STATUS(wsh::server_handshake::create(config), WSH_NULL_POINTER);
    CHECK_STATUS(wsh::respond(config, ROOM_REQUEST, wsh::mutable_bytes_view()), WSH_NULL_POINTER);
    wsh::server_config_builder builder;
    wsh::server_config_builder other(std::move(builder));
    CHECK_STATUS(builder.add_subprotocol("chat"), WSH_NULL_POINTER);
    CHECK_STATUS(builder.build(), WSH_NULL_POINTER);
    CHECK(!builder.build()->valid());
    CHECK_STATUS(other.add_subprotocol("chat"), WSH_OK);
    // A builder that fails to build is consumed all the same (no leak, no double free).
    wsh::client_config_builder client_builder;
    CHECK_STATUS(client_builder.build(), WSH_NULL_POINTER);
    auto cb = wsh::client_config_builder::create("ws://example.com/");
    wsh::client_config_builder moved_cb(std::move(*cb));
    CHECK(!cb->valid() && moved_cb.valid());
    CHECK_STATUS(cb->add_subprotocol("chat"), WSH_NULL_POINTER);
    auto client_config = moved_cb.build();
    CHECK(!moved_cb.valid() && client_config->valid());
    wsh::client_config cc(std::move(*client_config));
    CHECK(!client_config->valid());
    CHECK_STATUS(client_config->url(), WSH_NULL_POINTER);
    CHECK(client_config->url()->host.empty());
    auto client = wsh::client_handshake::create(cc);
    wsh::client_handshake moved_client(std::move(*client));
    CHECK(!client->valid() && moved_client.valid());
    CHECK_STATUS(client->request(), WSH_NULL_POINTER);
    CHECK_STATUS(client->feed("x"), WSH_NULL_POINTER);
    CHECK(moved_client.request()->size() > 0);
}

static void test_view_lifetimes() {
    // A handshake keeps its own reference to the config.
    wsh::server_handshake hs;
    CHECK(!hs.valid());
    {
        wsh::server_config config = chat_config();
        hs = wsh::server_handshake(config);
    }
    CHECK(hs.valid());
    std::string request(ROOM_REQUEST);
    CHECK_STATUS(hs.feed(request), WSH_OK);
    // Request views point into the handle, not into the bytes fed.
    std::string_view path = *hs.path();
    std::string_view host = *hs.host();
    request.assign(request.size(), 'x');
    CHECK(path == "/chat" && host == "server.example.com");
    // Accepting and sending do not move them.
    CHECK_STATUS(hs.accept(), WSH_OK);
    std::size_t len = hs.response()->size();
    CHECK_STATUS(hs.response_advance(len), WSH_OK);
    CHECK(path == "/chat" && host == "server.example.com");
    CHECK(path.data() == hs.path()->data());

    // The one-shot's views point into the request and the buffer passed in.
    wsh::server_config config = chat_config();
    std::string one(ROOM_REQUEST);
    std::array<std::uint8_t, 512> out{};
    auto r = wsh::respond(config, one, out);
    CHECK_STATUS(r, WSH_OK);
    CHECK(r.response().data() == out.data());
    CHECK(r.subprotocol() == "chat");
    CHECK(r.subprotocol().data() >= one.data() && r.subprotocol().data() < one.data() + one.size());

    // client_config::url() views last as long as the config.
    auto b = wsh::client_config_builder::create("wss://[::1]:9443/a/b?c=d");
    CHECK_STATUS(b, WSH_OK);
    auto cc = b->build();
    wsh::client_config moved(std::move(*cc));
    auto url = moved.url();
    CHECK_STATUS(url, WSH_OK);
    CHECK(url->host == "::1" && url->host_kind == wsh::host_kind::ipv6 && url->port == 9443);
    CHECK(url->secure && url->host_header == "[::1]:9443" && url->resource == "/a/b?c=d");
}

static void test_one_shot() {
    wsh::server_config config = chat_config();
    std::array<std::uint8_t, 16> small{};
    auto r = wsh::respond(config, ROOM_REQUEST, small);
    CHECK_STATUS(r, WSH_BUFFER_TOO_SMALL);
    CHECK(r.needed() > small.size());
    std::vector<std::uint8_t> out(r.needed());
    auto again = wsh::respond(config, ROOM_REQUEST, out);
    CHECK_STATUS(again, WSH_OK);
    CHECK(again.decision() == wsh::decision::upgrade_websocket && again.http_status() == 101);
    CHECK(again.response().size() == out.size());
    CHECK(contains(again.response().str(), SAMPLE_ACCEPT));
    CHECK(again.consumed() == std::strlen(ROOM_REQUEST));
    CHECK(again.subprotocol() == "chat" && again.subprotocol_index() == std::optional<std::size_t>(0));
    CHECK(!again.deflate());
    // A read loop a byte at a time with progress: the same verdict, and work
    // linear in the head (the C suite's bound: at most 3n + 1 bytes examined).
    wsh::respond_progress progress{};
    std::size_t total = std::strlen(ROOM_REQUEST);
    for (std::size_t have = 1; have < total; have++) {
        CHECK_STATUS(wsh::respond(config, progress, std::string_view(ROOM_REQUEST, have), out), WSH_NEED_MORE);
        CHECK(progress.scanned <= have);
    }
    CHECK(progress.examined <= 3 * total + 1);
    auto resumed = wsh::respond(config, progress, ROOM_REQUEST, out);
    CHECK_STATUS(resumed, WSH_OK);
    CHECK(resumed.decision() == wsh::decision::upgrade_websocket && resumed.response().str() == again.response().str());
    // Partial input, then a plain request.
    CHECK_STATUS(wsh::respond(config, std::string_view(ROOM_REQUEST, 40), out), WSH_NEED_MORE);
    auto plain = wsh::respond(config, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", out);
    CHECK_STATUS(plain, WSH_OK);
    CHECK(plain.decision() == wsh::decision::not_upgrade && plain.response().empty());
    CHECK(!plain.subprotocol_index());
    // A rejection is written into the buffer.
    auto bad = wsh::respond(config, "POST /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    "Sec-WebSocket-Version: 13\r\n\r\n",
                            out);
    CHECK_STATUS(bad, WSH_REQUEST_METHOD_NOT_ALLOWED);
    CHECK(bad.http_status() == 405 && contains(bad.response().str(), "Allow: GET\r\n"));
}

static void test_deflate_and_params() {
    wsh::server_config config = chat_config(true);
    wsh::server_handshake hs(config);
    std::string request(ROOM_REQUEST);
    request.insert(request.size() - 2,
                   "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits; "
                   "server_max_window_bits=\"10\"\r\n");
    CHECK_STATUS(hs.feed(request), WSH_OK);
    CHECK(*hs.extension_count() == 1);
    auto offer = hs.extension_at(0);
    CHECK(offer->name == "permessage-deflate");
    CHECK(*hs.extension_param_count(0) == 2);
    auto param = hs.extension_param_at(0, 1);
    CHECK(param->name == "server_max_window_bits" && param->has_value && param->quoted);
    CHECK(param->raw_value == "10");
    CHECK(!hs.extension_param_at(0, 0)->has_value);
    CHECK_STATUS(hs.extension_param_at(0, 2), WSH_OUT_OF_RANGE);
    auto size = hs.extension_param_value(0, 1, wsh::mutable_bytes_view());
    CHECK_STATUS(size, WSH_BUFFER_TOO_SMALL);
    CHECK(*size == 2);
    char value[8];
    auto written = hs.extension_param_value(0, 1, value);
    CHECK_STATUS(written, WSH_OK);
    CHECK(std::string_view(value, *written) == "10");
    auto deflate = hs.deflate();
    CHECK_STATUS(deflate, WSH_OK);
    CHECK(deflate->server_max_window_bits == 10);
    CHECK_STATUS(hs.accept(wsh::accept_options().decline_deflate()), WSH_OK);
    CHECK_STATUS(hs.deflate(), WSH_NOT_FOUND);
    CHECK(!contains(hs.response()->str(), "Sec-WebSocket-Extensions"));
}

static void test_h2c() {
    static const std::uint8_t SETTINGS[18] = {0, 3, 0, 0, 0, 100, 0, 4, 0x40, 0, 0, 0, 0, 2, 0, 0, 0, 0};
    wsh::server_config_builder b;
    CHECK_STATUS(b.add_upgrade_protocol("h2c"), WSH_OK);
    wsh::server_config config = std::move(*b.build());
    wsh::server_handshake hs(config);
    auto fed = hs.feed("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                       "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    CHECK_STATUS(fed, WSH_OK);
    CHECK(fed.decision == wsh::decision::upgrade_other);
    CHECK(*hs.upgrade_protocol() == "h2c");
    std::array<std::uint8_t, 4> small{};
    auto need = hs.http2_settings(small);
    CHECK_STATUS(need, WSH_BUFFER_TOO_SMALL);
    CHECK(*need == 18);
    std::array<std::uint8_t, 32> buf{};
    auto got = hs.http2_settings(buf);
    CHECK_STATUS(got, WSH_OK);
    CHECK(*got == 18 && std::memcmp(buf.data(), SETTINGS, 18) == 0);
    CHECK_STATUS(hs.accept(), WSH_OK);
    CHECK(hs.response()->str() == "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
}

// ---- client ----------------------------------------------------------------

static wsh::client_config rfc_client_config(bool deflate = false) {
    auto b = wsh::client_config_builder::create("ws://server.example.com/chat");
    CHECK_STATUS(b, WSH_OK);
    CHECK_STATUS(b->origin("http://example.com"), WSH_OK);
    CHECK_STATUS(b->add_subprotocol("chat"), WSH_OK);
    CHECK_STATUS(b->add_subprotocol("superchat"), WSH_OK);
    if (deflate) {
        CHECK_STATUS(b->permessage_deflate(), WSH_OK);
    }
    auto built = b->build();
    CHECK_STATUS(built, WSH_OK);
    return std::move(*built);
}

static void test_client_rfc_sample() {
    wsh::client_config config = rfc_client_config();
    auto client = wsh::client_handshake::create(config, SAMPLE_NONCE);
    CHECK_STATUS(client, WSH_OK);
    CHECK(*client->key() == "dGhlIHNhbXBsZSBub25jZQ==");
    std::string_view request = client->request()->str();
    CHECK(request.substr(0, 20) == "GET /chat HTTP/1.1\r\n");
    CHECK(contains(request, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    CHECK(contains(request, "Sec-WebSocket-Protocol: chat, superchat\r\n"));
    std::size_t request_len = request.size();
    CHECK_STATUS(client->request_advance(request_len), WSH_OK);
    CHECK(client->request()->empty());

    const std::string response = std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                             "Connection: Upgrade\r\nSec-WebSocket-Accept: ") +
                                 SAMPLE_ACCEPT + "\r\nSec-WebSocket-Protocol: chat\r\n\r\n\x81\x02hi";
    std::size_t head = response.size() - 4;
    wsh::client_feed_result fed;
    std::size_t i = 0;
    for (; i < response.size(); i++) {
        fed = client->feed(&response[i], 1);
        if (!fed.need_more()) {
            break;
        }
    }
    CHECK_STATUS(fed, WSH_OK);
    CHECK(fed.decision == wsh::client_decision::accepted);
    CHECK(i == head - 1);
    CHECK(client->is_accepted());
    CHECK(*client->response_status() == 101);
    CHECK(*client->reason() == "Switching Protocols");
    CHECK(*client->subprotocol() == "chat");
    CHECK(*client->header("sec-websocket-accept") == SAMPLE_ACCEPT);
    CHECK(*client->header_count() == 4);
    CHECK(client->header_at(0)->name == "Upgrade");
    CHECK(client->head()->str() == std::string_view(response).substr(0, head));
    CHECK_STATUS(client->deflate(), WSH_NOT_FOUND);
    CHECK(*client->extension_count() == 0);
    CHECK(*client->outcome() == wsh::client_decision::accepted);
    CHECK_STATUS(client->feed("x"), WSH_WRONG_STATE);

    // A new key for the next connection.
    std::uint8_t other[WSH_NONCE_LEN] = {0};
    CHECK_STATUS(client->reset(other), WSH_OK);
    CHECK(*client->key() == "AAAAAAAAAAAAAAAAAAAAAA==");
    CHECK_STATUS(client->reset(wsh::bytes_view(other, 3)), WSH_INVALID_ARGUMENT);
    CHECK_STATUS(client->reset(), WSH_OK);
    CHECK(client->key()->size() == WSH_KEY_LEN);
    CHECK_STATUS(wsh::client_handshake::create(config, wsh::bytes_view(SAMPLE_NONCE, 15)), WSH_INVALID_ARGUMENT);
}

static void test_client_errors() {
    CHECK_STATUS(wsh::client_config_builder::create("http://example.com/"), WSH_INVALID_URL);
    CHECK(!wsh::client_config_builder::create("ws://example.com/#frag")->valid());
    auto b = wsh::client_config_builder::create("ws://example.com/");
    CHECK_STATUS(b->add_header("Host", "evil"), WSH_RESERVED_HEADER);
    CHECK_STATUS(b->add_header("X-Token", "a\r\nb"), WSH_INVALID_HEADER_VALUE);
    CHECK_STATUS(b->add_header("Authorization", "Bearer t"), WSH_OK);
    CHECK_STATUS(b->add_subprotocol("chat"), WSH_OK);
    CHECK_STATUS(b->add_subprotocol("chat"), WSH_DUPLICATE_SUBPROTOCOL);
    CHECK_STATUS(b->add_extension("permessage-deflate"), WSH_INVALID_EXTENSION);
    CHECK_STATUS(b->add_extension("x-foo; level=2"), WSH_OK);
    wsh::client_limits l = wsh::default_client_limits();
    l.max_body_bytes = 8;
    CHECK_STATUS(b->set_limits(l), WSH_OK);
    CHECK_STATUS(b->subprotocol_mode(wsh::client_subprotocol_mode::rfc6455), WSH_OK);
    wsh::client_config config = std::move(*b->build());
    {
        auto c = wsh::client_handshake::create(config, SAMPLE_NONCE);
        CHECK(contains(c->request()->str(), "Authorization: Bearer t\r\n"));
        auto fed = c->feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");
        CHECK_STATUS(fed, WSH_RESPONSE_WRONG_ACCEPT);
        CHECK(fed.decision == wsh::client_decision::failed);
        CHECK(fed.status.is_response_error());
        CHECK(*c->response_status() == 101);
    }
    {
        auto c = wsh::client_handshake::create(config, SAMPLE_NONCE);
        auto fed = c->feed("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!");
        CHECK_STATUS(fed, WSH_OK);
        CHECK(fed.decision == wsh::client_decision::refused);
        CHECK(*c->response_status() == 403 && *c->reason() == "Forbidden");
        CHECK(c->body()->str() == "nope!");
        CHECK_STATUS(c->subprotocol(), WSH_WRONG_STATE);
    }
    {
        auto c = wsh::client_handshake::create(config, SAMPLE_NONCE);
        CHECK_STATUS(c->feed("HTTP/1.1 404 Not Found\r\nContent-Length: 50\r\n\r\n"), WSH_RESPONSE_BODY_TOO_LARGE);
    }
    {
        // A refusal that ends at the close.
        auto c = wsh::client_handshake::create(config, SAMPLE_NONCE);
        CHECK_STATUS(c->feed("HTTP/1.1 500 Oops\r\n\r\nbye"), WSH_NEED_MORE);
        auto done = c->finish();
        CHECK_STATUS(done, WSH_OK);
        CHECK(done.decision == wsh::client_decision::refused && c->body()->str() == "bye");
        auto cut = wsh::client_handshake::create(config, SAMPLE_NONCE);
        CHECK_STATUS(cut->feed("HTTP/1.1 101 Swi"), WSH_NEED_MORE);
        CHECK_STATUS(cut->finish(), WSH_RESPONSE_INCOMPLETE_HEAD);
    }
}

// Client and server in memory, with permessage-deflate on both sides.
static void test_round_trip() {
    wsh::server_config server_config = chat_config(true);
    wsh::client_config client_config = rfc_client_config(true);
    auto client = wsh::client_handshake::create(client_config);
    CHECK_STATUS(client, WSH_OK);
    wsh::server_handshake server(server_config);
    std::array<std::uint8_t, 64> chunk{};
    wsh::feed_result fed;
    for (;;) {
        auto n = client->drain(chunk);
        CHECK_STATUS(n, WSH_OK);
        if (*n == 0) {
            break;
        }
        fed = server.feed(chunk.data(), *n);
    }
    CHECK_STATUS(fed, WSH_OK);
    CHECK(fed.decision == wsh::decision::upgrade_websocket);
    CHECK_STATUS(server.accept(), WSH_OK);
    auto response = server.response();
    auto got = client->feed(*response);
    CHECK_STATUS(got, WSH_OK);
    CHECK(got.decision == wsh::client_decision::accepted);
    CHECK(got.consumed == response->size());
    CHECK(*client->subprotocol() == *server.subprotocol());
    auto ours = client->deflate();
    auto theirs = server.deflate();
    CHECK_STATUS(ours, WSH_OK);
    CHECK(ours->server_max_window_bits == theirs->server_max_window_bits &&
          ours->client_max_window_bits == theirs->client_max_window_bits &&
          ours->server_no_context_takeover == theirs->server_no_context_takeover &&
          ours->client_no_context_takeover == theirs->client_no_context_takeover);
    CHECK(*client->extension_count() == 1);
    CHECK(client->extension_at(0)->substr(0, 18) == "permessage-deflate");
}

// Two deflate offers, preferred first: our server takes the first, the client
// reports index 0 and the window it asked for; a second identical offer is refused.
static void test_two_deflate_offers() {
    auto b = wsh::client_config_builder::create("ws://server.example.com/chat");
    CHECK_STATUS(b, WSH_OK);
    wsh::deflate_offer small{};
    small.server_max_window_bits = 10;
    CHECK_STATUS(b->permessage_deflate(small), WSH_OK);
    CHECK_STATUS(b->add_permessage_deflate(wsh::default_deflate_offer()), WSH_OK);
    CHECK_STATUS(b->add_permessage_deflate(small), WSH_INVALID_EXTENSION);
    auto built = b->build();
    CHECK_STATUS(built, WSH_OK);
    auto client = wsh::client_handshake::create(*built, SAMPLE_NONCE);
    CHECK_STATUS(client, WSH_OK);
    CHECK_STATUS(client->deflate_offer_index(), WSH_WRONG_STATE);
    wsh::server_config server_config = chat_config(true);
    wsh::server_handshake server(server_config);
    auto request = client->request();
    CHECK_STATUS(request, WSH_OK);
    CHECK_STATUS(server.feed(*request), WSH_OK);
    CHECK_STATUS(server.accept(), WSH_OK);
    auto got = client->feed(*server.response());
    CHECK_STATUS(got, WSH_OK);
    CHECK(got.decision == wsh::client_decision::accepted);
    CHECK(*client->deflate_offer_index() == 0);
    CHECK(client->deflate()->server_max_window_bits == 10);
}

// ---- extended CONNECT ----------------------------------------------------

static void test_connect_server() {
    wsh::server_config config = chat_config();
    const wsh::field request[] = {
        wsh::make_field(":method", "CONNECT"),
        wsh::make_field(":protocol", "websocket"),
        wsh::make_field(":scheme", "https"),
        wsh::make_field(":path", "/chat"),
        wsh::make_field(":authority", "server.example.com"),
        wsh::make_field("sec-websocket-protocol", "chat, superchat"),
        wsh::make_field("sec-websocket-extensions", "permessage-deflate"),
        wsh::make_field("sec-websocket-version", "13"),
        wsh::make_field("origin", "http://www.example.com"),
    };
    auto analysis = wsh::connect_analyze(config, request);
    CHECK_STATUS(analysis, WSH_OK);
    CHECK(analysis.outcome() == wsh::connect_outcome::websocket && analysis.http_status() == 200);
    CHECK(analysis.secure() && !analysis.malformed());
    CHECK(analysis.path() == "/chat" && analysis.authority() == "server.example.com");
    CHECK(analysis.origin() && *analysis.origin() == "http://www.example.com");
    CHECK(analysis.subprotocol() == "chat" && analysis.subprotocol_count() == 2);
    CHECK(analysis.extension_count() == 1 && !analysis.deflate());
    CHECK(*wsh::connect_subprotocol_at(config, request, 1) == "superchat");
    CHECK_STATUS(wsh::connect_subprotocol_at(config, request, 2), WSH_OUT_OF_RANGE);
    CHECK(wsh::connect_extension_at(config, request, 0)->name == "permessage-deflate");
    std::array<wsh_bytes, 4> offered{};
    std::array<wsh::field, 4> offers{};
    auto lists = wsh::connect_offers(config, request, offered, offers);
    CHECK_STATUS(lists, WSH_OK);
    CHECK(lists.subprotocol_count() == 2 && lists.extension_count() == 1);
    CHECK(lists.subprotocol(0) == "chat" && lists.subprotocol(1) == "superchat");
    CHECK(lists.extension(0).name == "permessage-deflate" && lists.extension(0).params.empty());
    std::array<wsh_bytes, 1> too_few{};
    auto short_lists = wsh::connect_offers(config, request, too_few, offers);
    CHECK_STATUS(short_lists, WSH_FIELD_ARRAY_TOO_SMALL);
    CHECK(short_lists.subprotocol_count() == 2);
    const wsh::field not_websocket[] = {wsh::make_field(":method", "GET"), wsh::make_field(":scheme", "https"),
                                        wsh::make_field(":path", "/"), wsh::make_field(":authority", "a")};
    CHECK_STATUS(wsh::connect_offers(config, not_websocket, offered, offers), WSH_WRONG_STATE);

    std::array<std::uint8_t, 256> buf{};
    std::array<wsh::field, 8> out{};
    auto response = wsh::connect_respond(config, request, buf, out);
    CHECK_STATUS(response, WSH_OK);
    CHECK(response.fields().size() == 2);
    CHECK(response.fields()[0].name == ":status" && response.fields()[0].value == "200");
    CHECK(response.fields()[1].name == "sec-websocket-protocol" && response.fields()[1].value == "chat");
    CHECK(response.fields().data() == out.data());

    // Options: another subprotocol and an extra field (names lowercased).
    wsh::header extra[] = {wsh::make_header("X-Served-By", "test")};
    auto chosen = wsh::connect_respond(config, request, buf, out,
                                       wsh::accept_options().subprotocol("superchat").headers(extra));
    CHECK_STATUS(chosen, WSH_OK);
    CHECK(chosen.subprotocol() == "superchat" && chosen.fields().size() == 3);
    CHECK(chosen.fields()[2].name == "x-served-by");

    // Too small: nothing written, the sizes needed reported.
    wsh::field one[1];
    auto small = wsh::connect_respond(config, request, buf, one);
    CHECK_STATUS(small, WSH_FIELD_ARRAY_TOO_SMALL);
    CHECK(small.field_count() == 2 && small.fields().empty());

    // An invalid request gets the ready rejection.
    std::vector<wsh::field> bad(std::begin(request), std::end(request));
    bad[7] = wsh::make_field("sec-websocket-version", "12");
    auto rejected = wsh::connect_respond(config, bad, buf, out);
    CHECK_STATUS(rejected, WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION);
    CHECK(rejected.outcome() == wsh::connect_outcome::rejected && rejected.http_status() == 400);
    CHECK(rejected.fields().size() >= 1 && rejected.fields()[0].value == "400");

    // The application's own refusal.
    auto refusal = wsh::connect_reject(401, {wsh::make_header("WWW-Authenticate", "Basic")}, buf, out);
    CHECK_STATUS(refusal, WSH_OK);
    CHECK(refusal.fields.size() == 2 && refusal.fields[0].value == "401");
    CHECK(refusal.fields[1].name == "www-authenticate");
    CHECK_STATUS(wsh::connect_reject(200, {}, buf, out), WSH_INVALID_STATUS);
}

static void test_connect_client() {
    const wsh_bytes subprotocols[] = {wsh::make_bytes("chat"), wsh::make_bytes("superchat")};
    wsh::deflate_offer bare{};
    wsh::connect_client_options options;
    options.authority("server.example.com").path("/chat").subprotocols(subprotocols)
        .permessage_deflate(bare).origin("http://www.example.com");
    std::array<std::uint8_t, 512> buf{};
    std::array<wsh::field, 16> out{};
    auto request = wsh::connect_client_request(options, buf, out);
    CHECK_STATUS(request, WSH_OK);
    CHECK(request.fields.size() == 9);
    CHECK(request.fields[0].name == ":method" && request.fields[0].value == "CONNECT");
    CHECK(request.fields[5].name == "sec-websocket-protocol" && request.fields[5].value == "chat, superchat");
    CHECK(request.fields[6].value == "permessage-deflate");

    // The server side answers the request the client made; a copy of the
    // options points at its own deflate offer.
    wsh::server_config config = chat_config(true);
    std::array<std::uint8_t, 256> response_buf{};
    std::array<wsh::field, 8> response_fields{};
    auto response = wsh::connect_respond(config, wsh::list_view<wsh::field>(request.fields.data(), request.fields.size()),
                                         response_buf, response_fields);
    CHECK_STATUS(response, WSH_OK);
    wsh::connect_client_options copy = options;
    auto check = wsh::connect_client_check(copy, wsh::list_view<wsh::field>(response.fields().data(),
                                                                            response.fields().size()));
    CHECK_STATUS(check, WSH_OK);
    CHECK(check.outcome == wsh::connect_client_outcome::accepted && check.http_status == 200);
    CHECK(check.subprotocol == "chat");
    CHECK(check.deflate.has_value());

    const wsh::field wrong[] = {wsh::make_field(":status", "200"), wsh::make_field("sec-websocket-protocol", "mqtt")};
    CHECK_STATUS(wsh::connect_client_check(options, wrong), WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED);
    std::array<wsh::field, 2> few{};
    auto small = wsh::connect_client_request(options, buf, few);
    CHECK_STATUS(small, WSH_FIELD_ARRAY_TOO_SMALL);
    CHECK(small.field_count == 9 && small.fields.empty());
    wsh::connect_client_options no_authority;
    CHECK_STATUS(wsh::connect_client_request(no_authority, buf, out), WSH_INVALID_URL);

    // Two offers in order of preference: the bare answer only fits the second
    // (the first asked for server_max_window_bits=10).
    wsh::deflate_offer ten{};
    ten.server_max_window_bits = 10;
    wsh::connect_client_options two;
    two.authority("server.example.com").permessage_deflate(ten).add_permessage_deflate(bare);
    auto offered = wsh::connect_client_request(two, buf, out);
    CHECK_STATUS(offered, WSH_OK);
    CHECK(offered.fields[5].name == "sec-websocket-extensions" &&
          offered.fields[5].value == "permessage-deflate; server_max_window_bits=10, permessage-deflate");
    const wsh::field bare_answer[] = {wsh::make_field(":status", "200"),
                                      wsh::make_field("sec-websocket-extensions", "permessage-deflate")};
    wsh::connect_client_options two_copy = two;
    auto second = wsh::connect_client_check(two_copy, bare_answer);
    CHECK_STATUS(second, WSH_OK);
    CHECK(second.deflate.has_value() && second.deflate_offer_index == 1);
    for (int i = 0; i < WSH_CONNECT_MAX_DEFLATE_OFFERS; ++i) {
        two.add_permessage_deflate(bare);
    }
    CHECK_STATUS(wsh::connect_client_request(two, buf, out), WSH_TOO_MANY_FIELDS);
}

// ---- C++20 spans, exceptions -------------------------------------------------

static void test_spans() {
#if WSH_CXX_HAS_SPAN
    wsh::server_config config = chat_config();
    std::string_view text(ROOM_REQUEST);
    std::span<const std::byte> request = std::as_bytes(std::span<const char>(text.data(), text.size()));
    wsh::server_handshake hs(config);
    CHECK_STATUS(hs.feed(request), WSH_OK);
    CHECK_STATUS(hs.accept(), WSH_OK);
    std::span<const std::byte> response = hs.response()->as_span();
    CHECK(response.size() == hs.response()->size());
    std::array<std::byte, 512> out{};
    auto drained = hs.drain(std::span<std::byte>(out));
    CHECK_STATUS(drained, WSH_OK);
    CHECK(*drained == response.size());
    auto one = wsh::respond(config, request, std::span<std::byte>(out));
    CHECK_STATUS(one, WSH_OK);
    CHECK(one.http_status() == 101);
    std::printf("C++20: std::span inputs and outputs checked\n");
#endif
}

static void test_exceptions() {
#if WSH_CXX_EXCEPTIONS
    bool thrown = false;
    try {
        wsh::client_config_builder b = wsh::client_config_builder::create("ftp://example.com/").value_or_throw();
        (void)b;
    } catch (const wsh::error &e) {
        thrown = e.code() == WSH_INVALID_URL && std::strcmp(e.what(), wsh_result_str(WSH_INVALID_URL)) == 0;
    }
    CHECK(thrown);
    // Progress is not an error: no throw.
    wsh::server_config config = chat_config();
    wsh::server_handshake hs(config);
    CHECK(hs.feed("GET / HTTP/1.1\r\n").status.throw_if_error() == WSH_NEED_MORE);
    wsh::server_handshake made = wsh::server_handshake::create(config).value_or_throw();
    CHECK(made.valid());
    std::printf("exceptions: the throwing layer checked\n");
#else
    std::printf("exceptions: off (the throwing layer is not compiled)\n");
#endif
}

int main() {
    test_types();
    test_status();
    unsigned long before = cxx_allocations;
    test_accept_key();
    test_rfc_sample_server();
    test_byte_at_a_time();
    test_rejections();
    test_moved_from();
    test_view_lifetimes();
    test_one_shot();
    test_spans();
    test_h2c();
    test_deflate_and_params();
    test_client_rfc_sample();
    test_client_errors();
    test_round_trip();
    test_two_deflate_offers();
    test_connect_server();
    test_connect_client();
    // Only the tests' own std::string and std::vector allocate through
    // operator new; the layer's calls above add nothing (checked below on a
    // run that uses no std::string or std::vector).
    unsigned long tests_own = cxx_allocations - before;
    before = cxx_allocations;
    {
        wsh::server_config config = chat_config(true);
        for (int round = 0; round < 3; round++) {
            wsh::server_handshake hs(config);
            (void)hs.feed(ROOM_REQUEST);
            (void)hs.path();
            (void)hs.header("Host");
            (void)hs.accept(wsh::accept_options().subprotocol("chat"));
            std::array<std::uint8_t, 512> out{};
            (void)hs.drain(out);
            (void)wsh::respond(config, ROOM_REQUEST, out);
            wsh::client_config cc = rfc_client_config(true);
            auto client = wsh::client_handshake::create(cc, SAMPLE_NONCE);
            (void)client->request();
            (void)client->feed("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            (void)client->body();
        }
    }
    CHECK(tests_own > 0); // the counter counts
    CHECK(cxx_allocations == before);
    std::printf("operator new calls: %lu by the tests' own strings and vectors, %lu by the layer\n", tests_own,
                cxx_allocations - before);
    test_exceptions();
    return check_summary();
}
