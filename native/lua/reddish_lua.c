/*
 * reddish's scripting engine: Redis 7.0.15's Lua 5.1 (deps/lua, with cjson,
 * cmsgpack, struct and bit) compiled to WebAssembly, and the glue that
 * Redis keeps in script_lua.c and eval.c, ported here so that scripts see
 * exactly what they see in Redis:
 *
 * - the sandbox (allow-listed globals, read-only tables, the error on an
 *   undeclared global) and the `redis` table;
 * - reply -> Lua conversion of what redis.call gets back, by parsing the
 *   RESP the command wrote (Redis's redisProtocolToLuaType, with Redis's
 *   resp_parser.c), and Lua -> RESP conversion of what a script returns
 *   (luaReplyToRedisReply), written straight into a buffer the host copies
 *   into the caller's reply;
 * - error tables, their source/line, and the final error text.
 *
 * What is different from Redis, and why:
 * - A script runs as a coroutine (lua_resume) instead of under lua_pcall,
 *   so that the count hook can yield it back to the host once it has run
 *   past busy-reply-threshold: Node's event loop then answers the other
 *   clients with -BUSY and takes SCRIPT KILL, as Redis's
 *   processEventsWhileBlocked does from inside its hook. The error
 *   handler's work (source and line of the failing frame) is done on the
 *   dead coroutine's stack, which Lua 5.1 leaves in place.
 * - The host (src/scripting/lua-engine.ts) runs redis.call's commands and
 *   applies the checks of script.c's scriptCall; this file only moves
 *   arguments out and replies in.
 *
 * Copyright notice: the functions marked "(Redis)" are ported from Redis
 * 7.0.15's script_lua.c and eval.c, Copyright (c) 2009-2021, Redis Ltd.,
 * BSD 3-clause (redis-7.0.15/COPYING).
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <emscripten.h>

#include "lauxlib.h"
#include "lstate.h"
#include "lua.h"
#include "lualib.h"
#include "rand.h"
#include "resp_parser.h"
#include "sha1.h"

/* ---- the host's functions (src/scripting/lua-host.js) ---- */

/* Runs the command whose `argc` arguments are described at `pairs`
 * (pointer, length pairs) on the script's client, in protocol `resp`, and
 * leaves the reply's RESP in the input buffer (where the exchange words say,
 * or at rl_reserve's answer when it needed more room). Returns the reply's
 * length. */
extern int host_call(const uint32_t *pairs, int argc, int resp);
/* redis.log: message at `msg`, `len` bytes. */
extern void host_log(int level, const char *msg, int len);
/* redis.set_repl: the propagation flags (already checked). */
extern void host_set_repl(int flags);
/* redis.acl_check_cmd: 1 allowed, 0 denied, -1 no such command. */
extern int host_acl_check(const uint32_t *pairs, int argc);
/* The count hook: 0 run on, 1 yield to the event loop, 2 kill the script. */
extern int host_interrupt(void);

#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3

#define PROPAGATE_AOF 1
#define PROPAGATE_REPL 2

#define REDIS_VERSION "7.0.15"
#define REDIS_VERSION_NUM 0x0007000f

#define RUN_EVAL_MODE 1

/* ---- growable byte buffers ---- */

typedef struct {
    char *buf;
    size_t len, cap;
} Buffer;

static void buffer_reserve(Buffer *b, size_t extra) {
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    char *grown = realloc(b->buf, cap);
    if (!grown) abort();
    b->buf = grown;
    b->cap = cap;
}

static void buffer_append(Buffer *b, const char *s, size_t n) {
    buffer_reserve(b, n);
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

static void buffer_appendf(Buffer *b, const char *fmt, ...) {
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < (int)sizeof(small)) {
        buffer_append(b, small, n);
        return;
    }
    buffer_reserve(b, n + 1);
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, n + 1, fmt, ap);
    va_end(ap);
    b->len += n;
}

/* Decimal digits of `v` into `out` (at least 21 bytes); returns the length. printf costs a
 * tenth of a script run, so headers and integers are written by hand. */
static int format_ll(char *out, long long v) {
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = '0' + (u % 10);
        u /= 10;
    } while (u);
    int len = 0;
    if (v < 0) out[len++] = '-';
    while (n) out[len++] = tmp[--n];
    return len;
}

/* A RESP line: the type byte, the number, CRLF. */
static void buffer_append_line(Buffer *b, char type, long long v) {
    buffer_reserve(b, 24);
    char *p = b->buf + b->len;
    p[0] = type;
    int n = format_ll(p + 1, v);
    p[n + 1] = '\r';
    p[n + 2] = '\n';
    b->len += n + 3;
}

/* ---- state ---- */

static lua_State *lua;
/* Registry refs: compiled scripts by the host's id, and their SHA1s. */
static int scripts_ref = LUA_NOREF;
static int script_names_ref = LUA_NOREF;
/* The coroutine a script runs in, kept in the registry and reused while it
 * ends cleanly (a thread that died of an error cannot run again). */
static lua_State *run_thread;
static int run_thread_ref = LUA_NOREF;
/* Whether a script is running (Redis's run ctx in the registry). */
static int running;
/* The hook is yielding the script (a yield of the script's own is an error, as in Redis). */
static int hook_yielding;
static int caller_resp = 2;
static int script_resp = 2;
/* The running script's id, and the name errors give it (its SHA1, or the
 * function's name), looked up only when a run fails. */
static int run_id;
static Buffer run_name;
/* Which of Redis's two Lua states this module is: EVAL's, or the functions engine's (function_lua.c). */
static int function_engine;
static long gc_count;

/* Host <-> engine buffers. */
static Buffer input;   /* bodies, KEYS/ARGV, redis.call replies */
static Buffer output;  /* the script's reply, as RESP for the caller */
static Buffer error_codes; /* error replies written, "CODE\n" or "\n" when they skip error stats */
static uint32_t *argv_pairs;
static int argv_capacity;
static Buffer number_args; /* %.17g texts of numeric redis.call arguments */

/*
 * Where the buffers are, as words the host reads from memory instead of
 * asking with a call across the boundary each time (every run and every
 * redis.call would otherwise pay several): the input buffer and its room
 * (rl_reserve sets them), and the output and error codes a finished run,
 * compile or load left (publish_output). lua-engine.ts names the same
 * indexes.
 */
enum {
    EXCHANGE_INPUT,
    EXCHANGE_INPUT_CAPACITY,
    EXCHANGE_OUTPUT,
    EXCHANGE_OUTPUT_LENGTH,
    EXCHANGE_ERROR_CODES,
    EXCHANGE_ERROR_CODES_LENGTH,
    EXCHANGE_WORDS
};
static uint32_t exchange[EXCHANGE_WORDS];

static void publish_output(void) {
    exchange[EXCHANGE_OUTPUT] = (uint32_t)(uintptr_t)output.buf;
    exchange[EXCHANGE_OUTPUT_LENGTH] = (uint32_t)output.len;
    exchange[EXCHANGE_ERROR_CODES] = (uint32_t)(uintptr_t)error_codes.buf;
    exchange[EXCHANGE_ERROR_CODES_LENGTH] = (uint32_t)error_codes.len;
}

EMSCRIPTEN_KEEPALIVE uint32_t *rl_exchange(void) { return exchange; }

/* Room for `size` bytes of input (and a NUL after them); the host may then
 * write up to input capacity - 1 bytes there without asking again. */
EMSCRIPTEN_KEEPALIVE char *rl_reserve(size_t size) {
    input.len = 0;
    buffer_reserve(&input, size + 1);
    input.buf[size] = '\0';
    exchange[EXCHANGE_INPUT] = (uint32_t)(uintptr_t)input.buf;
    exchange[EXCHANGE_INPUT_CAPACITY] = (uint32_t)input.cap;
    return input.buf;
}
EMSCRIPTEN_KEEPALIVE int rl_script_resp(void) { return script_resp; }

/* ---- sha1hex (Redis, eval.c) ---- */

static void sha1hex(char *digest, const char *script, size_t len) {
    SHA1_CTX ctx;
    unsigned char hash[20];
    const char *cset = "0123456789abcdef";
    SHA1Init(&ctx);
    SHA1Update(&ctx, (const unsigned char *)script, len);
    SHA1Final(hash, &ctx);
    for (int j = 0; j < 20; j++) {
        digest[j * 2] = cset[((hash[j] & 0xF0) >> 4)];
        digest[j * 2 + 1] = cset[(hash[j] & 0xF)];
    }
    digest[40] = '\0';
}

