// asio_echo_server: a WebSocket echo server on 127.0.0.1, in C++17 with
// standalone Asio (Debian libasio-dev), the handshake by wshandshake.hpp and
// the frames by wslay (Debian libwslay-dev), as echo_server.c does in C (the
// page for GET / and the echo callback are shared with it: echo_common.h).
//
//     asio_echo_server [PORT]        (0 or nothing: pick a free port)
//
// It prints "listening on <port>" once it accepts connections, and stops
// cleanly on SIGINT or SIGTERM (open connections are closed and freed).
//
// One thread, one io_context. Each connection is a session: async reads feed
// a wsh::server_handshake until it decides; the 101 (or the rejection) is
// written with asio::async_write straight from the handshake's pending-response
// view; then wslay owns the socket, in non-blocking mode, woken by
// socket.async_wait() the way a poll() loop would wake it.
//
// What each request gets:
// - a WebSocket upgrade to "/" or "/echo": 101 (subprotocol "chat" or
//   "superchat" when offered, in the client's order; no permessage-deflate:
//   wslay has none), then the echo of every text and binary message;
// - a WebSocket upgrade to another path: 404 (wsh::server_handshake::reject);
// - an invalid upgrade request: the engine's ready-made rejection;
// - a plain GET /: an HTML page whose script tests the echo from a browser
//   and writes PASS or FAIL into <div id=result>;
// - other plain requests: 404 or 405 (reject() again);
// - the HTTP/2 preface and other upgrades: closed, not served.
// Every HTTP response closes the connection.
#include <asio.hpp>
#include <wslay/wslay.h>

#include <wshandshake.hpp>

#include "echo_common.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <sys/types.h>

namespace {

constexpr std::size_t read_chunk = 4096;
constexpr std::uint64_t max_message = 64u << 20;

constexpr std::string_view page_html = ECHO_PAGE_HTML("wshandshake C++ echo");

// The whole HTTP response for GET /, made once.
std::string make_page_response() {
    std::string response = "HTTP/1.1 200 OK\r\n"
                           "Content-Type: text/html; charset=utf-8\r\n"
                           "Content-Length: " +
                           std::to_string(page_html.size()) +
                           "\r\n"
                           "Cache-Control: no-store\r\n"
                           "Connection: close\r\n"
                           "\r\n";
    response += page_html;
    return response;
}

class session : public std::enable_shared_from_this<session> {
public:
    session(asio::ip::tcp::socket socket, const wsh::server_config &config, const std::string &page,
            unsigned long id)
        : socket_(std::move(socket)), handshake_(config), page_(page), id_(id) {}

    ~session() {
        if (ws_ != nullptr) {
            wslay_event_context_free(ws_);
        }
    }

    void start() {
        if (!handshake_.valid()) {
            std::fprintf(stderr, "#%lu no handshake handle\n", id_);
            return;
        }
        read_head();
    }

private:
    // ---- the opening handshake ------------------------------------------

    void read_head() {
        auto self = shared_from_this();
        socket_.async_read_some(asio::buffer(buf_), [self](std::error_code ec, std::size_t n) {
            if (ec) {
                return; // gone before the head was complete
            }
            self->on_head_bytes(n);
        });
    }

    void on_head_bytes(std::size_t n) {
        // Partial heads are fine: the engine keeps what it was fed so far.
        wsh::feed_result fed = handshake_.feed(buf_.data(), n);
        if (fed.need_more()) {
            read_head();
            return;
        }
        if (fed.decision == wsh::decision::rejected) {
            std::fprintf(stderr, "#%lu rejected: %u (%s)\n", id_, fed.status.http_status(), fed.status.text());
            send_response(false);
            return;
        }
        if (!fed.status) {
            std::fprintf(stderr, "#%lu feed failed: %s\n", id_, fed.status.text());
            return;
        }
        std::string_view method = *handshake_.method();
        std::string_view target = *handshake_.target();
        std::string_view path = *handshake_.path();
        switch (fed.decision) {
        case wsh::decision::upgrade_websocket:
            break;
        case wsh::decision::not_upgrade:
        case wsh::decision::not_upgrade_http10:
        case wsh::decision::not_upgrade_unsupported:
            on_plain_request(method, target, path);
            return;
        default: // the HTTP/2 preface, other upgrades: not served here
            std::fprintf(stderr, "#%lu decision %u: not served, closed\n", id_, static_cast<unsigned>(fed.decision));
            return;
        }
        if (path != "/" && path != "/echo") {
            log(method, target, "404");
            reply(404, {}, "no WebSocket endpoint here\n");
            return;
        }
        // The config's subprotocol policy; the rest of this read is the
        // client's first frames, for wslay.
        if (wsh::status s = handshake_.accept(); !s) {
            std::fprintf(stderr, "#%lu accept failed: %s\n", id_, s.text());
            return;
        }
        auto protocol = handshake_.subprotocol();
        char outcome[64] = "101";
        if (protocol) {
            std::snprintf(outcome, sizeof outcome, "101 (%.*s)", static_cast<int>(protocol->size()), protocol->data());
        }
        log(method, target, outcome);
        leftover_ = wsh::bytes_view(buf_.data(), n).subview(fed.consumed);
        send_response(true);
    }

