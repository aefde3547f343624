/*
 * wshandshake.hpp: the C++17 face of libwshandshake. Header-only, over the C
 * ABI of wshandshake.h only (no second engine): every call below is one call
 * of the C library, and the C header stays the reference manual for what each
 * does (its results, limits and rules).
 *
 *     #include <wshandshake.hpp>
 *
 *     wsh::server_config_builder builder;
 *     (void)builder.add_subprotocol("chat");
 *     auto config = builder.build();               // wsh::result<server_config>
 *     wsh::server_handshake handshake(*config);
 *     auto fed = handshake.feed(bytes, n);         // any chunking
 *     if (fed.decision == wsh::decision::upgrade_websocket) (void)handshake.accept();
 *     wsh::bytes_view out = *handshake.response(); // send it, then response_advance()
 *
 * What it gives over the C header:
 * - Move-only RAII types for every handle family: server_config_builder,
 *   server_config, server_handshake, client_config_builder, client_config,
 *   client_handshake. Each owns one C pointer and frees it in its destructor;
 *   get() and release() give the pointer to C code, adopt_t takes one over.
 *   Extended CONNECT has no handle in C: it is the connect_* functions over a
 *   server_config (server side) or a connect_client_options (client side).
 * - Inputs as std::string_view, as any contiguous container of bytes
 *   (std::string, std::vector<uint8_t>, std::array, ...), as (const void *,
 *   size), or as std::span of bytes under C++20: see bytes_view. Output
 *   buffers the same way, mutable: see mutable_bytes_view. No casts for the
 *   user: they are in this header.
 * - Results as values: status (the code, wsh_result_str() text, the HTTP
 *   status of a request error), and result<T> (a status with a value) for the
 *   calls that produce something. Everything works with -fno-exceptions and
 *   -fno-rtti; with exceptions on, status::throw_if_error() and
 *   result<T>::value_or_throw() throw wsh::error, and nothing else does.
 *
 * Rules (the C API's, restated for C++):
 * - Nothing here allocates; the C library allocates only where wshandshake.h
 *   says (builders, configs, handshake handles; never per call).
 * - A handle that is empty (default-constructed where that makes one empty,
 *   moved from, released, or whose creation failed) is safe to use: every call
 *   returns WSH_NULL_POINTER and empty views, as the C API does for NULL.
 * - A result<T> always holds a T: on failure it is the empty or zero value
 *   (an empty view, 0, an empty handle), so `*r` is never undefined.
 * - Inputs (string_view, bytes_view, lists) are borrowed for the call only:
 *   the C library copies what it keeps. connect_client_options and
 *   accept_options are the exception: they hold the views given to their
 *   setters, which must stay alive while the options are used.
 * - Borrowed views (std::string_view, bytes_view, fields_view) point into the
 *   C object, into the config, or into your own buffers, exactly as the C
 *   function they come from documents:
 *     server_handshake: the request views (method, target, path, query, host,
 *       origin, headers, subprotocols, extensions, head) stay valid until
 *       feed(), reset() or the handle's destruction; accept(), reject() and
 *       sending do not move them. response() stays valid until the next call
 *       that is not const.
 *     client_handshake: the response views (head, reason, headers, body,
 *       subprotocol, extensions) stay valid until feed(), finish(), reset()
 *       or destruction; request() and key() until the next call that is not
 *       const.
 *     client_config::url(): until the config is destroyed.
 *     respond(), connect_*: into the request bytes, fields and buffers you
 *       passed in (and the config), as long as those are alive.
 *   Moving a C++ handle does not move the C object: views taken before the
 *   move stay valid, now owned by the handle moved to. Destroying or
 *   move-assigning over the handle that owns them ends them.
 * - Threads: a config (server_config, client_config) may be used by any
 *   number of threads at once (its const members); a handshake or builder by
 *   one thread at a time, and it may move between threads.
 */
#ifndef WSHANDSHAKE_HPP
#define WSHANDSHAKE_HPP

#if __cplusplus < 201703L && (!defined(_MSVC_LANG) || _MSVC_LANG < 201703L)
#error "wshandshake.hpp needs C++17 or later (wshandshake.h alone works from C++11)"
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#if __cplusplus >= 202002L && defined(__has_include)
#if __has_include(<span>)
#include <span>
#endif
#endif
#if defined(__cpp_lib_span) && __cpp_lib_span >= 202002L
#define WSH_CXX_HAS_SPAN 1
#else
#define WSH_CXX_HAS_SPAN 0
#endif

/* The throwing layer: on when the compiler has exceptions, unless
 * WSH_CXX_NO_EXCEPTIONS is defined. The non-throwing API is the same either
 * way. */
#if (defined(__cpp_exceptions) || defined(__EXCEPTIONS)) && !defined(WSH_CXX_NO_EXCEPTIONS)
#define WSH_CXX_EXCEPTIONS 1
#include <exception>
#else
#define WSH_CXX_EXCEPTIONS 0
#endif

#include "wshandshake.h"

namespace wsh {

/* ------------------------------------------------------------ status ----- */

/**
 * The result of a call: a wsh_result code. Compare it with the WSH_*
 * constants (`s == WSH_REQUEST_INVALID_KEY`), ask its category, or describe
 * it. `if (s)` is true for WSH_OK only; WSH_NEED_MORE and WSH_NOT_FOUND are
 * not errors (is_error() is false) but not OK either.
 */
class [[nodiscard]] status {
public:
    constexpr status() noexcept : code_(WSH_OK) {}
    constexpr status(wsh_result code) noexcept : code_(code) {}

    constexpr wsh_result code() const noexcept { return code_; }
    constexpr std::uint32_t value() const noexcept { return static_cast<std::uint32_t>(code_); }
    constexpr bool ok() const noexcept { return code_ == WSH_OK; }
    constexpr explicit operator bool() const noexcept { return ok(); }
    constexpr bool need_more() const noexcept { return code_ == WSH_NEED_MORE; }
    constexpr bool not_found() const noexcept { return code_ == WSH_NOT_FOUND; }
    /** Anything but success and progress (codes from 100 on). */
    constexpr bool is_error() const noexcept { return value() >= 100; }
    /** The caller's mistake: a bad argument, pointer or call order (100..199). */
    constexpr bool is_misuse() const noexcept { return value() >= 100 && value() < 200; }
    /** The peer's request is invalid; a ready rejection goes with it
     * (WSH_REQUEST_* and WSH_CONNECT_REQUEST_*). */
    constexpr bool is_request_error() const noexcept {
        return (value() >= 1000 && value() < 1100) || (value() >= 3000 && value() < 3100);
    }
    /** The server's response breaks the rules (client side: WSH_RESPONSE_* and
     * WSH_CONNECT_RESPONSE_*). */
    constexpr bool is_response_error() const noexcept {
        return (value() >= 2000 && value() < 2100) || (value() >= 3100 && value() < 3200);
    }
    /** wsh_result_str(): a static NUL-terminated description. */
    const char *text() const noexcept { return wsh_result_str(value()); }
    /** The HTTP status of the ready rejection for a request error, else 0
     * (wsh_result_http_status()). */
    std::uint16_t http_status() const noexcept { return wsh_result_http_status(value()); }

    friend constexpr bool operator==(status a, status b) noexcept { return a.code_ == b.code_; }
    friend constexpr bool operator!=(status a, status b) noexcept { return a.code_ != b.code_; }
    friend constexpr bool operator==(status a, wsh_result b) noexcept { return a.code_ == b; }
    friend constexpr bool operator!=(status a, wsh_result b) noexcept { return a.code_ != b; }
    friend constexpr bool operator==(wsh_result a, status b) noexcept { return a == b.code_; }
    friend constexpr bool operator!=(wsh_result a, status b) noexcept { return a != b.code_; }

#if WSH_CXX_EXCEPTIONS
    /** Throws wsh::error when is_error(); returns the status otherwise. */
    inline status throw_if_error() const;
#endif

private:
    wsh_result code_;
};

#if WSH_CXX_EXCEPTIONS
/** What the throwing layer throws: the status, and its static text as what(). */
class error : public std::exception {
public:
    explicit error(wsh::status s) noexcept : status_(s) {}
    const char *what() const noexcept override { return status_.text(); }
    wsh::status code() const noexcept { return status_; }

private:
    wsh::status status_;
};

inline status status::throw_if_error() const {
    if (is_error()) {
        throw error(*this);
    }
    return *this;
}
#endif

/**
 * A status and a value. The value is always there: on failure it is the
 * empty or zero value of T, so `*r` and `r->` are defined whatever the status.
 */
template <class T>
class [[nodiscard]] result {
public:
    result(wsh::status s, T value) noexcept(std::is_nothrow_move_constructible<T>::value)
        : status_(s), value_(std::move(value)) {}