/* string2ll for resp_parser.c (Redis's util.c semantics for the replies it parses). */
int string2ll(const char *s, size_t slen, long long *value) {
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;
    if (plen == slen || slen > 20) return 0;
    if (slen == 1 && p[0] == '0') {
        if (value) *value = 0;
        return 1;
    }
    if (p[0] == '-') {
        negative = 1;
        p++;
        plen++;
        if (plen == slen) return 0;
    }
    if (p[0] >= '1' && p[0] <= '9') {
        v = p[0] - '0';
        p++;
        plen++;
    } else {
        return 0;
    }
    while (plen < slen && p[0] >= '0' && p[0] <= '9') {
        if (v > (ULLONG_MAX / 10)) return 0;
        v *= 10;
        if (v > (ULLONG_MAX - (p[0] - '0'))) return 0;
        v += p[0] - '0';
        p++;
        plen++;
    }
    if (plen < slen) return 0;
    if (negative) {
        if (v > ((unsigned long long)(-(LLONG_MIN + 1)) + 1)) return 0;
        if (value) *value = -v;
    } else {
        if (v > LLONG_MAX) return 0;
        if (value) *value = v;
    }
    return 1;
}

/* ---- errors (Redis, script_lua.c) ---- */

/* luaPushErrorBuff: the {err="CODE msg"} table redis.pcall returns. `err`
 * is "-CODE msg" (the code is taken from it) or "msg" (code ERR). */
static void push_error(lua_State *L, const char *err, size_t len) {
    const char *code = "ERR";
    size_t code_len = 3;
    const char *msg = err;
    size_t msg_len = len;
    if (len > 0 && err[0] == '-') {
        const char *space = memchr(err, ' ', len);
        if (!space) {
            msg = err + 1;
            msg_len = len - 1;
        } else {
            code = err + 1;
            code_len = space - err - 1;
            msg = space + 1;
            msg_len = len - (msg - err);
        }
    }
    /* sdstrim(msg, "\r\n"), then "CODE msg"; lua_pushstring stops at a NUL as Redis's does. */
    while (msg_len > 0 && (msg[0] == '\r' || msg[0] == '\n')) msg++, msg_len--;
    while (msg_len > 0 && (msg[msg_len - 1] == '\r' || msg[msg_len - 1] == '\n')) msg_len--;
    Buffer text = {0};
    buffer_append(&text, code, code_len);
    buffer_append(&text, " ", 1);
    buffer_append(&text, msg, msg_len);
    buffer_append(&text, "", 1);
    lua_newtable(L);
    lua_pushstring(L, "err");
    lua_pushstring(L, text.buf);
    lua_settable(L, -3);
    free(text.buf);
}

static void push_error_text(lua_State *L, const char *err) {
    push_error(L, err, strlen(err));
}

/* ---- reply -> Lua (Redis, script_lua.c redisProtocolToLuaType_*) ---- */

static void stack_room(lua_State *L, int n) {
    if (!lua_checkstack(L, n)) luaL_error(L, "reached lua stack limit");
}

