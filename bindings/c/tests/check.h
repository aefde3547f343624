/* A tiny test harness for the wshandshake C tests: counts checks and prints
 * "N passed, N failed" at the end. */
#ifndef WSH_CHECK_H
#define WSH_CHECK_H

#include <stdio.h>
#include <string.h>

#include "wshandshake.h"

static int checks_passed;
static int checks_failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            checks_passed++;                                                     \
        } else {                                                                 \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                      \
        }                                                                        \
    } while (0)

/* Checks that an expression returns the expected wsh_result. */
#define CHECK_RESULT(expr, expected)                                             \
    do {                                                                         \
        uint32_t got_ = (uint32_t)(expr);                                        \
        uint32_t want_ = (uint32_t)(expected);                                   \
        if (got_ == want_) {                                                     \
            checks_passed++;                                                     \
        } else {                                                                 \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %u (%s)\n",    \
                    __FILE__, __LINE__, #expr, (unsigned)got_,                   \
                    wsh_result_str(got_), (unsigned)want_,                       \
                    wsh_result_str(want_));                                      \
        }                                                                        \
    } while (0)

/* Checks that (data, len) holds exactly the C string `text`. */
#define CHECK_BYTES(data, len, text)                                             \
    do {                                                                         \
        const char *want_ = (text);                                              \
        size_t want_len_ = strlen(want_);                                        \
        if ((len) == want_len_ && memcmp((data), want_, want_len_) == 0) {       \
            checks_passed++;                                                     \
        } else {                                                                 \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: got \"%.*s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, (int)(len), (const char *)(data), want_);          \
        }                                                                        \
    } while (0)

/* Prints the closing line and returns the process exit status. */
static int check_summary(void) {
    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

#endif
