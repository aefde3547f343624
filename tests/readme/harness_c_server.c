/* Runs the README's C example: a client end of a socketpair writes the RFC 6455
 * sample request followed by a WebSocket frame; the example answers it. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char REQUEST[] =
    "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n"
    "\x81\x80\x01\x02\x03\x04"; /* an empty masked text frame */

int main(void) {
    int fds[2];
    char reply[512];
    ssize_t n;
    size_t leftover = 0;
    wsh_server_config_builder *b = wsh_server_config_builder_new();
    const wsh_server_config *config;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 1;
    wsh_server_config_builder_add_subprotocol(b, (const uint8_t *)"chat", 4);
    if (wsh_server_config_builder_build(b, &config) != WSH_OK) return 1;
    /* Byte by byte, so the example's read loop sees partial heads. */
    for (size_t i = 0; i < sizeof REQUEST - 1; i++)
        if (write(fds[1], REQUEST + i, 1) != 1) return 1;
    if (handshake(fds[0], config, &leftover) != 1) return 1;
    n = read(fds[1], reply, sizeof reply - 1);
    if (n <= 0) return 1;
    reply[n] = 0;
    if (!strstr(reply, "HTTP/1.1 101") || !strstr(reply, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")) return 1;
    wsh_server_config_free(config);
    close(fds[0]);
    close(fds[1]);
    return 0;
}