static void parsed_int(void *ctx, long long val, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushnumber(ctx, (lua_Number)val);
}
static void parsed_null_bulk(void *ctx, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushboolean(ctx, 0);
}
static void parsed_null_array(void *ctx, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushboolean(ctx, 0);
}
static void parsed_bulk(void *ctx, const char *str, size_t len, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushlstring(ctx, str, len);
}
static void parsed_status(void *ctx, const char *str, size_t len, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    lua_State *L = ctx;
    stack_room(L, 3);
    lua_newtable(L);
    lua_pushstring(L, "ok");
    lua_pushlstring(L, str, len);
    lua_settable(L, -3);
}
static void parsed_error(void *ctx, const char *str, size_t len, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    lua_State *L = ctx;
    stack_room(L, 3);
    Buffer err = {0};
    buffer_append(&err, "-", 1);
    buffer_append(&err, str, len);
    push_error(L, err.buf, err.len);
    free(err.buf);
    /* The error was counted when the command ran. */
    lua_pushstring(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_settable(L, -3);
}
static void parsed_map(ReplyParser *parser, void *ctx, size_t len, const char *p) {
    (void)p;
    lua_State *L = ctx;
    if (L) {
        stack_room(L, 3);
        lua_newtable(L);
        lua_pushstring(L, "map");
        lua_newtable(L);
    }
    for (size_t j = 0; j < len; j++) {
        parseReply(parser, L);
        parseReply(parser, L);
        if (L) lua_settable(L, -3);
    }
    if (L) lua_settable(L, -3);
}
static void parsed_set(ReplyParser *parser, void *ctx, size_t len, const char *p) {
    (void)p;
    lua_State *L = ctx;
    if (L) {
        stack_room(L, 3);
        lua_newtable(L);
        lua_pushstring(L, "set");
        lua_newtable(L);
    }
    for (size_t j = 0; j < len; j++) {
        parseReply(parser, L);
        if (L) {
            stack_room(L, 1);
            lua_pushboolean(L, 1);
            lua_settable(L, -3);
        }
    }
    if (L) lua_settable(L, -3);
}
static void parsed_array(ReplyParser *parser, void *ctx, size_t len, const char *p) {
    (void)p;
    lua_State *L = ctx;
    if (L) {
        stack_room(L, 2);
        lua_newtable(L);
    }
    for (size_t j = 0; j < len; j++) {
        if (L) lua_pushnumber(L, j + 1);
        parseReply(parser, L);
        if (L) lua_settable(L, -3);
    }
}
static void parsed_attribute(ReplyParser *parser, void *ctx, size_t len, const char *p) {
    (void)p;
    for (size_t j = 0; j < len; j++) {
        parseReply(parser, NULL);
        parseReply(parser, NULL);
    }
    parseReply(parser, ctx);
}
static void parsed_verbatim(void *ctx, const char *format, const char *str, size_t len, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    lua_State *L = ctx;
    stack_room(L, 5);
    lua_newtable(L);
    lua_pushstring(L, "verbatim_string");
    lua_newtable(L);
    lua_pushstring(L, "string");
    lua_pushlstring(L, str, len);
    lua_settable(L, -3);
    lua_pushstring(L, "format");
    lua_pushlstring(L, format, 3);
    lua_settable(L, -3);
    lua_settable(L, -3);
}
static void parsed_big_number(void *ctx, const char *str, size_t len, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    lua_State *L = ctx;
    stack_room(L, 3);
    lua_newtable(L);
    lua_pushstring(L, "big_number");
    lua_pushlstring(L, str, len);
    lua_settable(L, -3);
}
static void parsed_null(void *ctx, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushnil(ctx);
}
static void parsed_bool(void *ctx, int val, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    stack_room(ctx, 1);
    lua_pushboolean(ctx, val);
}
static void parsed_double(void *ctx, double d, const char *p, size_t pl) {
    (void)p, (void)pl;
    if (!ctx) return;
    lua_State *L = ctx;
    stack_room(L, 3);
    lua_newtable(L);
    lua_pushstring(L, "double");
    lua_pushnumber(L, d);
    lua_settable(L, -3);
}

static const ReplyParserCallbacks lua_type_callbacks = {
    .null_array_callback = parsed_null_array,
    .bulk_string_callback = parsed_bulk,
    .null_bulk_string_callback = parsed_null_bulk,
    .error_callback = parsed_error,
    .simple_str_callback = parsed_status,
    .long_callback = parsed_int,
    .array_callback = parsed_array,
    .set_callback = parsed_set,
    .map_callback = parsed_map,
    .bool_callback = parsed_bool,
    .double_callback = parsed_double,
    .null_callback = parsed_null,
    .big_number_callback = parsed_big_number,
    .verbatim_string_callback = parsed_verbatim,
    .attribute_callback = parsed_attribute,
    .error = NULL,
};

/* ---- Lua -> reply (Redis, script_lua.c luaReplyToRedisReply) ---- */

static void out_bulk(const char *s, size_t len) {
    buffer_append_line(&output, '$', (long long)len);
    buffer_append(&output, s, len);
    buffer_append(&output, "\r\n", 2);
}
static void out_null(void) {
    if (caller_resp == 2) buffer_append(&output, "$-1\r\n", 5);
    else buffer_append(&output, "_\r\n", 3);
}
static void out_status(const char *s, size_t len) {
    buffer_append(&output, "+", 1);
    buffer_append(&output, s, len);
    buffer_append(&output, "\r\n", 2);
}
/* addReplyErrorLength + afterErrorReply: `s` starts with '-' when it carries its code. */
static void out_error(const char *s, size_t len, int skip_stats) {
    if (!len || s[0] != '-') buffer_append(&output, "-ERR ", 5);
    buffer_append(&output, s, len);
    buffer_append(&output, "\r\n", 2);
    if (skip_stats) {
        buffer_append(&error_codes, "\n", 1);
    } else if (s[0] != '-') {
        buffer_append(&error_codes, "ERR\n", 4);
    } else {
        const char *space = memchr(s, ' ', len < 32 ? len : 32);
        if (space) buffer_append(&error_codes, s + 1, space - s - 1);
        else buffer_append(&error_codes, "ERR", 3);
        buffer_append(&error_codes, "\n", 1);
    }
}
/* addReplyErrorFormat's text handling: CR and LF trimmed from the ends and
 * mapped to spaces inside; "-ERR " is added unless the text starts with '-'.
 * Changes `text` in place. */
static void out_error_format(char *text, size_t len, int skip_stats) {
    size_t start = 0, end = len;
    while (start < end && (text[start] == '\r' || text[start] == '\n')) start++;
    while (end > start && (text[end - 1] == '\r' || text[end - 1] == '\n')) end--;
    for (size_t i = start; i < end; i++)
        if (text[i] == '\r' || text[i] == '\n') text[i] = ' ';
    out_error(text + start, end - start, skip_stats);
}
/* addReplyErrorFormatEx(c, flags, "-%s", msg). */
static void out_error_formatted(const char *msg, int skip_stats) {
    Buffer s = {0};
    buffer_append(&s, "-", 1);
    buffer_append(&s, msg, strlen(msg));
    out_error_format(s.buf, s.len, skip_stats);
    free(s.buf);
}
static void out_double(double d) {
    char dbuf[64];
    if (isinf(d)) {
        if (caller_resp == 2) out_bulk(d > 0 ? "inf" : "-inf", d > 0 ? 3 : 4);
        else buffer_append(&output, d > 0 ? ",inf\r\n" : ",-inf\r\n", d > 0 ? 6 : 7);
        return;
    }
    int n = snprintf(dbuf, sizeof(dbuf), "%.17g", d);
    if (caller_resp == 2) out_bulk(dbuf, n);
    else {
        buffer_append(&output, ",", 1);
        buffer_append(&output, dbuf, n);
        buffer_append(&output, "\r\n", 2);
    }
}
static void out_big_number(const char *s, size_t len) {
    if (caller_resp == 2) out_bulk(s, len);
    else {
        buffer_append(&output, "(", 1);
        buffer_append(&output, s, len);
        buffer_append(&output, "\r\n", 2);
    }
}
static void out_verbatim(const char *s, size_t len, const char *ext) {
    if (caller_resp == 2) {
        out_bulk(s, len);
        return;
    }
    char fmt[3];
    for (int i = 0; i < 3; i++) {
        if (*ext == '\0') fmt[i] = ' ';
        else fmt[i] = *ext++;
    }
    buffer_appendf(&output, "=%zu\r\n", len + 4);
    buffer_append(&output, fmt, 3);
    buffer_append(&output, ":", 1);
    buffer_append(&output, s, len);
    buffer_append(&output, "\r\n", 2);
}
/* addReplyDeferredLen / setDeferred*Len: reserve room for the header, then fill it in. */
#define DEFERRED_ROOM 24
static size_t out_defer(void) {
    size_t at = output.len;
    buffer_reserve(&output, DEFERRED_ROOM);
    output.len += DEFERRED_ROOM;
    return at;
}
static void out_set_deferred(size_t at, char kind, long count) {
    char header[DEFERRED_ROOM + 1];
    header[0] = kind;
    int n = format_ll(header + 1, count) + 1;
    header[n++] = '\r';
    header[n++] = '\n';
    memmove(output.buf + at + n, output.buf + at + DEFERRED_ROOM, output.len - at - DEFERRED_ROOM);
    memcpy(output.buf + at, header, n);
    output.len -= DEFERRED_ROOM - n;
}

/* long long from a Lua number as Redis's x86-64 build converts it. */
static long long number_to_ll(lua_Number n) { return luai_x86_toll(n); }

typedef struct {
    char *msg, *source, *line;
    int ignore_err_stats_update;
} ErrorInfo;

static char *dup_lua_string(lua_State *L, int index) {
    size_t len;
    const char *s = lua_tolstring(L, index, &len);
    char *copy = malloc(len + 1);
    memcpy(copy, s, len + 1);
    return copy;
}

static void error_info_extract(lua_State *L, ErrorInfo *info) {
    if (lua_isstring(L, -1)) {
        const char *s = lua_tostring(L, -1);
        info->msg = malloc(strlen(s) + 5);
        sprintf(info->msg, "ERR %s", s);
        info->line = info->source = NULL;
        info->ignore_err_stats_update = 0;
    }
    lua_getfield(L, -1, "err");
    if (lua_isstring(L, -1)) {
        free(info->msg);
        info->msg = dup_lua_string(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "source");
    if (lua_isstring(L, -1)) info->source = dup_lua_string(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "line");
    if (lua_isstring(L, -1)) info->line = dup_lua_string(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "ignore_error_stats_update");
    if (lua_isboolean(L, -1)) info->ignore_err_stats_update = lua_toboolean(L, -1);
    lua_pop(L, 1);
}

static void error_info_free(ErrorInfo *info) {
    free(info->msg);
    free(info->source);
    free(info->line);
}

static void reply_from_lua(lua_State *L) {
    int t = lua_type(L, -1);
    if (!lua_checkstack(L, 4)) {
        out_error_formatted("reached lua stack limit", 0);
        lua_pop(L, 1);
        return;
    }
    switch (t) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        out_bulk(s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (script_resp == 2) {
            if (lua_toboolean(L, -1)) buffer_append(&output, ":1\r\n", 4);
            else out_null();
        } else {
            if (caller_resp == 2) buffer_append(&output, lua_toboolean(L, -1) ? ":1\r\n" : ":0\r\n", 4);
            else buffer_append(&output, lua_toboolean(L, -1) ? "#t\r\n" : "#f\r\n", 4);
        }
        break;
    case LUA_TNUMBER:
        buffer_append_line(&output, ':', number_to_ll(lua_tonumber(L, -1)));
        break;
    case LUA_TTABLE:
        lua_pushstring(L, "err");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TSTRING) {
            lua_pop(L, 1);
            ErrorInfo info = {0};
            error_info_extract(L, &info);
            out_error_formatted(info.msg, info.ignore_err_stats_update);
            error_info_free(&info);
            lua_pop(L, 1);
            return;
        }
        lua_pop(L, 1);

        lua_pushstring(L, "ok");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TSTRING) {
            /* sdsnew: up to the first NUL; CR and LF become spaces. */
            const char *s = lua_tostring(L, -1);
            size_t len = strlen(s);
            char *ok = malloc(len + 1);
            memcpy(ok, s, len + 1);
            for (size_t i = 0; i < len; i++)
                if (ok[i] == '\r' || ok[i] == '\n') ok[i] = ' ';
            out_status(ok, len);
            free(ok);
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 1);

        lua_pushstring(L, "double");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TNUMBER) {
            out_double(lua_tonumber(L, -1));
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 1);

        lua_pushstring(L, "big_number");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            char *num = malloc(len + 1);
            memcpy(num, s, len);
            for (size_t i = 0; i < len; i++)
                if (num[i] == '\r' || num[i] == '\n') num[i] = ' ';
            out_big_number(num, len);
            free(num);
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 1);

        lua_pushstring(L, "verbatim_string");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TTABLE) {
            lua_pushstring(L, "format");
            lua_rawget(L, -2);
            t = lua_type(L, -1);
            if (t == LUA_TSTRING) {
                const char *format = lua_tostring(L, -1);
                lua_pushstring(L, "string");
                lua_rawget(L, -3);
                t = lua_type(L, -1);
                if (t == LUA_TSTRING) {
                    size_t len;
                    const char *str = lua_tolstring(L, -1, &len);
                    out_verbatim(str, len, format);
                    lua_pop(L, 4);
                    return;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);

        lua_pushstring(L, "map");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TTABLE) {
            long maplen = 0;
            size_t at = out_defer();
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pushvalue(L, -2);
                reply_from_lua(L);
                reply_from_lua(L);
                maplen++;
            }
            if (caller_resp == 2) out_set_deferred(at, '*', maplen * 2);
            else out_set_deferred(at, '%', maplen);
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 1);

        lua_pushstring(L, "set");
        lua_rawget(L, -2);
        t = lua_type(L, -1);
        if (t == LUA_TTABLE) {
            long setlen = 0;
            size_t at = out_defer();
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pop(L, 1);
                lua_pushvalue(L, -1);
                reply_from_lua(L);
                setlen++;
            }
            out_set_deferred(at, caller_resp == 2 ? '*' : '~', setlen);
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 1);

        {
            size_t at = out_defer();
            int j = 1;
            long mbulklen = 0;
            while (1) {
                lua_pushnumber(L, j++);
                lua_rawget(L, -2);
                t = lua_type(L, -1);
                if (t == LUA_TNIL) {
                    lua_pop(L, 1);
                    break;
                }
                reply_from_lua(L);
                mbulklen++;
            }
            out_set_deferred(at, '*', mbulklen);
        }
        break;
    default:
        out_null();
    }
    lua_pop(L, 1);
}

