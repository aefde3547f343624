// The header used from C++11: compiles with -Wall -Wextra -Werror -pedantic,
// links, and the enums are usable as C++ enums with a fixed underlying type.
#include "wshandshake.h"

#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_same<std::underlying_type<wsh_result>::type, uint32_t>::value,
              "wsh_result is a uint32_t enum in C++");
static_assert(sizeof(wsh_decision) == 4, "wsh_decision is 32 bits");

int main() {
    int failed = 0;
    const char request[] =
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    wsh_server_config_builder *builder = wsh_server_config_builder_new();
    const wsh_server_config *config = nullptr;
    if (wsh_server_config_builder_build(builder, &config) != WSH_OK) {
        failed++;
    }
    uint8_t out[512];
    wsh_respond_info info;
    wsh_result r = wsh_respond(config, reinterpret_cast<const uint8_t *>(request),
                               sizeof request - 1, out, sizeof out, &info);
    if (r != WSH_OK || info.decision != WSH_DECISION_UPGRADE_WEBSOCKET || info.status != 101) {
        failed++;
    }
    const char accept[] = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    bool found = false;
    for (size_t i = 0; i + sizeof accept - 1 <= info.response_len; i++) {
        found = found || std::memcmp(out + i, accept, sizeof accept - 1) == 0;
    }
    if (!found) {
        failed++;
    }
    if (std::strcmp(wsh_version(), WSH_VERSION_STRING) != 0) {
        failed++;
    }
    wsh_server_config_free(config);
    std::printf("%d passed, %d failed\n", 4 - failed, failed);
    return failed == 0 ? 0 : 1;
}
