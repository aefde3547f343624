/*
 * echo_common.h: what the two echo servers share, echo_server.c (C99, a
 * poll() loop) and asio_echo_server.cpp (C++17, Asio): the page they serve
 * for GET / and the wslay callback that echoes messages. Valid C99 and C++.
 */
#ifndef WSH_EXAMPLES_ECHO_COMMON_H
#define WSH_EXAMPLES_ECHO_COMMON_H

#include <stddef.h>

#include <wslay/wslay.h>

/*
 * The HTML page for GET / (`title`: a string literal). Its script opens
 * ws://<host>/echo offering the subprotocol "chat", checks the server chose
 * it, sends a text and a binary message, checks both echoes and writes PASS
 * or FAIL into <div id=result> (the peer suite reads it in headless Chromium).
 */
#define ECHO_PAGE_HTML(title)                                                                      \
    "<!doctype html>\n"                                                                            \
    "<html><head><meta charset=\"utf-8\"><title>" title "</title></head>\n"                         \
    "<body>\n"                                                                                     \
    "<div id=result>RUNNING</div>\n"                                                               \
    "<script>\n"                                                                                   \
    "(function () {\n"                                                                             \
    "  var result = document.getElementById('result');\n"                                          \
    "  function finish(text) {\n"                                                                  \
    "    if (result.textContent === 'RUNNING') result.textContent = text;\n"                       \
    "  }\n"                                                                                        \
    "  var text = 'hello from the browser \\u00e9\\u2603';\n"                                      \
    "  var bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);\n"                                    \
    "  var ws = new WebSocket('ws://' + location.host + '/echo', ['chat']);\n"                     \
    "  ws.binaryType = 'arraybuffer';\n"                                                           \
    "  var received = 0;\n"                                                                        \
    "  ws.onopen = function () {\n"                                                                \
    "    if (ws.protocol !== 'chat') { finish('FAIL: protocol ' + ws.protocol); ws.close(); return; }\n" \
    "    ws.send(text);\n"                                                                         \
    "    ws.send(bytes);\n"                                                                        \
    "  };\n"                                                                                       \
    "  ws.onmessage = function (event) {\n"                                                        \
    "    received += 1;\n"                                                                         \
    "    if (received === 1 && event.data !== text) { finish('FAIL: text echo ' + event.data); return; }\n" \
    "    if (received === 2) {\n"                                                                  \
    "      var echo = new Uint8Array(event.data);\n"                                               \
    "      if (echo.length !== bytes.length || echo.some(function (b, i) { return b !== bytes[i]; })) {\n" \
    "        finish('FAIL: binary echo'); return;\n"                                               \
    "      }\n"                                                                                    \
    "      finish('PASS');\n"                                                                      \
    "      ws.close(1000);\n"                                                                      \
    "    }\n"                                                                                      \
    "  };\n"                                                                                       \
    "  ws.onerror = function () { finish('FAIL: error'); };\n"                                     \
    "  ws.onclose = function (event) { finish('FAIL: closed ' + event.code); };\n"                 \
    "})();\n"                                                                                      \
    "</script>\n"                                                                                  \
    "</body></html>\n"

/*
 * wslay's on_msg_recv_callback for an echo server: queues every complete text
 * or binary message back. wslay has already checked that text is UTF-8,
 * answered pings and replied to a close.
 */
static inline void echo_on_message(wslay_event_context_ptr ctx,
                                   const struct wslay_event_on_msg_recv_arg *arg,
                                   void *user_data) {
    (void)user_data;
    if (wslay_is_ctrl_frame(arg->opcode)) {
        return;
    }
    struct wslay_event_msg echo = {arg->opcode, arg->msg, arg->msg_length};
    if (wslay_event_queue_msg(ctx, &echo) != 0) {
        wslay_event_queue_close(ctx, WSLAY_CODE_INTERNAL_SERVER_ERROR, NULL, 0);
    }
}

#endif