/* ---- redis.* (Redis, script_lua.c) ---- */

static int raise_error_table(lua_State *L) { return lua_error(L); }

/* luaArgsToRedisArgv: pointer/length pairs for the host; numbers as %.17g. */
static int args_to_host(lua_State *L, int *argc_out) {
    int argc = lua_gettop(L);
    *argc_out = argc;
    if (argc == 0) {
        push_error_text(L, "Please specify at least one argument for this redis lib call");
        return 0;
    }
    if (argv_capacity < argc) {
        argv_pairs = realloc(argv_pairs, sizeof(uint32_t) * 2 * argc);
        argv_capacity = argc;
    }
    number_args.len = 0;
    buffer_reserve(&number_args, (size_t)argc * 32);
    int j;
    for (j = 0; j < argc; j++) {
        const char *s;
        size_t len;
        if (lua_type(L, j + 1) == LUA_TNUMBER) {
            char *slot = number_args.buf + j * 32;
            len = snprintf(slot, 32, "%.17g", (double)lua_tonumber(L, j + 1));
            s = slot;
        } else {
            s = lua_tolstring(L, j + 1, &len);
            if (s == NULL) break;
        }
        argv_pairs[j * 2] = (uint32_t)(uintptr_t)s;
        argv_pairs[j * 2 + 1] = (uint32_t)len;
    }
    if (j != argc) {
        lua_pop(L, argc);
        push_error_text(L, "Lua redis lib command arguments must be strings or integers");
        return 0;
    }
    return 1;
}

static int redis_generic_command(lua_State *L, int raise_error) {
    if (!running) {
        push_error_text(L, "redis.call/pcall can only be called inside a script invocation");
        return raise_error_table(L);
    }
    int argc;
    if (!args_to_host(L, &argc)) return raise_error ? raise_error_table(L) : 1;
    /* The strings stay on the stack (and the numbers in number_args) while the host reads them. */
    int reply_len = host_call(argv_pairs, argc, script_resp);
    lua_pop(L, argc);
    const char *reply = input.buf;
    if (raise_error && reply_len > 0 && reply[0] != '-') raise_error = 0;
    ReplyParser parser = {.curr_location = reply, .callbacks = lua_type_callbacks};
    parseReply(&parser, L);
    if (raise_error) return raise_error_table(L);
    return 1;
}

static int redis_call(lua_State *L) { return redis_generic_command(L, 1); }
static int redis_pcall_command(lua_State *L) { return redis_generic_command(L, 0); }

/*
 * The global pcall (Redis's luaRedisPcall): Redis 7's error objects are
 * tables, and pcall hands back their message.
 *
 * Where Redis calls lua_pcall, this runs the function as a coroutine of
 * its own (lua_resume catches errors as lua_pcall does), so that a script
 * spinning inside pcall can still be yielded to the event loop when it is
 * busy: the yield passes up through each pcall (pcall_chain), and when the
 * script is resumed, ldo.c's resume() hands each pcall back to
 * reddish_continue, which resumes its coroutine.
 */
#define PCALL_CHAIN_MAX 256

/* The pcalls running now, innermost last: each one's coroutine and the thread that called pcall. */
static struct {
    lua_State *co;
    lua_State *caller;
} pcall_chain[PCALL_CHAIN_MAX];
static int pcall_depth;

/*
 * Coroutines that finished their function normally, kept for the next
 * pcall: a new thread per pcall made pcall four times slower than Redis's
 * lua_pcall. A finished coroutine (status 0, empty stack) may be started
 * again in Lua 5.1; one that failed may not, and is left to the collector.
 */
#define PCALL_POOL_MAX 32
static int pcall_pool[PCALL_POOL_MAX];
static int pcall_pool_size;

/* A coroutine for a pcall, pushed on L's stack (where it stays while the pcall runs). */
static lua_State *pcall_coroutine(lua_State *L) {
    lua_State *co;
    if (pcall_pool_size > 0) {
        int ref = pcall_pool[--pcall_pool_size];
        lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        co = lua_tothread(L, -1);
        /* The hook as the caller has it now (on, off, or every line once killed). */
        lua_sethook(co, lua_gethook(L), lua_gethookmask(L), lua_gethookcount(L));
    } else {
        co = lua_newthread(L);
    }
    return co;
}

static void pcall_recycle(lua_State *L, lua_State *co) {
    if (pcall_pool_size == PCALL_POOL_MAX) return;
    lua_settop(co, 0);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    pcall_pool[pcall_pool_size++] = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* The error on top of the stack as pcall hands it back: an error table's `err` message, else the value itself. */
static void pcall_error_value(lua_State *L) {
    if (!lua_istable(L, -1)) return;
    lua_getfield(L, -1, "err");
    if (lua_isstring(L, -1)) lua_replace(L, -2);
    else lua_pop(L, 1);
}

static int pcall_finish(lua_State *L, lua_State *co, int status) {
    if (status == 0) {
        int n = lua_gettop(co);
        if (!lua_checkstack(L, n + 2)) luaL_error(L, "too many results to unpack");
        lua_pushboolean(L, 1);
        lua_xmove(co, L, n);
        pcall_recycle(L, co);
        return n + 1;
    }
    lua_xmove(co, L, 1);
    pcall_error_value(L);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* Runs (or goes on with) the pcall's coroutine; a hook yield inside it yields the caller too. */
static int pcall_step(lua_State *L, lua_State *co, int nargs) {
    if (pcall_depth == PCALL_CHAIN_MAX) luaL_error(L, "C stack overflow");
    pcall_chain[pcall_depth].co = co;
    pcall_chain[pcall_depth].caller = L;
    pcall_depth++;
    int status = lua_resume(co, nargs);
    pcall_depth--;
    /* Only the count hook yields a pcall's coroutine (reddish_yield_refused). */
    if (status == LUA_YIELD) return lua_yield(L, 0);
    return pcall_finish(L, co, status);
}

static int redis_pcall_builtin(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0 || !running) {
        /* No function to run (Redis's code then calls whatever lies below
         * the frame), or no script running: Redis's own code, as it is. */
        lua_pushboolean(L, 1);
        lua_insert(L, 1);
        if (lua_pcall(L, argc - 1, LUA_MULTRET, 0)) {
            lua_remove(L, 1);
            pcall_error_value(L);
            lua_pushboolean(L, 0);
            lua_insert(L, 1);
        }
        return lua_gettop(L);
    }
    /* lua_pcall's luaD_call counts the call before it checks the limit,
     * lua_resume after: the same depth fails here as under Redis. */
    if (L->nCcalls + 1 >= LUAI_MAXCCALLS) {
        lua_settop(L, 0);
        lua_pushboolean(L, 0);
        lua_pushstring(L, "C stack overflow");
        return 2;
    }
    lua_State *co = pcall_coroutine(L);
    lua_insert(L, 1);
    lua_xmove(L, co, argc);
    /* The C-call depth goes on from the caller's, so that runaway recursion
     * through pcall stops at the depth it stops at under lua_pcall. */
    co->nCcalls = L->nCcalls;
    return pcall_step(L, co, argc - 1);
}

/* ldo.c's resume(): a C function of the script's that yielded is resumed. */
int reddish_continue(lua_State *L) {
    CallInfo *ci = L->ci;
    if (!ttisfunction(ci->func) || !clvalue(ci->func)->c.isC || clvalue(ci->func)->c.f != redis_pcall_builtin) return -2;
    /* The frame as pcall left it: its coroutine in slot 1; the resume's own arguments are dropped. */
    L->base = ci->base;
    L->top = L->base + 1;
    lua_State *co = lua_tothread(L, 1);
    return pcall_step(L, co, 0);
}

/* Whether a yield at `L` can reach the host: L is the script's thread or the innermost pcall, each link unbroken. */
static int yield_reaches_host(lua_State *L) {
    lua_State *expected = run_thread;
    for (int i = 0; i < pcall_depth; i++) {
        if (pcall_chain[i].caller != expected || expected->nCcalls > expected->baseCcalls) return 0;
        expected = pcall_chain[i].co;
    }
    return L == expected && L->nCcalls <= L->baseCcalls;
}

static int is_pcall_thread(lua_State *L) {
    for (int i = 0; i < pcall_depth; i++)
        if (pcall_chain[i].co == L) return 1;
    return 0;
}

/* luaB_corunning: a pcall's coroutine is its caller; the script's own thread is Redis's main thread. */
lua_State *reddish_running_coroutine(lua_State *L) {
    for (int i = pcall_depth - 1; i >= 0; i--)
        if (pcall_chain[i].co == L) L = pcall_chain[i].caller;
    return L == run_thread ? NULL : L;
}

static int redis_sha1hex(lua_State *L) {
    char digest[41];
    size_t len;
    if (lua_gettop(L) != 1) {
        push_error_text(L, "wrong number of arguments");
        return raise_error_table(L);
    }
    const char *s = lua_tolstring(L, 1, &len);
    sha1hex(digest, s, len);
    lua_pushstring(L, digest);
    return 1;
}

static int redis_single_field_table(lua_State *L, const char *field) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        push_error_text(L, "wrong number or type of arguments");
        return 1;
    }
    lua_newtable(L);
    lua_pushstring(L, field);
    lua_pushvalue(L, -3);
    lua_settable(L, -3);
    return 1;
}