    wsh::status status() const noexcept { return status_; }
    bool ok() const noexcept { return status_.ok(); }
    explicit operator bool() const noexcept { return status_.ok(); }

    T &value() & noexcept { return value_; }
    const T &value() const & noexcept { return value_; }
    T &&value() && noexcept { return std::move(value_); }
    T &operator*() & noexcept { return value_; }
    const T &operator*() const & noexcept { return value_; }
    T &&operator*() && noexcept { return std::move(value_); }
    T *operator->() noexcept { return &value_; }
    const T *operator->() const noexcept { return &value_; }
    /** The value on success, `fallback` otherwise. */
    T value_or(T fallback) const & { return status_.ok() ? value_ : fallback; }

#if WSH_CXX_EXCEPTIONS
    /** The value on success (WSH_OK, or a status that is not an error such as
     * WSH_NEED_MORE); throws wsh::error otherwise. */
    T value_or_throw() && {
        (void)status_.throw_if_error();
        return std::move(value_);
    }
#endif

private:
    wsh::status status_;
    T value_;
};

/* ------------------------------------------------------------- views ----- */

namespace detail {

template <class T>
inline constexpr bool is_byte_like =
    std::is_same<std::remove_cv_t<T>, char>::value ||
    std::is_same<std::remove_cv_t<T>, unsigned char>::value ||
    std::is_same<std::remove_cv_t<T>, signed char>::value ||
    std::is_same<std::remove_cv_t<T>, std::byte>::value
#if defined(__cpp_char8_t)
    || std::is_same<std::remove_cv_t<T>, char8_t>::value
#endif
    ;

template <class R, class = void>
struct byte_range : std::false_type {};
template <class R>
struct byte_range<R, std::void_t<decltype(std::declval<const R &>().data()),
                                 decltype(std::declval<const R &>().size())>>
    : std::integral_constant<
          bool, std::is_pointer<decltype(std::declval<const R &>().data())>::value &&
                    is_byte_like<std::remove_pointer_t<decltype(std::declval<const R &>().data())>>> {};

template <class R, class = void>
struct mutable_byte_range : std::false_type {};
template <class R>
struct mutable_byte_range<R, std::void_t<decltype(std::declval<R &>().data()),
                                         decltype(std::declval<R &>().size())>>
    : std::integral_constant<
          bool, std::is_pointer<decltype(std::declval<R &>().data())>::value &&
                    !std::is_const<std::remove_pointer_t<decltype(std::declval<R &>().data())>>::value &&
                    is_byte_like<std::remove_pointer_t<decltype(std::declval<R &>().data())>>> {};

template <class R, class T, class = void>
struct range_of : std::false_type {};
template <class R, class T>
struct range_of<R, T, std::void_t<decltype(std::declval<R &>().data()), decltype(std::declval<R &>().size())>>
    : std::is_convertible<decltype(std::declval<R &>().data()), T *> {};

/* (NULL, 0) is a valid empty string_view. */
inline std::string_view text(const std::uint8_t *data, std::size_t len) noexcept {
    return std::string_view(reinterpret_cast<const char *>(data), len);
}

} // namespace detail

/**
 * A borrowed run of bytes: what every byte input takes, and what byte outputs
 * (the request head, the pending response, a refusal's body) give back.
 * Made implicitly from a string literal or const char * (up to its NUL), a
 * std::string_view, an array of unsigned char or std::byte (all of it), any contiguous container of char, unsigned char, signed
 * char or std::byte (std::string, std::vector<uint8_t>, std::array, ...),
 * std::span of those under C++20; explicitly from (const void *, size), also
 * as a braced `{pointer, size}` argument. Like std::string_view it does not
 * own what it points to.
 */
class bytes_view {
public:
    constexpr bytes_view() noexcept : data_(nullptr), size_(0) {}
    bytes_view(const void *data, std::size_t size) noexcept
        : data_(static_cast<const std::uint8_t *>(data)), size_(size) {}
    bytes_view(const char *text) noexcept
        : bytes_view(text == nullptr ? std::string_view() : std::string_view(text)) {}
    bytes_view(std::string_view text) noexcept : bytes_view(text.data(), text.size()) {}
    /** A whole array of unsigned char, signed char or std::byte (a char array
     * is text: it goes up to its NUL). */
    template <class T, std::size_t N,
              std::enable_if_t<detail::is_byte_like<T> && !std::is_same<std::remove_cv_t<T>, char>::value, int> = 0>
    bytes_view(const T (&array)[N]) noexcept : bytes_view(array, N) {}
    template <class R, std::enable_if_t<detail::byte_range<R>::value &&
                                            !std::is_convertible<const R &, const char *>::value,
                                        int> = 0>
    bytes_view(const R &range) noexcept : bytes_view(range.data(), range.size()) {}

    const std::uint8_t *data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const std::uint8_t *begin() const noexcept { return data_; }
    const std::uint8_t *end() const noexcept { return data_ + size_; }
    std::uint8_t operator[](std::size_t i) const noexcept { return data_[i]; }
    /** The same bytes as text. */
    std::string_view str() const noexcept { return detail::text(data_, size_); }
    /** The bytes from `offset` on (empty when `offset` >= size()). */
    bytes_view subview(std::size_t offset) const noexcept {
        return offset >= size_ ? bytes_view() : bytes_view(data_ + offset, size_ - offset);
    }
#if WSH_CXX_HAS_SPAN
    std::span<const std::byte> as_span() const noexcept {
        return size_ == 0 ? std::span<const std::byte>()
                          : std::span<const std::byte>(reinterpret_cast<const std::byte *>(data_), size_);
    }
#endif
    friend bool operator==(bytes_view a, bytes_view b) noexcept { return a.str() == b.str(); }
    friend bool operator!=(bytes_view a, bytes_view b) noexcept { return a.str() != b.str(); }

private:
    const std::uint8_t *data_;
    std::size_t size_;
};

/**
 * A caller's output buffer: (void *, capacity), a C array or contiguous
 * container of byte-like elements that is not const (std::array<uint8_t, N>,
 * std::vector<char>, ...), or std::span of those under C++20.
 */
class mutable_bytes_view {
public:
    constexpr mutable_bytes_view() noexcept : data_(nullptr), size_(0) {}
    mutable_bytes_view(void *data, std::size_t size) noexcept
        : data_(static_cast<std::uint8_t *>(data)), size_(size) {}
    template <class T, std::size_t N, std::enable_if_t<detail::is_byte_like<T> && !std::is_const<T>::value, int> = 0>
    mutable_bytes_view(T (&array)[N]) noexcept : mutable_bytes_view(array, N) {}
    /* Also a temporary (a std::span): it lives until the end of the call. */
    template <class R, std::enable_if_t<detail::mutable_byte_range<std::remove_reference_t<R>>::value &&
                                            !std::is_same<std::decay_t<R>, mutable_bytes_view>::value,
                                        int> = 0>
    mutable_bytes_view(R &&range) noexcept : mutable_bytes_view(range.data(), range.size()) {}

    std::uint8_t *data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

private:
    std::uint8_t *data_;
    std::size_t size_;
};

/**
 * A borrowed array of T (wsh::header, wsh::field, wsh_bytes): an
 * initializer list (`{wsh::make_header("Set-Cookie", "a=1")}`), a C array, a
 * contiguous container, or (pointer, count). An initializer list lives until
 * the end of the full expression: pass it straight to the call.
 */
template <class T>
class list_view {
public:
    constexpr list_view() noexcept : data_(nullptr), size_(0) {}
    constexpr list_view(const T *data, std::size_t size) noexcept : data_(data), size_(size) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
/* Borrowing an initializer list is the point: it lives until the end of
 * the call it is passed to. */
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
    constexpr list_view(std::initializer_list<T> list) noexcept : data_(list.begin()), size_(list.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
    template <std::size_t N>
    constexpr list_view(const T (&array)[N]) noexcept : data_(array), size_(N) {}
    template <class R, std::enable_if_t<detail::range_of<const R, const T>::value, int> = 0>
    list_view(const R &range) noexcept : data_(range.data()), size_(range.size()) {}

    constexpr const T *data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr const T *begin() const noexcept { return data_; }
    constexpr const T *end() const noexcept { return data_ + size_; }

private:
    const T *data_;
    std::size_t size_;
};

/** A caller's array to be filled (response field lists): (pointer, count), a C
 * array or a contiguous container that is not const. */
template <class T>
class mutable_list_view {
public:
    constexpr mutable_list_view() noexcept : data_(nullptr), size_(0) {}
    constexpr mutable_list_view(T *data, std::size_t size) noexcept : data_(data), size_(size) {}
    template <std::size_t N>
    constexpr mutable_list_view(T (&array)[N]) noexcept : data_(array), size_(N) {}
    template <class R, std::enable_if_t<detail::range_of<std::remove_reference_t<R>, T>::value &&
                                            !std::is_same<std::decay_t<R>, mutable_list_view>::value,
                                        int> = 0>
    mutable_list_view(R &&range) noexcept : data_(range.data()), size_(range.size()) {}

