// Runs the README's C++ example over a socketpair: the RFC 6455 sample request
// with a frame after it, written in pieces by another thread while the example
// reads (101 with the sample accept, the frame bytes kept as leftover); an
// upgrade to another path (404); an invalid request (the ready 426).
#include <chrono>
#include <cstdio>
#include <string_view>
#include <sys/socket.h>
#include <thread>

static const char FRAME[] = "\x81\x80\x01\x02\x03\x04"; // an empty masked text frame

static std::string request(std::string_view path, std::string_view version) {
    return "GET " + std::string(path) +
           " HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: " +
           std::string(version) + "\r\n\r\n" + FRAME;
}

// Feeds `input` to handshake() from another thread: 30 bytes, a pause, then a
// byte at a time, and the head's last CRLF with the frame in one write (so the
// read that completes the head has the frame too). Returns handshake()'s
// answer; `reply` gets what it wrote.
static bool exchange(const wsh::server_config &config, const std::string &input, std::string &leftover,
                     std::string &reply) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return false;
    std::thread writer([&] {
        bool ok = write(fds[1], input.data(), 30) == 30;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::size_t last = input.size() - (sizeof FRAME - 1) - 2;
        for (std::size_t i = 30; ok && i < last; i++) ok = write(fds[1], &input[i], 1) == 1;
        ok = ok && write(fds[1], &input[last], input.size() - last) == static_cast<ssize_t>(input.size() - last);
    });
    bool upgraded = handshake(fds[0], config, leftover);
    writer.join();
    char buf[1024];
    ssize_t n = read(fds[1], buf, sizeof buf);
    reply.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    close(fds[0]);
    close(fds[1]);
    return upgraded;
}

int main() {
    int failed = 0;
    wsh::server_config_builder builder;
    if (!builder.add_subprotocol("chat")) return 1;
    auto config = builder.build();
    if (!config) return 1;
    std::string leftover, reply;

    bool upgraded = exchange(*config, request("/chat", "13"), leftover, reply);
    if (!upgraded || leftover != std::string_view(FRAME, sizeof FRAME - 1) ||
        reply.rfind("HTTP/1.1 101", 0) != 0 ||
        reply.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") == std::string::npos ||
        reply.find("Sec-WebSocket-Protocol: chat\r\n") == std::string::npos) {
        std::fprintf(stderr, "sample request: upgraded=%d reply: %s\n", upgraded, reply.c_str());
        failed++;
    }
    if (exchange(*config, request("/elsewhere", "13"), leftover, reply) || reply.rfind("HTTP/1.1 404", 0) != 0) {
        std::fprintf(stderr, "other path: %s\n", reply.c_str());
        failed++;
    }
    if (exchange(*config, request("/chat", "8"), leftover, reply) || reply.rfind("HTTP/1.1 426", 0) != 0) {
        std::fprintf(stderr, "version 8: %s\n", reply.c_str());
        failed++;
    }
    std::printf("%d passed, %d failed\n", 3 - failed, failed);
    return failed == 0 ? 0 : 1;
}