static int redis_error_reply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        push_error_text(L, "wrong number or type of arguments");
        return 1;
    }
    const char *err = lua_tostring(L, -1);
    Buffer b = {0};
    if (err[0] != '-') buffer_append(&b, "-", 1);
    buffer_append(&b, err, strlen(err));
    push_error(L, b.buf, b.len);
    free(b.buf);
    return 1;
}

static int redis_status_reply(lua_State *L) { return redis_single_field_table(L, "ok"); }

static int redis_set_repl(lua_State *L) {
    if (!running) {
        push_error_text(L, "redis.set_repl can only be called inside a script invocation");
        return raise_error_table(L);
    }
    if (lua_gettop(L) != 1) {
        push_error_text(L, "redis.set_repl() requires two arguments.");
        return raise_error_table(L);
    }
    int flags = lua_tonumber(L, -1);
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) != 0) {
        push_error_text(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        return raise_error_table(L);
    }
    host_set_repl(flags);
    return 0;
}

static int redis_acl_check_cmd(lua_State *L) {
    if (!running) {
        push_error_text(L, "redis.acl_check_cmd can only be called inside a script invocation");
        return raise_error_table(L);
    }
    int argc;
    if (!args_to_host(L, &argc)) return raise_error_table(L);
    int allowed = host_acl_check(argv_pairs, argc);
    lua_pop(L, argc);
    if (allowed < 0) {
        push_error_text(L, "Invalid command passed to redis.acl_check_cmd()");
        return raise_error_table(L);
    }
    lua_pushboolean(L, allowed);
    return 1;
}

static int redis_log(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) {
        push_error_text(L, "redis.log() requires two arguments or more.");
        return raise_error_table(L);
    } else if (!lua_isnumber(L, -argc)) {
        push_error_text(L, "First argument must be a number (log level).");
        return raise_error_table(L);
    }
    int level = lua_tonumber(L, -argc);
    if (level < LL_DEBUG || level > LL_WARNING) {
        push_error_text(L, "Invalid debug level.");
        return raise_error_table(L);
    }
    Buffer log = {0};
    for (int j = 1; j < argc; j++) {
        size_t len;
        const char *s = lua_tolstring(L, (-argc) + j, &len);
        if (s) {
            if (j != 1) buffer_append(&log, " ", 1);
            buffer_append(&log, s, len);
        }
    }
    host_log(level, log.buf ? log.buf : "", (int)log.len);
    free(log.buf);
    return 0;
}

static int redis_setresp(lua_State *L) {
    if (!running) {
        push_error_text(L, "redis.setresp can only be called inside a script invocation");
        return raise_error_table(L);
    }
    int argc = lua_gettop(L);
    if (argc != 1) {
        push_error_text(L, "redis.setresp() requires one argument.");
        return raise_error_table(L);
    }
    int resp = lua_tonumber(L, -argc);
    if (resp != 2 && resp != 3) {
        push_error_text(L, "RESP version must be 2 or 3.");
        return raise_error_table(L);
    }
    script_resp = resp;
    return 0;
}

/* redis.breakpoint and redis.debug outside the debugger (eval.c): false / nothing. */
static int redis_breakpoint(lua_State *L) {
    lua_pushboolean(L, 0);
    return 1;
}
static int redis_debug(lua_State *L) {
    (void)L;
    return 0;
}
static int redis_replicate_commands(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

/* math.random / math.randomseed (Redis, script_lua.c): redisLrand48, the same sequence on every platform. */
static int redis_math_random(lua_State *L) {
    if (!running) return luaL_error(L, "math.random can only be called inside a script invocation");
    lua_Number r = (lua_Number)(redisLrand48() % REDIS_LRAND48_MAX) / (lua_Number)REDIS_LRAND48_MAX;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, r);
        break;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, floor(r * u) + 1);
        break;
    }
    case 2: {
        int l = luaL_checkint(L, 1);
        int u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (u - l + 1)) + l);
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int redis_math_randomseed(lua_State *L) {
    if (!running) return luaL_error(L, "math.randomseed can only be called inside a script invocation");
    redisSrand48(luaL_checkint(L, 1));
    return 0;
}

/* ---- the sandbox (Redis, script_lua.c) ---- */

static const char *libraries_allow_list[] = {"string", "cjson", "bit", "cmsgpack", "math", "table", "struct", NULL};
static const char *redis_api_allow_list[] = {"redis", "__redis__err__handler", NULL};
static const char *lua_builtins_allow_list[] = {
    "xpcall", "tostring", "getfenv", "setmetatable", "next", "assert", "tonumber", "rawequal",
    "collectgarbage", "getmetatable", "rawset", "pcall", "coroutine", "type", "_G", "select",
    "unpack", "gcinfo", "pairs", "rawget", "loadstring", "ipairs", "_VERSION", "setfenv", "load",
    "error", NULL,
};
static const char *lua_builtins_not_documented_allow_list[] = {"newproxy", NULL};
static const char *lua_builtins_removed_after_initialization_allow_list[] = {"debug", NULL};
static const char **allow_lists[] = {
    libraries_allow_list, redis_api_allow_list, lua_builtins_allow_list,
    lua_builtins_not_documented_allow_list, lua_builtins_removed_after_initialization_allow_list, NULL,
};
static const char *deny_list[] = {"dofile", "loadfile", "print", NULL};

static int protected_table_error(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc != 2) luaL_error(L, "Wrong number of arguments to luaProtectedTableError");
    if (!lua_isstring(L, -1) && !lua_isnumber(L, -1))
        luaL_error(L, "Second argument to luaProtectedTableError must be a string or number");
    const char *variable_name = lua_tostring(L, -1);
    luaL_error(L, "Script attempted to access nonexistent global variable '%s'", variable_name);
    return 0;
}

static void set_error_metatable(lua_State *L) {
    lua_newtable(L);
    lua_pushcfunction(L, protected_table_error);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
}

static int new_index_allow_list(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc != 3) luaL_error(L, "Wrong number of arguments to luaNewIndexAllowList");
    if (!lua_istable(L, -3)) luaL_error(L, "first argument to luaNewIndexAllowList must be a table");
    if (!lua_isstring(L, -2) && !lua_isnumber(L, -2))
        luaL_error(L, "Second argument to luaNewIndexAllowList must be a string or number");
    const char *variable_name = lua_tostring(L, -2);
    const char ***allow = allow_lists;
    for (; *allow; ++allow) {
        const char **c = *allow;
        for (; *c; ++c)
            if (strcmp(*c, variable_name) == 0) break;
        if (*c) break;
    }
    if (*allow) lua_rawset(L, -3);
    /* Otherwise dropped; Redis logs a warning unless it is on the deny list. */
    (void)deny_list;
    return 0;
}

static void set_allow_list_protection(lua_State *L) {
    lua_newtable(L);
    lua_pushcfunction(L, new_index_allow_list);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
}

static void set_table_protection_recursively(lua_State *L) {
    if (lua_isreadonlytable(L, -1)) return;
    lua_enablereadonlytable(L, -1, 1);
    lua_checkstack(L, 2);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_istable(L, -1)) set_table_protection_recursively(L);
        lua_pop(L, 1);
    }
    if (lua_getmetatable(L, -1)) {
        set_table_protection_recursively(L);
        lua_pop(L, 1);
    }
}

LUALIB_API int(luaopen_cjson)(lua_State *L);
LUALIB_API int(luaopen_struct)(lua_State *L);
LUALIB_API int(luaopen_cmsgpack)(lua_State *L);
LUALIB_API int(luaopen_bit)(lua_State *L);

static void load_lib(lua_State *L, const char *libname, lua_CFunction luafunc) {
    lua_pushcfunction(L, luafunc);
    lua_pushstring(L, libname);
    lua_call(L, 1, 0);
}

static void set_field_function(lua_State *L, const char *name, lua_CFunction f) {
    lua_pushstring(L, name);
    lua_pushcfunction(L, f);
    lua_settable(L, -3);
}

static void set_field_number(lua_State *L, const char *name, lua_Number n) {
    lua_pushstring(L, name);
    lua_pushnumber(L, n);
    lua_settable(L, -3);
}

