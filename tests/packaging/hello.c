/* Built against an installed wshandshake through pkg-config: answers the
 * RFC 6455 sample request and checks the accept value. */
#include <stdio.h>
#include <string.h>
#include <wshandshake.h>

static const char REQUEST[] =
    "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

int main(void) {
    wsh_server_config_builder *builder = wsh_server_config_builder_new();
    const wsh_server_config *config = NULL;
    uint8_t out[512];
    wsh_respond_info info;
    uint32_t rc;

    if (builder == NULL) return 1;
    if (wsh_server_config_builder_add_subprotocol(builder, (const uint8_t *)"chat", 4) != WSH_OK) return 1;
    if (wsh_server_config_builder_build(builder, &config) != WSH_OK) return 1;
    rc = wsh_respond(config, (const uint8_t *)REQUEST, sizeof REQUEST - 1, out, sizeof out, &info);
    if (rc != WSH_OK || info.decision != WSH_DECISION_UPGRADE_WEBSOCKET) {
        fprintf(stderr, "unexpected result %s\n", wsh_result_str(rc));
        return 1;
    }
    if (strstr((const char *)out, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") == NULL) return 1;
    printf("wshandshake %s (header %s): 101 with subprotocol %.*s\n", wsh_version(), WSH_VERSION_STRING,
           (int)info.subprotocol_len, (const char *)info.subprotocol);
    wsh_server_config_free(config);
    return 0;
}