    constexpr T *data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }

private:
    T *data_;
    std::size_t size_;
};

/** A response header field to add (the C struct, borrowed for the call). */
using header = wsh_header;
/** An HTTP/2 or HTTP/3 field (the C struct). */
using field = wsh_field;

inline header make_header(bytes_view name, bytes_view value) noexcept {
    return header{name.data(), name.size(), value.data(), value.size()};
}
inline field make_field(bytes_view name, bytes_view value) noexcept {
    return field{name.data(), name.size(), value.data(), value.size()};
}
/** A wsh_bytes element (extension elements, subprotocol lists). */
inline wsh_bytes make_bytes(bytes_view bytes) noexcept { return wsh_bytes{bytes.data(), bytes.size()}; }

/** A header or field as two views. */
struct header_view {
    std::string_view name;
    std::string_view value;
};

inline header_view view(const field &f) noexcept {
    return header_view{detail::text(f.name, f.name_len), detail::text(f.value, f.value_len)};
}
inline header_view view(const header &h) noexcept {
    return header_view{detail::text(h.name, h.name_len), detail::text(h.value, h.value_len)};
}

/** A field list the engine wrote into your array and buffer. */
class fields_view {
public:
    constexpr fields_view() noexcept : data_(nullptr), size_(0) {}
    constexpr fields_view(const field *data, std::size_t size) noexcept : data_(data), size_(size) {}
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    /** The fields as the C struct, ready for an HTTP/2 or HTTP/3 stack. */
    constexpr const field *data() const noexcept { return data_; }
    constexpr const field *begin() const noexcept { return data_; }
    constexpr const field *end() const noexcept { return data_ + size_; }
    header_view operator[](std::size_t i) const noexcept { return view(data_[i]); }

private:
    const field *data_;
    std::size_t size_;
};

/* ------------------------------------------------------------- enums ----- */

enum class decision : std::uint32_t {
    need_more = WSH_DECISION_NEED_MORE,
    upgrade_websocket = WSH_DECISION_UPGRADE_WEBSOCKET,
    upgrade_other = WSH_DECISION_UPGRADE_OTHER,
    rejected = WSH_DECISION_REJECTED,
    not_upgrade = WSH_DECISION_NOT_UPGRADE,
    not_upgrade_http10 = WSH_DECISION_NOT_UPGRADE_HTTP10,
    not_upgrade_unsupported = WSH_DECISION_NOT_UPGRADE_UNSUPPORTED,
    http2_preface = WSH_DECISION_HTTP2_PREFACE,
};

enum class client_decision : std::uint32_t {
    need_more = WSH_CLIENT_DECISION_NEED_MORE,
    accepted = WSH_CLIENT_DECISION_ACCEPTED,
    refused = WSH_CLIENT_DECISION_REFUSED,
    failed = WSH_CLIENT_DECISION_FAILED,
};

enum class host_kind : std::uint32_t {
    name = WSH_HOST_NAME,
    ipv4 = WSH_HOST_IPV4,
    ipv6 = WSH_HOST_IPV6,
};

enum class connect_outcome : std::uint32_t {
    websocket = WSH_CONNECT_WEBSOCKET,
    rejected = WSH_CONNECT_REJECTED,
    not_connect = WSH_CONNECT_NOT_CONNECT,
    plain_connect = WSH_CONNECT_PLAIN_CONNECT,
    other_protocol = WSH_CONNECT_OTHER_PROTOCOL,
};

enum class connect_client_outcome : std::uint32_t {
    accepted = WSH_CONNECT_CLIENT_ACCEPTED,
    refused = WSH_CONNECT_CLIENT_REFUSED,
    interim = WSH_CONNECT_CLIENT_INTERIM,
};

enum class subprotocol_selection : std::uint32_t {
    client_preference = WSH_SELECT_CLIENT_PREFERENCE,
    server_preference = WSH_SELECT_SERVER_PREFERENCE,
};

enum class client_subprotocol_mode : std::uint32_t {
    browser = WSH_CLIENT_SUBPROTOCOL_BROWSER,
    rfc6455 = WSH_CLIENT_SUBPROTOCOL_RFC6455,
};

enum class scheme : std::uint32_t {
    https = WSH_SCHEME_HTTPS,
    http = WSH_SCHEME_HTTP,
};

/* The C structs used as they are (plain values, no pointers). */
using limits = wsh_limits;
using deflate_config = wsh_deflate_config;
using deflate_params = wsh_deflate_params;
using deflate_offer = wsh_deflate_offer;
using client_limits = wsh_client_limits;

/** An empty-handle tag: `T(wsh::adopt, pointer)` takes over a C pointer. */
struct adopt_t {
    explicit constexpr adopt_t() = default;
};
inline constexpr adopt_t adopt{};

/* ------------------------------------------------------------ global ----- */

/** The running library's version, e.g. "0.1.0" (WSH_VERSION_STRING is the
 * header's). */
inline std::string_view version() noexcept { return wsh_version(); }

inline limits default_limits() noexcept {
    limits l{};
    (void)wsh_limits_default(&l);
    return l;
}
inline deflate_config default_deflate_config() noexcept {
    deflate_config d{};
    (void)wsh_deflate_config_default(&d);
    return d;
}
/** The offer browsers send: "permessage-deflate; client_max_window_bits". */
inline deflate_offer default_deflate_offer() noexcept {
    deflate_offer d{};
    (void)wsh_deflate_offer_default(&d);
    return d;
}
inline client_limits default_client_limits() noexcept {
    client_limits l{};
    (void)wsh_client_limits_default(&l);
    return l;
}

/** A Sec-WebSocket-Accept value (28 base64 characters). */
struct accept_key_value {
    std::array<char, WSH_ACCEPT_KEY_LEN> chars{};
    std::string_view str() const noexcept { return std::string_view(chars.data(), chars.size()); }
};

/** wsh_accept_key(): the Sec-WebSocket-Accept for a Sec-WebSocket-Key as sent. */
inline result<accept_key_value> accept_key(bytes_view key) noexcept {
    accept_key_value v;
    std::uint8_t out[WSH_ACCEPT_KEY_LEN];
    wsh::status s = wsh_accept_key(key.data(), key.size(), out);
    if (s.ok()) {
        for (std::size_t i = 0; i < WSH_ACCEPT_KEY_LEN; i++) {
            v.chars[i] = static_cast<char>(out[i]);
        }
    }
    return result<accept_key_value>(s, v);
}

namespace detail {

/* One owned C pointer: move-only, freed by Free, empty when null. */
template <class C, void (*Free)(C *)>
class handle {
public:
    constexpr handle() noexcept : ptr_(nullptr) {}
    explicit constexpr handle(C *ptr) noexcept : ptr_(ptr) {}
    handle(const handle &) = delete;
    handle &operator=(const handle &) = delete;
    handle(handle &&other) noexcept : ptr_(other.ptr_) { other.ptr_ = nullptr; }
    handle &operator=(handle &&other) noexcept {
        if (this != &other) {
            reset(other.ptr_);
            other.ptr_ = nullptr;
        }
        return *this;
    }
    ~handle() { Free(ptr_); }
    C *get() const noexcept { return ptr_; }
    C *release() noexcept {
        C *p = ptr_;
        ptr_ = nullptr;
        return p;
    }
    void reset(C *ptr) noexcept {
        C *old = ptr_;
        ptr_ = ptr;
        Free(old);
    }

private:
    C *ptr_;
};

/* Calls a C accessor `f(handle, args..., &data, &len)` and gives a view. The
 * C call writes its outputs only on success, so on failure the view is the
 * (NULL, 0) it started as: empty. */
template <class F, class H, class... Args>
result<std::string_view> text_out(F f, H h, Args... args) noexcept {
    const std::uint8_t *data = nullptr;
    std::size_t len = 0;
    wsh::status s = f(h, args..., &data, &len);
    return result<std::string_view>(s, text(data, len));
}
template <class F, class H, class... Args>
result<bytes_view> bytes_out(F f, H h, Args... args) noexcept {
    const std::uint8_t *data = nullptr;
    std::size_t len = 0;
    wsh::status s = f(h, args..., &data, &len);
    return result<bytes_view>(s, bytes_view(data, len));
}
template <class V, class F, class H, class... Args>
result<V> value_out(F f, H h, Args... args) noexcept {
    V v{};
    wsh::status s = f(h, args..., &v);
    return result<V>(s, s.ok() ? v : V{});
}

inline void free_server_config(const wsh_server_config *c) noexcept { wsh_server_config_free(c); }
inline void free_client_config(const wsh_client_config *c) noexcept { wsh_client_config_free(c); }

} // namespace detail

/* ------------------------------------------------------------ server ----- */

/**
 * An immutable server configuration (wsh_server_config), made by
 * server_config_builder::build(). Share it between threads by reference (it
 * is move-only: the C API has no way to copy a reference). Handshakes made
 * from it keep the C config alive, so it may be destroyed before them.
 * Default-constructed: empty.
 */
class server_config {
public:
    server_config() noexcept = default;
    server_config(adopt_t, const wsh_server_config *config) noexcept : h_(config) {}
    const wsh_server_config *get() const noexcept { return h_.get(); }
    const wsh_server_config *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

private:
    detail::handle<const wsh_server_config, detail::free_server_config> h_;
};

/**
 * A server configuration under construction (wsh_server_config_builder).
 * The constructor makes one with the defaults (wsh_server_config_builder_new());
 * each setter checks its value at once and returns WSH_OK or leaves the builder
 * as it was. build() consumes it: the builder is empty afterwards, whatever
 * the result.
 */
class server_config_builder {
public:
    server_config_builder() noexcept : h_(wsh_server_config_builder_new()) {}
    server_config_builder(adopt_t, wsh_server_config_builder *builder) noexcept : h_(builder) {}
    wsh_server_config_builder *get() const noexcept { return h_.get(); }
    wsh_server_config_builder *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    status add_subprotocol(bytes_view name) noexcept {
        return wsh_server_config_builder_add_subprotocol(get(), name.data(), name.size());
    }
    status subprotocol_selection(wsh::subprotocol_selection selection) noexcept {
        return wsh_server_config_builder_subprotocol_selection(get(), static_cast<std::uint32_t>(selection));
    }
    status require_subprotocol(bool required) noexcept {
        return wsh_server_config_builder_require_subprotocol(get(), required);
    }
    status add_allowed_origin(bytes_view origin) noexcept {
        return wsh_server_config_builder_add_allowed_origin(get(), origin.data(), origin.size());
    }
    status require_origin(bool required) noexcept { return wsh_server_config_builder_require_origin(get(), required); }
    status websocket(bool enabled) noexcept { return wsh_server_config_builder_websocket(get(), enabled); }
    status add_upgrade_protocol(bytes_view protocol) noexcept {
        return wsh_server_config_builder_add_upgrade_protocol(get(), protocol.data(), protocol.size());
    }
    status permessage_deflate(const deflate_config &deflate = default_deflate_config()) noexcept {
        return wsh_server_config_builder_permessage_deflate(get(), &deflate);
    }
    status set_limits(const limits &l) noexcept { return wsh_server_config_builder_limits(get(), &l); }
    status allow_bare_lf(bool allow) noexcept { return wsh_server_config_builder_allow_bare_lf(get(), allow); }
    status allow_obs_fold(bool allow) noexcept { return wsh_server_config_builder_allow_obs_fold(get(), allow); }
    status allow_missing_host(bool allow) noexcept {
        return wsh_server_config_builder_allow_missing_host(get(), allow);
    }
    /** Lenient: a Host that is an IPv6 address without brackets (see the C function). */
    status allow_unbracketed_ipv6_host(bool allow) noexcept {
        return wsh_server_config_builder_allow_unbracketed_ipv6_host(get(), allow);
    }
    status response_capacity(std::size_t bytes) noexcept {
        return wsh_server_config_builder_response_capacity(get(), bytes);
    }
    /** Finishes the config; the builder is empty afterwards whatever the result. */
    result<server_config> build() noexcept {
        const wsh_server_config *config = nullptr;
        wsh_server_config_builder *builder = h_.get();
        wsh::status s = wsh_server_config_builder_build(builder, &config);
        if (builder != nullptr) {
            (void)h_.release(); // consumed by the C call whatever the result
        }
        return result<server_config>(s, server_config(adopt, s.ok() ? config : nullptr));
    }

private:
    detail::handle<wsh_server_config_builder, wsh_server_config_builder_free> h_;
};

/**
 * How accept() (and connect_respond()) answers: wsh_accept_options with
 * setters. Default: the policy's subprotocol, negotiated permessage-deflate,
 * nothing extra. It holds the views given to its setters: they must outlive
 * the call that uses the options. A braced list (`{wsh::make_header(...)}`)
 * dies at the end of its statement, so it is taken only by a temporary
 * options object used in that statement
 * (`hs.accept(wsh::accept_options().headers({...}))`); on a named object it
 * does not compile: give it an array that lives long enough.
 */
class accept_options {
public:
    accept_options() noexcept : o_() {}