/* luaRegisterLogFunction (Redis): redis.log and the LOG_* levels, into the table on top. */
static void register_log_function(lua_State *L) {
    set_field_function(L, "log", redis_log);
    set_field_number(L, "LOG_DEBUG", LL_DEBUG);
    set_field_number(L, "LOG_VERBOSE", LL_VERBOSE);
    set_field_number(L, "LOG_NOTICE", LL_NOTICE);
    set_field_number(L, "LOG_WARNING", LL_WARNING);
}

/* luaRegisterVersion (Redis). */
static void register_version(lua_State *L) {
    set_field_number(L, "REDIS_VERSION_NUM", REDIS_VERSION_NUM);
    lua_pushstring(L, "REDIS_VERSION");
    lua_pushstring(L, REDIS_VERSION);
    lua_settable(L, -3);
}

/* luaRegisterRedisAPI (Redis): what both Lua states have. */
static void register_redis_api(lua_State *L) {
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    set_allow_list_protection(L);
    lua_pop(L, 1);

    load_lib(L, "", luaopen_base);
    load_lib(L, LUA_TABLIBNAME, luaopen_table);
    load_lib(L, LUA_STRLIBNAME, luaopen_string);
    load_lib(L, LUA_MATHLIBNAME, luaopen_math);
    load_lib(L, LUA_DBLIBNAME, luaopen_debug);
    load_lib(L, "cjson", luaopen_cjson);
    load_lib(L, "struct", luaopen_struct);
    load_lib(L, "cmsgpack", luaopen_cmsgpack);
    load_lib(L, "bit", luaopen_bit);

    lua_pushcfunction(L, redis_pcall_builtin);
    lua_setglobal(L, "pcall");

    /* redis-server 7.0.15 as Debian ships it (with the 2025 Lua security
     * fixes) has no getfenv, setfenv or newproxy, though script_lua.c's
     * allow-list names them: scripts that use them get the undeclared
     * global error there, and so they do here. */
    lua_pushnil(L);
    lua_setglobal(L, "getfenv");
    lua_pushnil(L);
    lua_setglobal(L, "setfenv");
    lua_pushnil(L);
    lua_setglobal(L, "newproxy");

    lua_newtable(L);
    set_field_function(L, "call", redis_call);
    set_field_function(L, "pcall", redis_pcall_command);
    register_log_function(L);
    register_version(L);
    set_field_function(L, "setresp", redis_setresp);
    set_field_function(L, "sha1hex", redis_sha1hex);
    set_field_function(L, "error_reply", redis_error_reply);
    set_field_function(L, "status_reply", redis_status_reply);
    set_field_function(L, "set_repl", redis_set_repl);
    set_field_number(L, "REPL_NONE", 0);
    set_field_number(L, "REPL_AOF", PROPAGATE_AOF);
    set_field_number(L, "REPL_SLAVE", PROPAGATE_REPL);
    set_field_number(L, "REPL_REPLICA", PROPAGATE_REPL);
    set_field_number(L, "REPL_ALL", PROPAGATE_AOF | PROPAGATE_REPL);
    set_field_function(L, "acl_check_cmd", redis_acl_check_cmd);
    lua_setglobal(L, "redis");

    lua_getglobal(L, "math");
    set_field_function(L, "random", redis_math_random);
    set_field_function(L, "randomseed", redis_math_randomseed);
    lua_setglobal(L, "math");
}

/* The error handler's definition (Redis), run for its effect on the
 * globals (`debug` removed): this engine does the handler's work itself on
 * the dead coroutine (see run_finished). EVAL's state keeps the handler as
 * the global __redis__err__handler, as eval.c does. */
static void define_error_handler(lua_State *L, int as_global) {
    const char *body =
        "  local i = dbg.getinfo(2,'nSl')\n"
        "  if i and i.what == 'C' then\n"
        "    i = dbg.getinfo(3,'nSl')\n"
        "  end\n"
        "  if type(err) ~= 'table' then\n"
        "    err = {err='ERR ' .. tostring(err)}"
        "  end"
        "  if i then\n"
        "    err['source'] = i.source\n"
        "    err['line'] = i.currentline\n"
        "  end"
        "  return err\n"
        "end\n";
    Buffer code = {0};
    buffer_appendf(&code, "local dbg = debug\ndebug = nil\n%s", as_global ? "function __redis__err__handler(err)\n" : "local error_handler = function (err)\n");
    buffer_append(&code, body, strlen(body));
    if (!as_global) buffer_appendf(&code, "return error_handler");
    luaL_loadbuffer(L, code.buf, code.len, "@err_handler_def");
    lua_pcall(L, 0, 0, 0);
    free(code.buf);
}

/* scriptingInit (Redis, eval.c): EVAL's state. */
static void init_eval_state(lua_State *L) {
    register_redis_api(L);
    lua_getglobal(L, "redis");
    set_field_function(L, "breakpoint", redis_breakpoint);
    set_field_function(L, "debug", redis_debug);
    set_field_function(L, "replicate_commands", redis_replicate_commands);
    lua_setglobal(L, "redis");
    define_error_handler(L, 1);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    set_error_metatable(L);
    set_table_protection_recursively(L);
    lua_pop(L, 1);
}

#define LIBRARY_API_NAME "__LIBRARY_API__"
#define GLOBALS_API_NAME "__GLOBALS_API__"

static int redis_register_function(lua_State *L);

/*
 * luaEngineInitEngine (Redis, function_lua.c): the functions engine's
 * state. Its globals are an empty read-only table whose metatable's
 * __index is the real globals when functions run, and a table holding
 * only redis.register_function, redis.log and the version while a library
 * loads, so that loading code can do nothing but register functions.
 */
static void init_function_state(lua_State *L) {
    register_redis_api(L);

    lua_newtable(L); /* load library globals */
    lua_newtable(L); /* load library `redis` table */
    set_field_function(L, "register_function", redis_register_function);
    register_log_function(L);
    register_version(L);
    set_error_metatable(L);
    lua_setfield(L, -2, "redis");
    set_error_metatable(L);
    set_table_protection_recursively(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LIBRARY_API_NAME);

    define_error_handler(L, 0);

    lua_pushvalue(L, LUA_GLOBALSINDEX);
    set_error_metatable(L);
    set_table_protection_recursively(L);
    lua_pop(L, 1);

    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_setfield(L, LUA_REGISTRYINDEX, GLOBALS_API_NAME);

    lua_newtable(L); /* new globals */
    lua_newtable(L); /* its metatable */
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_setfield(L, -2, "__index");
    lua_enablereadonlytable(L, -1, 1);
    lua_setmetatable(L, -2);
    lua_enablereadonlytable(L, -1, 1);
    lua_replace(L, LUA_GLOBALSINDEX);
}

/* ---- lifecycle ---- */

static void create_state(void) {
    lua = lua_open();
    pcall_pool_size = 0;
    if (function_engine) init_function_state(lua);
    else init_eval_state(lua);
    lua_newtable(lua);
    scripts_ref = luaL_ref(lua, LUA_REGISTRYINDEX);
    lua_newtable(lua);
    script_names_ref = luaL_ref(lua, LUA_REGISTRYINDEX);
    run_thread = NULL;
    run_thread_ref = LUA_NOREF;
}

/* `functions`: 1 for the functions engine's state, 0 for EVAL's. */
EMSCRIPTEN_KEEPALIVE int rl_init(int functions) {
    function_engine = functions;
    create_state();
    return 0;
}

/* SCRIPT FLUSH: a new Lua state, as scriptingReset does. */
EMSCRIPTEN_KEEPALIVE void rl_reset(void) {
    lua_close(lua);
    create_state();
}

/* used_memory_lua: Lua's own count (luaMemory). */
EMSCRIPTEN_KEEPALIVE double rl_memory(void) {
    return (double)lua_gc(lua, LUA_GCCOUNT, 0) * 1024.0 + lua_gc(lua, LUA_GCCOUNTB, 0);
}

/*
 * luaCreateFunction: the input holds the 40-character SHA1 and then the
 * body; the first `skip` bytes of the body (a shebang line, its newline
 * kept for the line numbers) are not compiled. On failure the error reply
 * is in the output.
 */
static int compile_script(int id, size_t length, size_t skip) {
    output.len = 0;
    error_codes.len = 0;
    const char *sha = input.buf;
    const char *body = input.buf + 40 + skip;
    if (luaL_loadbuffer(lua, body, length - 40 - skip, "@user_script")) {
        Buffer msg = {0};
        buffer_append(&msg, "Error compiling script (new function): ", 39);
        const char *e = lua_tostring(lua, -1);
        buffer_append(&msg, e, strlen(e));
        out_error_format(msg.buf, msg.len, 0);
        free(msg.buf);
        lua_pop(lua, 1);
        return 1;
    }
    lua_rawgeti(lua, LUA_REGISTRYINDEX, scripts_ref);
    lua_pushvalue(lua, -2);
    lua_rawseti(lua, -2, id);
    lua_pop(lua, 2);
    lua_rawgeti(lua, LUA_REGISTRYINDEX, script_names_ref);
    lua_pushlstring(lua, sha, 40);
    lua_rawseti(lua, -2, id);
    lua_pop(lua, 1);
    return 0;
}

