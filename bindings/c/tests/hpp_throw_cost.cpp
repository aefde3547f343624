// Compiled twice by `make test-hpp`, with the throwing layer and with
// WSH_CXX_NO_EXCEPTIONS: the machine code of this function, which uses only
// the non-throwing API, must be the same both ways (the layer costs it nothing).
#include "wshandshake.hpp"

extern "C" std::size_t wsh_cost_serve(wsh::server_handshake &hs, const char *data, std::size_t n) {
    wsh::feed_result fed = hs.feed(data, n);
    if (fed.decision == wsh::decision::upgrade_websocket && *hs.path() == "/chat" && hs.accept()) {
        return hs.response()->size();
    }
    return fed.consumed;
}