    /** Select this subprotocol (it must be among those offered). */
    accept_options &subprotocol(bytes_view name) & noexcept {
        o_.subprotocol_mode = WSH_SUBPROTOCOL_NAMED;
        o_.subprotocol = name.data();
        o_.subprotocol_len = name.size();
        return *this;
    }
    accept_options &&subprotocol(bytes_view name) && noexcept { return std::move(subprotocol(name)); }
    /** Select no subprotocol. */
    accept_options &no_subprotocol() & noexcept { return mode(WSH_SUBPROTOCOL_NONE); }
    accept_options &&no_subprotocol() && noexcept { return std::move(mode(WSH_SUBPROTOCOL_NONE)); }
    /** The config's policy picks (the default). */
    accept_options &policy_subprotocol() & noexcept { return mode(WSH_SUBPROTOCOL_POLICY); }
    accept_options &&policy_subprotocol() && noexcept { return std::move(mode(WSH_SUBPROTOCOL_POLICY)); }
    accept_options &decline_deflate(bool decline = true) & noexcept {
        o_.decline_deflate = decline;
        return *this;
    }
    accept_options &&decline_deflate(bool decline = true) && noexcept { return std::move(decline_deflate(decline)); }
    /** Extra response header fields. */
    accept_options &headers(list_view<header> list) & noexcept {
        o_.headers = list.data();
        o_.header_count = list.size();
        return *this;
    }
    accept_options &&headers(list_view<header> list) && noexcept { return std::move(headers(list)); }
    accept_options &headers(std::initializer_list<header>) & = delete;
    accept_options &&headers(std::initializer_list<header> list) && noexcept {
        return std::move(headers(list_view<header>(list)));
    }
    /** Extra Sec-WebSocket-Extensions elements (make_bytes("x-foo; a=1")). */
    accept_options &extensions(list_view<wsh_bytes> list) & noexcept {
        o_.extensions = list.data();
        o_.extension_count = list.size();
        return *this;
    }
    accept_options &&extensions(list_view<wsh_bytes> list) && noexcept { return std::move(extensions(list)); }
    accept_options &extensions(std::initializer_list<wsh_bytes>) & = delete;
    accept_options &&extensions(std::initializer_list<wsh_bytes> list) && noexcept {
        return std::move(extensions(list_view<wsh_bytes>(list)));
    }

    const wsh_accept_options *get() const noexcept { return &o_; }

private:
    accept_options &mode(std::uint32_t m) noexcept {
        o_.subprotocol_mode = m;
        o_.subprotocol = nullptr;
        o_.subprotocol_len = 0;
        return *this;
    }

    wsh_accept_options o_;
};

/** What feed() reports: the status (WSH_NEED_MORE, WSH_OK, a WSH_REQUEST_*
 * error or misuse), how many bytes were taken and the decision. */
struct [[nodiscard]] feed_result {
    wsh::status status;
    std::size_t consumed = 0;
    wsh::decision decision = wsh::decision::need_more;
    bool need_more() const noexcept { return status.need_more(); }
};

/** An extension offer: its name and raw parameter text (from the first ";"). */
struct extension_offer {
    std::string_view name;
    std::string_view params;
};

/** One parameter of an extension offer, as sent. */
struct extension_param {
    std::string_view name;
    /** As sent: without surrounding quotes, escapes kept (empty without a value). */
    std::string_view raw_value;
    bool has_value = false;
    bool quoted = false;
};

/**
 * A server handshake (wsh_server): feed bytes, inspect, accept or reject,
 * send the response, reset for the next connection. Constructing from a
 * config makes the C handle (on failure the handshake is empty: valid() is
 * false; create() gives the status). Views: see the rules at the top.
 */
class server_handshake {
public:
    server_handshake() noexcept = default;
    explicit server_handshake(const server_config &config) noexcept {
        wsh_server *s = nullptr;
        if (wsh_server_new(config.get(), &s) == WSH_OK) {
            h_.reset(s);
        }
    }
    server_handshake(adopt_t, wsh_server *server) noexcept : h_(server) {}
    static result<server_handshake> create(const server_config &config) noexcept {
        wsh_server *s = nullptr;
        wsh::status st = wsh_server_new(config.get(), &s);
        return result<server_handshake>(st, server_handshake(adopt, st.ok() ? s : nullptr));
    }
    /** The bytes init() needs for a handshake of `config` (wsh_server_size). */
    static std::size_t size(const server_config &config) noexcept {
        return wsh_server_size(config.get());
    }
    /**
     * A handshake in memory the caller provides (wsh_server_init): `mem`
     * aligned to WSH_SERVER_ALIGN, at least size(config) bytes, kept until the
     * handshake is destroyed, which leaves the memory to the caller.
     */
    static result<server_handshake> init(const server_config &config, void *mem,
                                         std::size_t len) noexcept {
        wsh_server *s = nullptr;
        wsh::status st = wsh_server_init(config.get(), static_cast<uint8_t *>(mem), len, &s);
        return result<server_handshake>(st, server_handshake(adopt, st.ok() ? s : nullptr));
    }
    wsh_server *get() const noexcept { return h_.get(); }
    wsh_server *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    status reset() noexcept { return wsh_server_reset(get()); }

