/* What the C and C++ test programs share: the RFC 6455 section 1.3 sample
 * handshake and small builders for the C API's structs. Valid C99 and C++. */
#ifndef WSH_TESTS_COMMON_H
#define WSH_TESTS_COMMON_H

#include <stdint.h>
#include <string.h>

#include "wshandshake.h"

#define BYTES(s) ((const uint8_t *)(s))

/* The sample's Sec-WebSocket-Key, the 16 bytes it encodes, and the answer. */
#define SAMPLE_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define SAMPLE_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
static const uint8_t SAMPLE_NONCE[WSH_NONCE_LEN] = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p',
                                                    'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};

/* The sample request after its request line, to the blank line. */
#define RFC_REQUEST_FIELDS                                                       \
    "Host: server.example.com\r\n"                                               \
    "Upgrade: websocket\r\n"                                                     \
    "Connection: Upgrade\r\n"                                                    \
    "Sec-WebSocket-Key: " SAMPLE_KEY "\r\n"                                      \
    "Origin: http://example.com\r\n"                                             \
    "Sec-WebSocket-Protocol: chat, superchat\r\n"                                \
    "Sec-WebSocket-Version: 13\r\n"                                              \
    "\r\n"

/* The sample request, as a client sends it to a server. */
#define RFC_REQUEST "GET /chat HTTP/1.1\r\n" RFC_REQUEST_FIELDS

/* The sample 101 up to its accept field (add the rest and the blank line). */
#define ACCEPTED_HEAD                                                            \
    "HTTP/1.1 101 Switching Protocols\r\n"                                       \
    "Upgrade: websocket\r\n"                                                     \
    "Connection: Upgrade\r\n"                                                    \
    "Sec-WebSocket-Accept: " SAMPLE_ACCEPT "\r\n"

/* A wsh_header over two C strings (borrowed, as the API borrows them). */
static inline wsh_header make_header(const char *name, const char *value) {
    wsh_header h;
    h.name = BYTES(name);
    h.name_len = strlen(name);
    h.value = BYTES(value);
    h.value_len = strlen(value);
    return h;
}

/* Copies the view (data, len) into buf, at most cap bytes; returns the count. */
static inline size_t copy_view(const uint8_t *data, size_t len, uint8_t *buf, size_t cap) {
    if (len > cap) {
        len = cap;
    }
    if (len > 0) {
        memcpy(buf, data, len);
    }
    return len;
}

#endif