    void on_plain_request(std::string_view method, std::string_view target, std::string_view path) {
        if (method != "GET") {
            log(method, target, "405");
            reply(405, {wsh::make_header("Allow", "GET")}, "only GET here\n");
        } else if (path != "/") {
            log(method, target, "404");
            reply(404, {}, "not found\n");
        } else {
            log(method, target, "200 (page)");
            send(wsh::bytes_view(page_), false);
        }
    }

    void reply(std::uint16_t status, wsh::list_view<wsh::header> headers, std::string_view body) {
        if (wsh::status s = handshake_.reject(status, headers, body); !s) {
            std::fprintf(stderr, "#%lu reject failed: %s\n", id_, s.text());
            return;
        }
        send_response(false);
    }

    void log(std::string_view method, std::string_view target, const char *outcome) const {
        std::fprintf(stderr, "#%lu %.*s %.*s -> %s\n", id_, static_cast<int>(method.size()), method.data(),
                     static_cast<int>(target.size()), target.data(), outcome);
    }

    // Writes the pending response (valid until the next call that is not
    // const: none is made while the write runs), then speaks WebSocket or
    // closes.
    void send_response(bool then_websocket) { send(*handshake_.response(), true, then_websocket); }

    // Writes `bytes` (the engine's pending response when `from_engine`), then
    // speaks WebSocket or shuts the connection down.
    void send(wsh::bytes_view bytes, bool from_engine, bool then_websocket = false) {
        auto self = shared_from_this();
        asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                          [self, from_engine, then_websocket](std::error_code ec, std::size_t sent) {
                              if (ec || (from_engine && !self->handshake_.response_advance(sent))) {
                                  return;
                              }
                              if (then_websocket) {
                                  self->start_websocket();
                              } else {
                                  std::error_code ignored;
                                  self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                              }
                          });
    }

    // ---- wslay ------------------------------------------------------------

    void start_websocket() {
        static const wslay_event_callbacks callbacks = {
            &session::ws_recv, &session::ws_send, nullptr, nullptr, nullptr, nullptr, &echo_on_message,
        };
        if (wslay_event_context_server_init(&ws_, &callbacks, this) != 0) {
            ws_ = nullptr;
            return;
        }
        // Bound what one client can make us hold (wslay buffers whole messages).
        wslay_event_config_set_max_recv_msg_length(ws_, max_message);
        std::error_code ec;
        socket_.non_blocking(true, ec);
        socket_.set_option(asio::ip::tcp::no_delay(true), ec);
        // The first frames may already be in leftover_: no readiness event
        // will announce them, so let wslay read now.
        if (!leftover_.empty() && wslay_event_recv(ws_) != 0) {
            close();
            return;
        }
        pump();
    }

    // Lets wslay write what it can and waits for the socket as wslay wants;
    // closes once wslay is done (closing handshake over, or an error).
    void pump() {
        if (closed_) {
            return;
        }
        if (wslay_event_want_write(ws_) && wslay_event_send(ws_) != 0) {
            close();
            return;
        }
        bool want_read = wslay_event_want_read(ws_) != 0;
        bool want_write = wslay_event_want_write(ws_) != 0;
        if (!want_read && !want_write) {
            close();
            return;
        }
        auto self = shared_from_this();
        if (want_read && !waiting_read_) {
            waiting_read_ = true;
            socket_.async_wait(asio::ip::tcp::socket::wait_read, [self](std::error_code ec) {
                self->waiting_read_ = false;
                if (ec || self->closed_) {
                    return;
                }
                if (wslay_event_recv(self->ws_) != 0) {
                    self->close();
                    return;
                }
                self->pump();
            });
        }
        if (want_write && !waiting_write_) {
            waiting_write_ = true;
            socket_.async_wait(asio::ip::tcp::socket::wait_write, [self](std::error_code ec) {
                self->waiting_write_ = false;
                if (!ec) {
                    self->pump();
                }
            });
        }
    }