EMSCRIPTEN_KEEPALIVE int rl_compile(int id, size_t length, size_t skip) {
    int failed = compile_script(id, length, skip);
    publish_output();
    return failed;
}

/* The count hook (Redis's luaMaskCountHook), also the point where a long script yields. */
static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    int action = host_interrupt();
    if (action == 2) {
        /* Every line from now on, so that pcall cannot catch it and carry
         * on: on every thread of the run, since each pcall has its own. */
        lua_sethook(L, count_hook, LUA_MASKLINE, 0);
        if (run_thread) lua_sethook(run_thread, count_hook, LUA_MASKLINE, 0);
        for (int i = 0; i < pcall_depth; i++) lua_sethook(pcall_chain[i].co, count_hook, LUA_MASKLINE, 0);
        lua_sethook(lua, count_hook, LUA_MASKLINE, 0);
        push_error_text(L, "Script killed by user with SCRIPT KILL...");
        lua_error(L);
    }
    /* Only where the yield can travel up to the host: from the script's
     * thread or a pcall's coroutine, through pcalls only, and with no other
     * C call (a metamethod, table.sort's comparator) in between. */
    if (action == 1 && yield_reaches_host(L)) {
        hook_yielding = 1;
        lua_yield(L, 0);
    }
}

/* Used by the patched lua_yield: the script's thread and its pcalls' coroutines yield only for the hook, as under Redis's lua_pcall. */
int reddish_yield_refused(lua_State *L) { return (L == run_thread || is_pcall_thread(L)) && !hook_yielding; }

static lua_State *take_run_thread(void) {
    if (run_thread == NULL) {
        run_thread = lua_newthread(lua);
        run_thread_ref = luaL_ref(lua, LUA_REGISTRYINDEX);
    }
    return run_thread;
}

static void drop_run_thread(void) {
    luaL_unref(lua, LUA_REGISTRYINDEX, run_thread_ref);
    run_thread = NULL;
    run_thread_ref = LUA_NOREF;
}

static void read_string_array(lua_State *L, const char **cursor, int count) {
    lua_createtable(L, count, 0);
    for (int j = 0; j < count; j++) {
        uint32_t len;
        memcpy(&len, *cursor, 4);
        *cursor += 4;
        lua_pushlstring(L, *cursor, len);
        *cursor += len;
        lua_rawseti(L, -2, j + 1);
    }
}

static void set_global_unlocked(lua_State *L, const char *name) {
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 0);
    lua_setglobal(L, name);
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 1);
}

/* The failing frame's source and line, as __redis__err__handler finds them. */
static void add_error_position(lua_State *co, lua_State *L) {
    lua_Debug ar;
    int level = 0;
    if (!lua_getstack(co, level, &ar)) return;
    lua_getinfo(co, "nSl", &ar);
    if (strcmp(ar.what, "C") == 0) {
        if (!lua_getstack(co, ++level, &ar)) return;
        lua_getinfo(co, "nSl", &ar);
    }
    lua_pushstring(L, ar.source);
    lua_setfield(L, -2, "source");
    lua_pushnumber(L, ar.currentline);
    lua_setfield(L, -2, "line");
}

/* run_name, for the error text of a failed run. */
static void load_run_name(void) {
    size_t name_length = 0;
    lua_rawgeti(lua, LUA_REGISTRYINDEX, script_names_ref);
    lua_rawgeti(lua, -1, run_id);
    const char *name = lua_tolstring(lua, -1, &name_length);
    run_name.len = 0;
    buffer_append(&run_name, name ? name : "", name_length);
    buffer_append(&run_name, "", 1);
    lua_pop(lua, 2);
}

static int run_finished(int status) {
    lua_State *co = run_thread;
    if (status == LUA_YIELD && hook_yielding) {
        hook_yielding = 0;
        return 1;
    }
    if (status == 0) {
        /* lua_pcall(lua, 0, 1, ...) keeps the first result, or nil. */
        int results = lua_gettop(co);
        if (results == 0) lua_pushnil(co);
        else if (results > 1) lua_settop(co, 1);
        reply_from_lua(co);
        lua_settop(co, 0);
    } else {
        load_run_name();
        lua_xmove(co, lua, 1);
        if (status == LUA_ERRRUN || status == LUA_ERRSYNTAX) {
            if (!lua_istable(lua, -1)) {
                /* {err='ERR ' .. tostring(err)} */
                lua_getglobal(lua, "tostring");
                lua_insert(lua, -2);
                lua_call(lua, 1, 1);
                const char *s = lua_tostring(lua, -1);
                Buffer b = {0};
                buffer_append(&b, "ERR ", 4);
                buffer_append(&b, s, strlen(s));
                buffer_append(&b, "", 1);
                lua_pop(lua, 1);
                lua_newtable(lua);
                lua_pushstring(lua, b.buf);
                lua_setfield(lua, -2, "err");
                free(b.buf);
            }
            add_error_position(co, lua);
        }
        if (!lua_istable(lua, -1)) {
            /* A memory error never reaches the handler: "Error running script". */
            const char *msg = lua_isstring(lua, -1) ? lua_tostring(lua, -1) : "execution failure";
            Buffer b = {0};
            buffer_appendf(&b, "Error running script %s, %.100s\n", run_name.buf, msg);
            out_error_format(b.buf, b.len, 0);
            free(b.buf);
        } else {
            ErrorInfo info = {0};
            error_info_extract(lua, &info);
            Buffer b = {0};
            buffer_appendf(&b, "-%s", info.msg ? info.msg : "");
            if (info.line && info.source) buffer_appendf(&b, " script: %s, on %s:%s.", run_name.buf, info.source, info.line);
            /* Redis 7.0.15 sends this with CR and LF as spaces, not trimmed (checked against redis-server). */
            for (size_t i = 0; i < b.len; i++)
                if (b.buf[i] == '\r' || b.buf[i] == '\n') b.buf[i] = ' ';
            out_error(b.buf, b.len, info.ignore_err_stats_update);
            free(b.buf);
            error_info_free(&info);
        }
        lua_pop(lua, 1);
        drop_run_thread();
    }
    /* A GC step every 50 scripts, as Redis does, instead of a full cycle. */
    if (++gc_count == 50) {
        lua_gc(lua, LUA_GCSTEP, 50);
        gc_count = 0;
    }
    lua_sethook(lua, NULL, 0, 0);
    running = 0;
    publish_output();
    return 0;
}

/*
 * Runs script `id`. The input holds `nkeys` then `nargs` strings, each a
 * 4-byte little-endian length and the bytes. Returns 0 when the script has
 * finished (its reply is in the output, the error codes it wrote in the
 * error codes buffer, both published in the exchange words), or 1 when it
 * yielded past busy-reply-threshold: call rl_resume from the event loop.
 */
EMSCRIPTEN_KEEPALIVE int rl_run(int id, int nkeys, int nargs, int resp, int flags, int hook) {
    output.len = 0;
    error_codes.len = 0;
    caller_resp = resp;
    script_resp = 2;
    hook_yielding = 0;

    run_id = id;

    lua_State *co = take_run_thread();
    running = 1;
    /* On the main state too, so that coroutines the script creates inherit it. */
    if (hook) {
        lua_sethook(lua, count_hook, LUA_MASKCOUNT, 100000);
        lua_sethook(co, count_hook, LUA_MASKCOUNT, 100000);
    } else {
        lua_sethook(co, NULL, 0, 0);
    }

    lua_rawgeti(lua, LUA_REGISTRYINDEX, scripts_ref);
    lua_rawgeti(lua, -1, id);
    lua_remove(lua, -2);

    /* luaCallFunction: EVAL's KEYS and ARGV are globals; a function gets them as its two arguments. */
    int eval_mode = flags & RUN_EVAL_MODE;
    const char *cursor = input.buf;
    read_string_array(lua, &cursor, nkeys);
    if (eval_mode) set_global_unlocked(lua, "KEYS");
    read_string_array(lua, &cursor, nargs);
    if (eval_mode) set_global_unlocked(lua, "ARGV");

    int arguments = eval_mode ? 0 : 2;
    lua_xmove(lua, co, 1 + arguments);
    return run_finished(lua_resume(co, arguments));
}

EMSCRIPTEN_KEEPALIVE int rl_resume(void) {
    output.len = 0;
    error_codes.len = 0;
    return run_finished(lua_resume(run_thread, 0));
}


/* ---- the functions engine (Redis, function_lua.c) ---- */

/* The library being loaded: the functions it has registered so far. */
typedef struct {
    int id;
    char *name;
    char *desc;
    int flags;
} RegisteredFunction;