    feed_result feed(bytes_view data) noexcept {
        feed_result r;
        wsh_decision d = WSH_DECISION_NEED_MORE;
        r.status = wsh_server_feed(get(), data.data(), data.size(), &r.consumed, &d);
        r.decision = static_cast<wsh::decision>(d);
        return r;
    }
    feed_result feed(const void *data, std::size_t size) noexcept { return feed(bytes_view(data, size)); }

    /** The decision so far, with the status feed() returned for it. */
    result<wsh::decision> decision() const noexcept {
        wsh_decision d = WSH_DECISION_NEED_MORE;
        wsh::status s = wsh_server_decision(get(), &d);
        return result<wsh::decision>(s, static_cast<wsh::decision>(d));
    }

    result<bytes_view> head() const noexcept { return detail::bytes_out(wsh_server_head, get()); }
    result<std::string_view> method() const noexcept { return detail::text_out(wsh_server_method, get()); }
    result<std::string_view> target() const noexcept { return detail::text_out(wsh_server_target, get()); }
    result<std::string_view> path() const noexcept { return detail::text_out(wsh_server_path, get()); }
    /** WSH_NOT_FOUND without "?". */
    result<std::string_view> query() const noexcept { return detail::text_out(wsh_server_query, get()); }
    result<std::string_view> host() const noexcept { return detail::text_out(wsh_server_host, get()); }
    result<std::string_view> origin() const noexcept { return detail::text_out(wsh_server_origin, get()); }
    result<std::uint8_t> minor_version() const noexcept {
        return detail::value_out<std::uint8_t>(wsh_server_minor_version, get());
    }
    result<std::size_t> header_count() const noexcept {
        return detail::value_out<std::size_t>(wsh_server_header_count, get());
    }
    result<header_view> header_at(std::size_t index) const noexcept {
        const std::uint8_t *n = nullptr, *v = nullptr;
        std::size_t nl = 0, vl = 0;
        wsh::status s = wsh_server_header_at(get(), index, &n, &nl, &v, &vl);
        return result<header_view>(s, s.ok() ? header_view{detail::text(n, nl), detail::text(v, vl)} : header_view{});
    }
    /** The `nth` field named `name` (ASCII case-insensitive); WSH_NOT_FOUND. */
    result<std::string_view> header(bytes_view name, std::size_t nth = 0) const noexcept {
        return detail::text_out(wsh_server_header, get(), name.data(), name.size(), nth);
    }
    result<std::size_t> subprotocol_count() const noexcept {
        return detail::value_out<std::size_t>(wsh_server_subprotocol_count, get());
    }
    result<std::string_view> subprotocol_at(std::size_t index) const noexcept {
        return detail::text_out(wsh_server_subprotocol_at, get(), index);
    }
    result<std::size_t> extension_count() const noexcept {
        return detail::value_out<std::size_t>(wsh_server_extension_count, get());
    }
    result<extension_offer> extension_at(std::size_t index) const noexcept {
        const std::uint8_t *n = nullptr, *p = nullptr;
        std::size_t nl = 0, pl = 0;
        wsh::status s = wsh_server_extension_at(get(), index, &n, &nl, &p, &pl);
        return result<extension_offer>(s, s.ok() ? extension_offer{detail::text(n, nl), detail::text(p, pl)}
                                                 : extension_offer{});
    }
    result<std::size_t> extension_param_count(std::size_t extension) const noexcept {
        return detail::value_out<std::size_t>(wsh_server_extension_param_count, get(), extension);
    }
    result<extension_param> extension_param_at(std::size_t extension, std::size_t index) const noexcept {
        wsh_extension_param p{};
        wsh::status s = wsh_server_extension_param_at(get(), extension, index, &p);
        extension_param out;
        if (s.ok()) {
            out.name = detail::text(p.name, p.name_len);
            out.raw_value = detail::text(p.value, p.value_len);
            out.has_value = p.has_value;
            out.quoted = p.quoted;
        }
        return result<extension_param>(s, out);
    }
    /** The unescaped value into `buf`: the length written on WSH_OK, the size
     * needed on WSH_BUFFER_TOO_SMALL (an empty buffer asks for the size). */
    result<std::size_t> extension_param_value(std::size_t extension, std::size_t index,
                                              mutable_bytes_view buf) const noexcept {
        std::size_t written = 0;
        wsh::status s = wsh_server_extension_param_value(get(), extension, index, buf.data(), buf.size(), &written);
        return result<std::size_t>(s, s.ok() || s == WSH_BUFFER_TOO_SMALL ? written : 0);
    }
    /** For decision::upgrade_other: the protocol (a view into the config). */
    result<std::string_view> upgrade_protocol() const noexcept {
        return detail::text_out(wsh_server_upgrade_protocol, get());
    }
    /** h2c: the decoded HTTP2-Settings payload into `buf` (as extension_param_value). */
    result<std::size_t> http2_settings(mutable_bytes_view buf) const noexcept {
        std::size_t written = 0;
        wsh::status s = wsh_server_http2_settings(get(), buf.data(), buf.size(), &written);
        return result<std::size_t>(s, s.ok() || s == WSH_BUFFER_TOO_SMALL ? written : 0);
    }
    /** The policy's pick before accept(), the selected one after; WSH_NOT_FOUND. */
    result<std::string_view> subprotocol() const noexcept { return detail::text_out(wsh_server_subprotocol, get()); }
    /** The negotiated permessage-deflate parameters; WSH_NOT_FOUND when not in use. */
    result<deflate_params> deflate() const noexcept {
        return detail::value_out<deflate_params>(wsh_server_deflate, get());
    }

    status accept() noexcept { return wsh_server_accept(get(), nullptr); }
    status accept(const accept_options &options) noexcept { return wsh_server_accept(get(), options.get()); }
    status reject(std::uint16_t http_status, list_view<wsh::header> headers = {}, bytes_view body = {}) noexcept {
        return wsh_server_reject(get(), http_status, headers.data(), headers.size(), body.data(), body.size());
    }