    void close() {
        closed_ = true;
        std::error_code ignored;
        socket_.close(ignored); // cancels the waits; their handlers drop the last references
    }

    static ssize_t ws_recv(wslay_event_context_ptr ctx, std::uint8_t *buf, std::size_t len, int, void *user) {
        auto *s = static_cast<session *>(user);
        // First the bytes that came in with the request head.
        if (!s->leftover_.empty()) {
            std::size_t n = s->leftover_.size() < len ? s->leftover_.size() : len;
            std::copy(s->leftover_.begin(), s->leftover_.begin() + n, buf);
            s->leftover_ = s->leftover_.subview(n);
            return static_cast<ssize_t>(n);
        }
        std::error_code ec;
        std::size_t n = s->socket_.read_some(asio::buffer(buf, len), ec);
        if (!ec && n > 0) {
            return static_cast<ssize_t>(n);
        }
        // End of stream or an error; would_block means "wait for readiness".
        wslay_event_set_error(ctx, ec == asio::error::would_block ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }

    static ssize_t ws_send(wslay_event_context_ptr ctx, const std::uint8_t *data, std::size_t len, int, void *user) {
        auto *s = static_cast<session *>(user);
        std::error_code ec;
        std::size_t n = s->socket_.write_some(asio::buffer(data, len), ec);
        if (!ec) {
            return static_cast<ssize_t>(n);
        }
        wslay_event_set_error(ctx, ec == asio::error::would_block ? WSLAY_ERR_WOULDBLOCK : WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }

    asio::ip::tcp::socket socket_;
    wsh::server_handshake handshake_;
    const std::string &page_;
    unsigned long id_;
    std::array<std::uint8_t, read_chunk> buf_{};
    // A view into buf_: the bytes after the head, served to wslay first.
    wsh::bytes_view leftover_;
    wslay_event_context_ptr ws_ = nullptr;
    bool waiting_read_ = false;
    bool waiting_write_ = false;
    bool closed_ = false;
};

class server {
public:
    server(asio::io_context &io, const wsh::server_config &config, const std::string &page, std::uint16_t port)
        : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port)), config_(config),
          page_(page) {}

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    void accept() {
        acceptor_.async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
            if (ec) {
                return; // the acceptor was closed
            }
            std::make_shared<session>(std::move(socket), config_, page_, ++next_id_)->start();
            accept();
        });
    }

    void stop() {
        std::error_code ignored;
        acceptor_.close(ignored);
    }

private:
    asio::ip::tcp::acceptor acceptor_;
    const wsh::server_config &config_;
    const std::string &page_;
    unsigned long next_id_ = 0;
};

wsh::server_config make_config() {
    // No permessage_deflate(): wslay cannot compress, so the 101 must not agree to it.
    wsh::server_config_builder builder;
    if (!builder.add_subprotocol("chat") || !builder.add_subprotocol("superchat")) {
        return wsh::server_config(); // the builder frees itself
    }
    return std::move(*builder.build());
}

} // namespace

int main(int argc, char **argv) {
    unsigned long port = 0;
    if (argc > 2 || (argc == 2 && (std::sscanf(argv[1], "%lu", &port) != 1 || port > 65535))) {
        std::fprintf(stderr, "usage: %s [PORT]   (0 or nothing: pick a free port)\n", argv[0]);
        return 2;
    }
    wsh::server_config config = make_config();
    if (!config) {
        std::fprintf(stderr, "asio_echo_server: setup failed\n");
        return 1;
    }
    // Both outlive the io_context, whose destruction frees the sessions still open.
    const std::string page = make_page_response();
    asio::io_context io(1);
    std::unique_ptr<server> srv;
    try {
        srv = std::make_unique<server>(io, config, page, static_cast<std::uint16_t>(port));
    } catch (const std::system_error &e) {
        std::fprintf(stderr, "asio_echo_server: listen: %s\n", e.what());
        return 1;
    }
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code, int) {
        std::fprintf(stderr, "asio_echo_server: shutting down\n");
        srv->stop();
        io.stop(); // the sessions still open are freed with their handlers
    });
    srv->accept();
    std::printf("listening on %u\n", static_cast<unsigned>(srv->port()));
    std::fflush(stdout);
    std::fprintf(stderr, "asio_echo_server (wshandshake %.*s, Asio %d.%d.%d) on 127.0.0.1:%u\n",
                 static_cast<int>(wsh::version().size()), wsh::version().data(), ASIO_VERSION / 100000,
                 ASIO_VERSION / 100 % 1000, ASIO_VERSION % 100, static_cast<unsigned>(srv->port()));
    io.run();
    return 0;
}