static int loading;
static RegisteredFunction *registered;
static int registered_count, registered_cap;
static int next_function_id = 1;

/* scripts_flags_def (Redis, script.c), with SCRIPT_FLAG_* values. */
static const struct { const char *name; int flag; } script_flags[] = {
    {"no-writes", 1 << 0}, {"allow-oom", 1 << 1}, {"allow-stale", 1 << 2},
    {"no-cluster", 1 << 3}, {"allow-cross-slot-keys", 1 << 5}, {NULL, 0},
};

static void forget_function(int id) {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, scripts_ref);
    lua_pushnil(lua);
    lua_rawseti(lua, -2, id);
    lua_pop(lua, 1);
    lua_rawgeti(lua, LUA_REGISTRYINDEX, script_names_ref);
    lua_pushnil(lua);
    lua_rawseti(lua, -2, id);
    lua_pop(lua, 1);
}

/* FUNCTION DELETE, FLUSH, a replaced library: its functions go (engine->free_function). */
EMSCRIPTEN_KEEPALIVE void rl_free_function(int id) { forget_function(id); }

static void clear_registered(int forget) {
    for (int i = 0; i < registered_count; i++) {
        if (forget) forget_function(registered[i].id);
        free(registered[i].name);
        free(registered[i].desc);
    }
    registered_count = 0;
}

/* functionsVerifyName (Redis, functions.c). */
static int valid_function_name(const char *name, size_t len) {
    if (len == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* luaGetStringSds: a string or a number, as a C string; NULL otherwise. */
static char *string_argument(lua_State *L, int index) {
    if (!lua_isstring(L, index)) return NULL;
    size_t len;
    const char *s = lua_tolstring(L, index, &len);
    char *copy = malloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

/* luaRegisterFunctionReadFlags: the flags table on top of the stack; -1 for an unknown flag. */
static int read_function_flags(lua_State *L) {
    int flags = 0;
    for (int j = 1;; j++) {
        lua_pushnumber(L, j);
        lua_gettable(L, -2);
        if (lua_type(L, -1) == LUA_TNIL) {
            lua_pop(L, 1);
            return flags;
        }
        if (!lua_isstring(L, -1)) {
            lua_pop(L, 1);
            return -1;
        }
        const char *flag = lua_tostring(L, -1);
        int found = 0;
        for (int f = 0; script_flags[f].name; f++) {
            if (!strcasecmp(script_flags[f].name, flag)) {
                flags |= script_flags[f].flag;
                found = 1;
                break;
            }
        }
        lua_pop(L, 1);
        if (!found) return -1;
    }
}

/* luaRegisterFunction (Redis): the positional form (name, callback) or the named-argument table. */
static int redis_register_function(lua_State *L) {
    if (!loading) {
        push_error_text(L, "redis.register_function can only be called on FUNCTION LOAD command");
        return raise_error_table(L);
    }
    const char *err = NULL;
    char *name = NULL, *desc = NULL;
    int ref = LUA_NOREF, flags = 0;
    int argc = lua_gettop(L);
    if (argc < 1 || argc > 2) {
        err = "wrong number of arguments to redis.register_function";
    } else if (argc == 2) {
        if (!(name = string_argument(L, 1))) err = "first argument to redis.register_function must be a string";
        else if (!lua_isfunction(L, 2)) err = "second argument to redis.register_function must be a function";
        else ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else if (!lua_istable(L, 1)) {
        err = "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).";
    } else {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (!lua_isstring(L, -2)) {
                err = "named argument key given to redis.register_function is not a string";
                break;
            }
            const char *key = lua_tostring(L, -2);
            if (!strcasecmp(key, "function_name")) {
                free(name);
                if (!(name = string_argument(L, -1))) {
                    err = "function_name argument given to redis.register_function must be a string";
                    break;
                }
            } else if (!strcasecmp(key, "description")) {
                free(desc);
                if (!(desc = string_argument(L, -1))) {
                    err = "description argument given to redis.register_function must be a string";
                    break;
                }
            } else if (!strcasecmp(key, "callback")) {
                if (!lua_isfunction(L, -1)) {
                    err = "callback argument given to redis.register_function must be a function";
                    break;
                }
                if (ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, ref);
                ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the value */
                continue;
            } else if (!strcasecmp(key, "flags")) {
                if (!lua_istable(L, -1)) {
                    err = "flags argument to redis.register_function must be a table representing function flags";
                    break;
                }
                if ((flags = read_function_flags(L)) < 0) {
                    err = "unknown flag given";
                    break;
                }
            } else {
                err = "unknown argument given to redis.register_function";
                break;
            }
            lua_pop(L, 1);
        }
        if (!err && !name) err = "redis.register_function must get a function name argument";
        else if (!err && ref == LUA_NOREF) err = "redis.register_function must get a callback argument";
    }
    /* functionLibCreateFunction: names are checked, and unique within the library (case matters there). */
    if (!err && !valid_function_name(name, strlen(name)))
        err = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
    for (int i = 0; !err && i < registered_count; i++)
        if (!strcmp(registered[i].name, name)) err = "Function already exists in the library";
    if (err) {
        free(name);
        free(desc);
        if (ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, ref);
        push_error_text(L, err);
        return raise_error_table(L);
    }

    int id = next_function_id++;
    lua_rawgeti(L, LUA_REGISTRYINDEX, scripts_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_rawseti(L, -2, id);
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, script_names_ref);
    lua_pushstring(L, name);
    lua_rawseti(L, -2, id);
    lua_pop(L, 1);
    if (registered_count == registered_cap) {
        registered_cap = registered_cap ? registered_cap * 2 : 8;
        registered = realloc(registered, registered_cap * sizeof(*registered));
        if (!registered) abort();
    }
    registered[registered_count++] = (RegisteredFunction){.id = id, .name = name, .desc = desc, .flags = flags};
    return 0;
}

/* Which library API the globals show: the loading one, or the real globals. */
static void set_globals_view(const char *registry_name) {
    lua_getmetatable(lua, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(lua, -1, 0);
    lua_getfield(lua, LUA_REGISTRYINDEX, registry_name);
    lua_setfield(lua, -2, "__index");
    lua_enablereadonlytable(lua, -1, 1);
    lua_pop(lua, 1);
}

/* luaEngineLoadHook: FUNCTION LOAD's time limit; the host answers 3 once it has passed. */
static void load_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    if (host_interrupt() == 3) {
        lua_sethook(L, load_hook, LUA_MASKLINE, 0);
        push_error_text(L, "FUNCTION LOAD timeout");
        lua_error(L);
    }
}

/*
 * luaEngineCreate (Redis): runs a library's code (the input, `length`
 * bytes, after its shebang line) so that it registers its functions.
 * Returns 0 and, in the output, each function as: 4-byte id, 4-byte flags,
 * 4-byte name length and the name, 4-byte description length (0xffffffff
 * for none) and the description. Or returns 1 with the error text in the
 * output. `timed`: the hook asks the host whether the load has run too long.
 */
static int load_library(size_t length, int timed) {
    output.len = 0;
    error_codes.len = 0;
    clear_registered(0);
    int failed = 0;
    set_globals_view(LIBRARY_API_NAME);
    if (luaL_loadbuffer(lua, input.buf, length, "@user_function")) {
        buffer_appendf(&output, "Error compiling function: %s", lua_tostring(lua, -1));
        lua_pop(lua, 1);
        failed = 1;
    } else {
        loading = 1;
        if (timed) lua_sethook(lua, load_hook, LUA_MASKCOUNT, 100000);
        if (lua_pcall(lua, 0, 0, 0)) {
            ErrorInfo info = {0};
            error_info_extract(lua, &info);
            buffer_appendf(&output, "Error registering functions: %s", info.msg ? info.msg : "");
            error_info_free(&info);
            lua_pop(lua, 1);
            failed = 1;
        }
        loading = 0;
    }
    set_globals_view(GLOBALS_API_NAME);
    lua_sethook(lua, NULL, 0, 0);
    if (failed) {
        clear_registered(1);
        return 1;
    }
    for (int i = 0; i < registered_count; i++) {
        RegisteredFunction *f = &registered[i];
        uint32_t words[3] = {(uint32_t)f->id, (uint32_t)f->flags, (uint32_t)strlen(f->name)};
        buffer_append(&output, (const char *)words, sizeof(words));
        buffer_append(&output, f->name, words[2]);
        uint32_t desc_length = f->desc ? (uint32_t)strlen(f->desc) : 0xffffffffu;
        buffer_append(&output, (const char *)&desc_length, 4);
        if (f->desc) buffer_append(&output, f->desc, desc_length);
    }
    clear_registered(0);
    return 0;
}

EMSCRIPTEN_KEEPALIVE int rl_load_library(size_t length, int timed) {
    int failed = load_library(length, timed);
    publish_output();
    return failed;
}
