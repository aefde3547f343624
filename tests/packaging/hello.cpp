// The same check from C++: the header is usable with extern "C" linkage.
#include <cstdio>
#include <cstring>
#include <string>
#include <wshandshake.h>

int main() {
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    uint8_t accept[28];
    if (wsh_accept_key(reinterpret_cast<const uint8_t *>(key.data()), key.size(), accept) != WSH_OK) return 1;
    if (std::memcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", 28) != 0) return 1;
    std::printf("C++: accept key OK, %s\n", wsh_result_str(WSH_OK));
    return 0;
}