    /** The response bytes not yet sent (valid until the next call that is not const). */
    result<bytes_view> response() const noexcept { return detail::bytes_out(wsh_server_response, get()); }
    status response_advance(std::size_t sent) noexcept { return wsh_server_response_advance(get(), sent); }
    /** Copies pending response bytes into `buf`; the number copied. */
    result<std::size_t> drain(mutable_bytes_view buf) noexcept {
        std::size_t written = 0;
        wsh::status s = wsh_server_drain(get(), buf.data(), buf.size(), &written);
        return result<std::size_t>(s, s.ok() ? written : 0);
    }
    bool is_accepted() const noexcept { return wsh_server_is_accepted(get()); }

private:
    detail::handle<wsh_server, wsh_server_free> h_;
};

/** What respond() decided and wrote (wsh_respond_info, with views). */
class [[nodiscard]] respond_result {
public:
    respond_result(wsh::status s, const wsh_respond_info &info, const std::uint8_t *out) noexcept
        : status_(s), info_(info), out_(out) {}
    /** WSH_NEED_MORE, WSH_OK, a WSH_REQUEST_* error, WSH_BUFFER_TOO_SMALL or misuse. */
    wsh::status status() const noexcept { return status_; }
    wsh::decision decision() const noexcept { return static_cast<wsh::decision>(info_.decision); }
    /** 101, the rejection's 4xx, or 0 when nothing was written. */
    std::uint16_t http_status() const noexcept { return info_.status; }
    /** Bytes of the request that belong to the head. */
    std::size_t consumed() const noexcept { return info_.consumed; }
    /** The response written at the start of your buffer. */
    bytes_view response() const noexcept { return bytes_view(out_, info_.response_len); }
    /** With WSH_BUFFER_TOO_SMALL: the buffer size needed. */
    std::size_t needed() const noexcept { return info_.needed; }
    /** The selected subprotocol (a view into the request; empty when none). */
    std::string_view subprotocol() const noexcept { return detail::text(info_.subprotocol, info_.subprotocol_len); }
    /** For decision::upgrade_other: the protocol (a view into the config). */
    std::string_view upgrade_protocol() const noexcept {
        return detail::text(info_.upgrade_protocol, info_.upgrade_protocol_len);
    }
    /** The selected subprotocol's index in the config's list (the order of
     * add_subprotocol() calls); nullopt when none was selected. */
    std::optional<std::size_t> subprotocol_index() const noexcept {
        return info_.subprotocol == nullptr ? std::nullopt : std::optional<std::size_t>(info_.subprotocol_index);
    }
    std::optional<deflate_params> deflate() const noexcept {
        return info_.has_deflate ? std::optional<deflate_params>(info_.deflate) : std::nullopt;
    }
    const wsh_respond_info &info() const noexcept { return info_; }

private:
    wsh::status status_;
    wsh_respond_info info_;
    const std::uint8_t *out_;
};

/** wsh_respond(): the whole server side in one call, no allocation. */
inline respond_result respond(const server_config &config, bytes_view request, mutable_bytes_view out) noexcept {
    wsh_respond_info info{};
    // Misuse leaves `info` as initialized here (the C call writes nothing).
    wsh::status s = wsh_respond(config.get(), request.data(), request.size(), out.data(), out.size(), &info);
    return respond_result(s, info, out.data());
}

/** Where a read loop around respond() with progress left off (zero it for a
 * new request: `wsh::respond_progress progress{};`). */
using respond_progress = wsh_respond_progress;

/** wsh_respond_resume(): respond() for a read loop. Pass every byte received
 * so far (the same buffer, grown) and the request's `progress` after each
 * read: only bytes no earlier call examined are scanned, so the loop's work
 * is linear in the head however the peer splits it. */
inline respond_result respond(const server_config &config, respond_progress &progress, bytes_view request,
                              mutable_bytes_view out) noexcept {
    wsh_respond_info info{};
    wsh::status s =
        wsh_respond_resume(config.get(), &progress, request.data(), request.size(), out.data(), out.size(), &info);
    return respond_result(s, info, out.data());
}

/* ------------------------------------------------------------ client ----- */

/** The parts of a client config's URL (views into the config). */
struct client_url {
    std::string_view host;
    wsh::host_kind host_kind = wsh::host_kind::name;
    std::uint16_t port = 0;
    bool secure = false;
    std::string_view host_header;
    std::string_view resource;
};

/** An immutable client configuration (wsh_client_config); move-only,
 * shareable between threads by reference. Default-constructed: empty. */
class client_config {
public:
    client_config() noexcept = default;
    client_config(adopt_t, const wsh_client_config *config) noexcept : h_(config) {}
    const wsh_client_config *get() const noexcept { return h_.get(); }
    const wsh_client_config *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    /** Host, port, TLS or not; views valid until this config is destroyed. */
    result<client_url> url() const noexcept {
        wsh_client_url u{};
        wsh::status s = wsh_client_config_url(get(), &u);
        client_url out;
        if (s.ok()) {
            out.host = detail::text(u.host, u.host_len);
            out.host_kind = static_cast<wsh::host_kind>(u.host_kind);
            out.port = u.port;
            out.secure = u.secure;
            out.host_header = detail::text(u.host_header, u.host_header_len);
            out.resource = detail::text(u.resource, u.resource_len);
        }
        return result<client_url>(s, out);
    }

private:
    detail::handle<const wsh_client_config, detail::free_client_config> h_;
};

/** A client configuration under construction (wsh_client_config_builder),
 * made by create() from a ws:// or wss:// URL; build() consumes it. */
class client_config_builder {
public:
    client_config_builder() noexcept = default;
    client_config_builder(adopt_t, wsh_client_config_builder *builder) noexcept : h_(builder) {}
    /** WSH_INVALID_URL for a URL that is not ws:// or wss:// (see wshandshake.h). */
    static result<client_config_builder> create(bytes_view url) noexcept {
        wsh_client_config_builder *b = nullptr;
        wsh::status s = wsh_client_config_builder_new(url.data(), url.size(), &b);
        return result<client_config_builder>(s, client_config_builder(adopt, s.ok() ? b : nullptr));
    }
    wsh_client_config_builder *get() const noexcept { return h_.get(); }
    wsh_client_config_builder *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    status origin(bytes_view origin) noexcept {
        return wsh_client_config_builder_origin(get(), origin.data(), origin.size());
    }
    status add_subprotocol(bytes_view name) noexcept {
        return wsh_client_config_builder_add_subprotocol(get(), name.data(), name.size());
    }
    status permessage_deflate(const deflate_offer &offer = default_deflate_offer()) noexcept {
        return wsh_client_config_builder_permessage_deflate(get(), &offer);
    }
    /** A further offer after those set before (RFC 7692 section 5.1, preferred first). */
    status add_permessage_deflate(const deflate_offer &offer) noexcept {
        return wsh_client_config_builder_add_permessage_deflate(get(), &offer);
    }
    status add_extension(bytes_view element) noexcept {
        return wsh_client_config_builder_add_extension(get(), element.data(), element.size());
    }
    status add_header(bytes_view name, bytes_view value) noexcept {
        return wsh_client_config_builder_add_header(get(), name.data(), name.size(), value.data(), value.size());
    }
    status set_limits(const client_limits &l) noexcept { return wsh_client_config_builder_limits(get(), &l); }
    status subprotocol_mode(client_subprotocol_mode mode) noexcept {
        return wsh_client_config_builder_subprotocol_mode(get(), static_cast<std::uint32_t>(mode));
    }
    /** Finishes the config; the builder is empty afterwards whatever the result. */
    result<client_config> build() noexcept {
        const wsh_client_config *config = nullptr;
        wsh_client_config_builder *builder = h_.get();
        wsh::status s = wsh_client_config_builder_build(builder, &config);
        if (builder != nullptr) {
            (void)h_.release(); // consumed by the C call whatever the result
        }
        return result<client_config>(s, client_config(adopt, s.ok() ? config : nullptr));
    }

private:
    detail::handle<wsh_client_config_builder, wsh_client_config_builder_free> h_;
};

/** What client_handshake::feed() and finish() report. */
struct [[nodiscard]] client_feed_result {
    wsh::status status;
    std::size_t consumed = 0;
    wsh::client_decision decision = wsh::client_decision::need_more;
    bool need_more() const noexcept { return status.need_more(); }
};

/**
 * A client handshake (wsh_client): send request(), feed the server's bytes
 * until the status is not WSH_NEED_MORE, read the outcome. Made by create()
 * (a key from the OS) or create(config, nonce) (your 16 random bytes).
 */
class client_handshake {
public:
    client_handshake() noexcept = default;
    client_handshake(adopt_t, wsh_client *client) noexcept : h_(client) {}
    static result<client_handshake> create(const client_config &config) noexcept {
        wsh_client *c = nullptr;
        wsh::status s = wsh_client_new(config.get(), &c);
        return result<client_handshake>(s, client_handshake(adopt, s.ok() ? c : nullptr));
    }
    /** `nonce`: exactly WSH_NONCE_LEN (16) bytes, else WSH_INVALID_ARGUMENT. */
    static result<client_handshake> create(const client_config &config, bytes_view nonce) noexcept {
        if (nonce.size() != WSH_NONCE_LEN) {
            return result<client_handshake>(WSH_INVALID_ARGUMENT, client_handshake());
        }
        wsh_client *c = nullptr;
        wsh::status s = wsh_client_new_with_key(config.get(), nonce.data(), &c);
        return result<client_handshake>(s, client_handshake(adopt, s.ok() ? c : nullptr));
    }
    wsh_client *get() const noexcept { return h_.get(); }
    wsh_client *release() noexcept { return h_.release(); }
    bool valid() const noexcept { return h_.get() != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    /** Starts over with a key from the OS. */
    status reset() noexcept { return wsh_client_reset(get(), nullptr); }
    /** Starts over with the key of these 16 bytes (else WSH_INVALID_ARGUMENT). */
    status reset(bytes_view nonce) noexcept {
        if (nonce.size() != WSH_NONCE_LEN) {
            return WSH_INVALID_ARGUMENT;
        }
        return wsh_client_reset(get(), nonce.data());
    }
    result<std::string_view> key() const noexcept { return detail::text_out(wsh_client_key, get()); }
    /** The request bytes not yet sent (valid until the next call that is not const). */
    result<bytes_view> request() const noexcept { return detail::bytes_out(wsh_client_request, get()); }
    status request_advance(std::size_t sent) noexcept { return wsh_client_request_advance(get(), sent); }
    result<std::size_t> drain(mutable_bytes_view buf) noexcept {
        std::size_t written = 0;
        wsh::status s = wsh_client_drain(get(), buf.data(), buf.size(), &written);
        return result<std::size_t>(s, s.ok() ? written : 0);
    }

    client_feed_result feed(bytes_view data) noexcept {
        client_feed_result r;
        wsh_client_decision d = WSH_CLIENT_DECISION_NEED_MORE;
        r.status = wsh_client_feed(get(), data.data(), data.size(), &r.consumed, &d);
        r.decision = static_cast<wsh::client_decision>(d);
        return r;
    }
    client_feed_result feed(const void *data, std::size_t size) noexcept { return feed(bytes_view(data, size)); }
    /** The connection closed before a decision. */
    client_feed_result finish() noexcept {
        client_feed_result r;
        wsh_client_decision d = WSH_CLIENT_DECISION_NEED_MORE;
        r.status = wsh_client_finish(get(), &d);
        r.decision = static_cast<wsh::client_decision>(d);
        return r;
    }
    result<client_decision> outcome() const noexcept {
        wsh_client_decision d = WSH_CLIENT_DECISION_NEED_MORE;
        wsh::status s = wsh_client_outcome(get(), &d);
        return result<client_decision>(s, static_cast<client_decision>(d));
    }
    bool is_accepted() const noexcept { return wsh_client_is_accepted(get()); }

    /** The final response's status code (101 for an accept). */
    result<std::uint16_t> response_status() const noexcept {
        return detail::value_out<std::uint16_t>(wsh_client_status, get());
    }
    result<std::string_view> reason() const noexcept { return detail::text_out(wsh_client_reason, get()); }
    result<bytes_view> head() const noexcept { return detail::bytes_out(wsh_client_head, get()); }
    result<std::size_t> header_count() const noexcept {
        return detail::value_out<std::size_t>(wsh_client_header_count, get());
    }
    result<header_view> header_at(std::size_t index) const noexcept {
        const std::uint8_t *n = nullptr, *v = nullptr;
        std::size_t nl = 0, vl = 0;
        wsh::status s = wsh_client_header_at(get(), index, &n, &nl, &v, &vl);
        return result<header_view>(s, s.ok() ? header_view{detail::text(n, nl), detail::text(v, vl)} : header_view{});
    }
    result<std::string_view> header(bytes_view name, std::size_t nth = 0) const noexcept {
        return detail::text_out(wsh_client_header, get(), name.data(), name.size(), nth);
    }
    result<bytes_view> body() const noexcept { return detail::bytes_out(wsh_client_body, get()); }
    result<std::string_view> subprotocol() const noexcept { return detail::text_out(wsh_client_subprotocol, get()); }
    result<deflate_params> deflate() const noexcept {
        return detail::value_out<deflate_params>(wsh_client_deflate, get());
    }
    /** Which deflate offer the server accepted (0 = the first set). */
    result<std::size_t> deflate_offer_index() const noexcept {
        return detail::value_out<std::size_t>(wsh_client_deflate_offer_index, get());
    }
    result<std::size_t> extension_count() const noexcept {
        return detail::value_out<std::size_t>(wsh_client_extension_count, get());
    }
    result<std::string_view> extension_at(std::size_t index) const noexcept {
        return detail::text_out(wsh_client_extension_at, get(), index);
    }

private:
    detail::handle<wsh_client, wsh_client_free> h_;
};

/* --------------------------------------------------- extended CONNECT ----- */

/** What connect_analyze() or connect_respond() learned (wsh_connect_info,
 * with views into your request fields). */
class [[nodiscard]] connect_result {
public:
    connect_result(wsh::status s, const wsh_connect_info &info, const field *out) noexcept
        : status_(s), info_(info), out_(out) {}
    /** WSH_OK, a WSH_CONNECT_REQUEST_* error, a size error or misuse. */
    wsh::status status() const noexcept { return status_; }
    connect_outcome outcome() const noexcept { return static_cast<connect_outcome>(info_.outcome); }
    /** :status written (or that connect_respond() would write); 0 otherwise. */
    std::uint16_t http_status() const noexcept { return info_.status; }
    /** A rejected request HTTP/2 and HTTP/3 call malformed: reset the stream too. */
    bool malformed() const noexcept { return info_.malformed; }
    bool secure() const noexcept { return info_.secure; }
    std::string_view path() const noexcept { return detail::text(info_.path, info_.path_len); }
    std::string_view authority() const noexcept { return detail::text(info_.authority, info_.authority_len); }
    /** The origin field; nullopt when there is none. */
    std::optional<std::string_view> origin() const noexcept {
        return info_.origin == nullptr ? std::nullopt
                                       : std::optional<std::string_view>(detail::text(info_.origin, info_.origin_len));
    }
    std::size_t subprotocol_count() const noexcept { return info_.subprotocol_count; }
    std::size_t extension_count() const noexcept { return info_.extension_count; }
    /** The subprotocol picked or selected; empty when none. */
    std::string_view subprotocol() const noexcept { return detail::text(info_.subprotocol, info_.subprotocol_len); }
    std::optional<deflate_params> deflate() const noexcept {
        return info_.has_deflate ? std::optional<deflate_params>(info_.deflate) : std::nullopt;
    }
    /** The response fields written (connect_respond() on success or rejection). */
    fields_view fields() const noexcept {
        return out_ == nullptr ? fields_view() : fields_view(out_, info_.field_count);
    }
    /** Fields and bytes written, or needed with a size error. */
    std::size_t field_count() const noexcept { return info_.field_count; }
    std::size_t bytes_len() const noexcept { return info_.bytes_len; }
    const wsh_connect_info &info() const noexcept { return info_; }

private:
    wsh::status status_;
    wsh_connect_info info_;
    const field *out_;
};

/** wsh_connect_analyze(): what a request is, without writing a response. */
inline connect_result connect_analyze(const server_config &config, list_view<field> request) noexcept {
    wsh_connect_info info{};
    wsh::status s = wsh_connect_analyze(config.get(), request.data(), request.size(), &info);
    return connect_result(s, info, nullptr); // misuse: `info` stays as initialized here
}

/** wsh_connect_respond(): analyzes and writes the response fields into
 * `out_fields` (names and values in `buf`). */
inline connect_result connect_respond(const server_config &config, list_view<field> request, mutable_bytes_view buf,
                                      mutable_list_view<field> out_fields,
                                      const accept_options *options = nullptr) noexcept {
    wsh_connect_info info{};
    wsh::status s = wsh_connect_respond(config.get(), request.data(), request.size(),
                                        options == nullptr ? nullptr : options->get(), buf.data(), buf.size(),
                                        out_fields.data(), out_fields.size(), &info);
    // Fields are written on success and for a rejection; `info` whenever the C
    // call says (misuse leaves it as initialized here).
    bool written = s.ok() || s.is_request_error();
    return connect_result(s, info, written ? out_fields.data() : nullptr);
}
inline connect_result connect_respond(const server_config &config, list_view<field> request, mutable_bytes_view buf,
                                      mutable_list_view<field> out_fields, const accept_options &options) noexcept {
    return connect_respond(config, request, buf, out_fields, &options);
}

/** The fields a connect_reject() or connect_client_request() wrote. */
struct [[nodiscard]] connect_fields_result {
    wsh::status status;
    /** The fields written (empty unless WSH_OK). */
    fields_view fields;
    /** Written, or needed with WSH_FIELD_ARRAY_TOO_SMALL / WSH_BUFFER_TOO_SMALL. */
    std::size_t field_count = 0;
    std::size_t bytes_len = 0;
};

/** wsh_connect_reject(): your own refusal (:status and fields). */
inline connect_fields_result connect_reject(std::uint16_t http_status, list_view<header> headers,
                                            mutable_bytes_view buf, mutable_list_view<field> out_fields) noexcept {
    connect_fields_result r;
    r.status = wsh_connect_reject(http_status, headers.data(), headers.size(), buf.data(), buf.size(),
                                  out_fields.data(), out_fields.size(), &r.field_count, &r.bytes_len);
    if (r.status.ok()) {
        r.fields = fields_view(out_fields.data(), r.field_count);
    } else if (r.status != WSH_FIELD_ARRAY_TOO_SMALL && r.status != WSH_BUFFER_TOO_SMALL) {
        r.field_count = r.bytes_len = 0;
    }
    return r;
}

/** What connect_offers() wrote: views into your request fields. */
class [[nodiscard]] connect_offers_result {
public:
    connect_offers_result(wsh::status s, const wsh_bytes *subprotocols, std::size_t subprotocol_count,
                          const field *extensions, std::size_t extension_count) noexcept
        : status_(s), subprotocols_(subprotocols), subprotocol_count_(subprotocol_count), extensions_(extensions),
          extension_count_(extension_count) {}
    /** WSH_OK, WSH_FIELD_ARRAY_TOO_SMALL (only the counts), WSH_WRONG_STATE, misuse. */
    wsh::status status() const noexcept { return status_; }
    /** The list lengths (with WSH_FIELD_ARRAY_TOO_SMALL: the sizes needed). */
    std::size_t subprotocol_count() const noexcept { return subprotocol_count_; }
    std::size_t extension_count() const noexcept { return extension_count_; }
    /** The offered subprotocol at `i` (< subprotocol_count(), on WSH_OK). */
    std::string_view subprotocol(std::size_t i) const noexcept {
        return detail::text(subprotocols_[i].data, subprotocols_[i].len);
    }
    /** The extension offer at `i` (< extension_count(), on WSH_OK). */
    extension_offer extension(std::size_t i) const noexcept {
        return extension_offer{detail::text(extensions_[i].name, extensions_[i].name_len),
                               detail::text(extensions_[i].value, extensions_[i].value_len)};
    }

private:
    wsh::status status_;
    const wsh_bytes *subprotocols_;
    std::size_t subprotocol_count_;
    const field *extensions_;
    std::size_t extension_count_;
};

/** wsh_connect_offers(): every offered subprotocol and extension of a valid
 * WebSocket request into your arrays, in one analysis of the request. */
inline connect_offers_result connect_offers(const server_config &config, list_view<field> request,
                                            mutable_list_view<wsh_bytes> subprotocols,
                                            mutable_list_view<field> extensions) noexcept {
    std::size_t subprotocol_count = 0, extension_count = 0;
    wsh::status s = wsh_connect_offers(config.get(), request.data(), request.size(), subprotocols.data(),
                                       subprotocols.size(), extensions.data(), extensions.size(), &subprotocol_count,
                                       &extension_count);
    bool counted = s.ok() || s == WSH_FIELD_ARRAY_TOO_SMALL;
    return connect_offers_result(s, subprotocols.data(), counted ? subprotocol_count : 0, extensions.data(),
                                 counted ? extension_count : 0);
}

/** One offered subprotocol (each call analyses the request again: for the
 * whole list use connect_offers()). */
inline result<std::string_view> connect_subprotocol_at(const server_config &config, list_view<field> request,
                                                       std::size_t index) noexcept {
    const std::uint8_t *data = nullptr;
    std::size_t len = 0;
    wsh::status s = wsh_connect_subprotocol_at(config.get(), request.data(), request.size(), index, &data, &len);
    return result<std::string_view>(s, s.ok() ? detail::text(data, len) : std::string_view());
}

/** One extension offer (as connect_subprotocol_at()). */
inline result<extension_offer> connect_extension_at(const server_config &config, list_view<field> request,
                                                   std::size_t index) noexcept {
    const std::uint8_t *n = nullptr, *p = nullptr;
    std::size_t nl = 0, pl = 0;
    wsh::status s = wsh_connect_extension_at(config.get(), request.data(), request.size(), index, &n, &nl, &p, &pl);
    return result<extension_offer>(s, s.ok() ? extension_offer{detail::text(n, nl), detail::text(p, pl)}
                                             : extension_offer{});
}

/**
 * What an extended CONNECT client asks for (wsh_connect_client_options with
 * setters). It holds the views given to its setters: they must stay alive as
 * long as the options are used (for the request and the response check).
 * authority() is required.
 */
class connect_client_options {
public:
    connect_client_options() noexcept : o_(), deflate_() {}
    connect_client_options(const connect_client_options &other) noexcept : o_(other.o_), deflate_() {
        copy_deflate(other);
    }
    connect_client_options &operator=(const connect_client_options &other) noexcept {
        o_ = other.o_;
        copy_deflate(other);
        return *this;
    }
    connect_client_options &scheme(wsh::scheme s) noexcept {
        o_.scheme = static_cast<std::uint32_t>(s);
        return *this;
    }
    connect_client_options &authority(bytes_view a) noexcept {
        o_.authority = a.data();
        o_.authority_len = a.size();
        return *this;
    }
    connect_client_options &path(bytes_view p) noexcept {
        o_.path = p.data();
        o_.path_len = p.size();
        return *this;
    }
    /** make_bytes("chat"), ...; the array must outlive the options' use (a
     * braced list would not: it does not compile here). */
    connect_client_options &subprotocols(list_view<wsh_bytes> list) noexcept {
        o_.subprotocols = list.data();
        o_.subprotocol_count = list.size();
        return *this;
    }
    connect_client_options &subprotocols(std::initializer_list<wsh_bytes>) = delete;
    /** Offer permessage-deflate (copied into the options), replacing earlier offers. */
    connect_client_options &permessage_deflate(const deflate_offer &offer = default_deflate_offer()) noexcept {
        o_.deflate_count = 0;
        return add_permessage_deflate(offer);
    }
    /** A further offer after the earlier ones (the server takes the first it
     * supports; connect_client_result::deflate_offer_index tells which). Past
     * WSH_CONNECT_MAX_DEFLATE_OFFERS the request fails with WSH_TOO_MANY_FIELDS. */
    connect_client_options &add_permessage_deflate(const deflate_offer &offer) noexcept {
        if (o_.deflate_count < WSH_CONNECT_MAX_DEFLATE_OFFERS) {
            deflate_[o_.deflate_count] = offer;
        }
        ++o_.deflate_count;
        o_.deflate = deflate_;
        return *this;
    }
    connect_client_options &origin(bytes_view origin) noexcept {
        o_.origin = origin.data();
        o_.origin_len = origin.size();
        return *this;
    }
    /** Extra fields; the array must outlive the options' use. */
    connect_client_options &headers(list_view<header> list) noexcept {
        o_.headers = list.data();
        o_.header_count = list.size();
        return *this;
    }
    connect_client_options &headers(std::initializer_list<header>) = delete;
    const wsh_connect_client_options *get() const noexcept { return &o_; }

private:
    void copy_deflate(const connect_client_options &other) noexcept {
        for (std::size_t i = 0; i < WSH_CONNECT_MAX_DEFLATE_OFFERS; ++i) {
            deflate_[i] = other.deflate_[i];
        }
        o_.deflate = o_.deflate_count > 0 ? deflate_ : nullptr;
    }
    wsh_connect_client_options o_;
    deflate_offer deflate_[WSH_CONNECT_MAX_DEFLATE_OFFERS];
};

/** wsh_connect_client_request(): the request's field list into `out_fields`. */
inline connect_fields_result connect_client_request(const connect_client_options &options, mutable_bytes_view buf,
                                                    mutable_list_view<field> out_fields) noexcept {
    connect_fields_result r;
    r.status = wsh_connect_client_request(options.get(), buf.data(), buf.size(), out_fields.data(),
                                          out_fields.size(), &r.field_count, &r.bytes_len);
    if (r.status.ok()) {
        r.fields = fields_view(out_fields.data(), r.field_count);
    } else if (r.status != WSH_FIELD_ARRAY_TOO_SMALL && r.status != WSH_BUFFER_TOO_SMALL) {
        r.field_count = r.bytes_len = 0;
    }
    return r;
}

/** What connect_client_check() found (views into the response fields). */
struct [[nodiscard]] connect_client_result {
    wsh::status status;
    connect_client_outcome outcome = connect_client_outcome::refused;
    std::uint16_t http_status = 0;
    /** The selected subprotocol; empty when none. */
    std::string_view subprotocol;
    std::optional<deflate_params> deflate;
    /** With deflate: which of the options' offers the response accepted (0 = the first). */
    std::size_t deflate_offer_index = 0;
};

/** wsh_connect_client_check_response(): judges the server's response fields. */
inline connect_client_result connect_client_check(const connect_client_options &options,
                                                  list_view<field> response) noexcept {
    wsh_connect_client_info info{};
    connect_client_result r;
    r.status = wsh_connect_client_check_response(options.get(), response.data(), response.size(), &info);
    if (r.status.ok()) {
        r.outcome = static_cast<connect_client_outcome>(info.outcome);
        r.http_status = info.status;
        r.subprotocol = detail::text(info.subprotocol, info.subprotocol_len);
        if (info.has_deflate) {
            r.deflate = info.deflate;
            r.deflate_offer_index = info.deflate_offer_index;
        }
    }
    return r;
}

} // namespace wsh

#endif /* WSHANDSHAKE_HPP */
