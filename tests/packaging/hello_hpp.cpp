// Built against an installed wshandshake through its CMake package: the C++
// layer (wshandshake.hpp) computes the RFC 6455 sample accept value.
#include <cstdio>
#include <wshandshake.hpp>

int main() {
    auto accept = wsh::accept_key("dGhlIHNhbXBsZSBub25jZQ==");
    if (!accept || accept.value().str() != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") return 1;
    std::printf("C++17 layer: accept %.*s\n", static_cast<int>(accept.value().str().size()),
                accept.value().str().data());
    return 0;
}
