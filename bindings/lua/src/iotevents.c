/*
 * iotevents.c -- the Lua module over libiotevents: one source for Lua 5.1, 5.2, 5.3, 5.4 and
 * LuaJIT (the 5.1 build also loads in LuaJIT).
 *
 *   require "iotevents"       errors are raised (an error table with code and message)
 *   require "iotevents.safe"  the same functions return nil, err instead
 *
 * Tables are converted to and from JSON here, in C (no lua-cjson). Two rules hold everywhere:
 *
 *   - No Lua error (a longjmp) ever crosses a library frame: everything that can raise happens
 *     before or after an iotevents_* call, never inside one, and the library's action handler
 *     only copies the action document into a queue.
 *   - Nothing the library returns leaks, even when Lua runs out of memory: a returned string is
 *     parked in the engine (engine->owned) until it has been converted, so an allocation error
 *     raised mid-conversion leaves it to the next call, close() or __gc to free.
 *
 * See bindings/lua/README.md for the table rules, the callbacks and threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <lua.h>
#include <lauxlib.h>

#include <iotevents.h>

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "operations.h"

/* ---------------------------------------------------------------------------------------------
 * Compatibility: the parts of the 5.2+ API used here, written for 5.1 (and so LuaJIT).
 * ------------------------------------------------------------------------------------------- */

#if LUA_VERSION_NUM < 502
#define ie_rawlen(L, i) lua_objlen(L, i)
/* A 5.1 userdata's environment table plays the part of the 5.2+ user value. */
#define ie_setuservalue(L, i) lua_setfenv(L, i)
#define ie_getuservalue(L, i) lua_getfenv(L, i)
#define IE_OK 0

static void ie_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        for (int i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#else
#define ie_rawlen(L, i) lua_rawlen(L, i)
#define ie_setuservalue(L, i) lua_setuservalue(L, i)
#define ie_getuservalue(L, i) lua_getuservalue(L, i)
#define ie_setfuncs(L, l, n) luaL_setfuncs(L, l, n)
#define IE_OK LUA_OK
#endif

/* 5.3+ numbers have an integer subtype; 5.1, 5.2 and LuaJIT have doubles only. */
#if LUA_VERSION_NUM >= 503
#define IE_INTEGERS 1
#else
#define IE_INTEGERS 0
#endif

static void ie_pushint64(lua_State *L, int64_t v) {
#if IE_INTEGERS
    lua_pushinteger(L, (lua_Integer)v);
#else
    lua_pushnumber(L, (lua_Number)v);
#endif
}

/* ---------------------------------------------------------------------------------------------
 * Names in the registry
 * ------------------------------------------------------------------------------------------- */

#define IE_ENGINE_MT "iotevents.engine"
#define IE_ARRAY_MT "iotevents.array"
#define IE_ERROR_MT "iotevents.error"
#define IE_BUFFER_MT "iotevents.buffer"

/* Deeper tables than this are refused with an error, in both directions: the converters
 * recurse on the C stack, and the library's own default (limits.maxJsonDepth) is 64. */
#define IE_MAX_DEPTH 256

/* An engine keeps its request buffer between calls up to this size. */
#define IE_KEEP_BUFFER (64 * 1024)

/* ---------------------------------------------------------------------------------------------
 * A growable byte buffer in malloc'd memory: the encoder never allocates Lua memory, so it
 * cannot raise, and nothing it built can leak when an error is raised afterwards.
 * ------------------------------------------------------------------------------------------- */

typedef struct ie_buf {
    char *data;
    size_t len, cap;
    int oom; /* an allocation failed: the content is incomplete */
} ie_buf;

static int buf_reserve(ie_buf *b, size_t extra) {
    if (b->oom)
        return 0;
    if (b->cap - b->len > extra)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return 0;
        }
        cap *= 2;
    }
    char *data = realloc(b->data, cap);
    if (data == NULL) {
        b->oom = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

static void buf_add(ie_buf *b, const char *s, size_t n) {
    if (buf_reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

static void buf_char(ie_buf *b, char c) {
    if (buf_reserve(b, 1))
        b->data[b->len++] = c;
}

static void buf_free(ie_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------------------------------------
 * Numbers, independent of the C locale (a host may have called os.setlocale).
 * ------------------------------------------------------------------------------------------- */

static char locale_point(void) {
    const char *p = localeconv()->decimal_point;
    return (p != NULL && p[0] != '\0') ? p[0] : '.';
}

/* The shortest of %.15g and %.17g that reads back as d, with '.' as the decimal point. */
static int format_double(char *out, size_t size, double d) {
    int n = snprintf(out, size, "%.15g", d);
    if (strtod(out, NULL) != d)
        n = snprintf(out, size, "%.17g", d);
    char point = locale_point();
    if (point != '.')
        for (char *p = out; *p != '\0'; p++)
            if (*p == point)
                *p = '.';
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * UTF-8 and base64
 * ------------------------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

static void put_utf8(luaL_Buffer *b, unsigned long cp) {
    char out[4];
    int n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    luaL_addlstring(b, out, (size_t)n);
}

static void put_base64(ie_buf *b, const unsigned char *s, size_t n) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n > (SIZE_MAX / 4) * 3 - 3 || !buf_reserve(b, (n + 2) / 3 * 4)) {
        b->oom = 1;
        return;
    }
    char *out = b->data + b->len;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 | s[i + 2];
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (i < n) {
        unsigned long v = (unsigned long)s[i] << 16 | (i + 1 < n ? (unsigned long)s[i + 1] << 8 : 0);
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        *out++ = '=';
    }
    b->len = (size_t)(out - b->data);
}

/* ---------------------------------------------------------------------------------------------
 * Encoder: a Lua value -> JSON text in an ie_buf. It never raises: on failure it returns -1 with
 * a message naming the path of the offending value (Lua's 1-based indices: messages[1].payload).
 * ------------------------------------------------------------------------------------------- */

typedef struct ie_step {
    const char *key; /* an object member's name (on the Lua stack while in use), or NULL */
    size_t keylen;
    lua_Integer index; /* an array element's index when key is NULL */
} ie_step;

typedef struct ie_encoder {
    lua_State *L;
    ie_buf *out;
    const void *array_mt;    /* the iotevents.array metatable */
    const char *const *blob; /* the request path whose strings are base64-encoded, or NULL */
    int depth;               /* steps in path: where the value being encoded sits */
    int ntables;
    const void *tables[IE_MAX_DEPTH]; /* the tables being encoded, outermost first */
    ie_step path[IE_MAX_DEPTH + 1];
    char error[320];
} ie_encoder;

static int is_identifier(const char *s, size_t n) {
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 1;
}

/* The path of the value being encoded, as a Lua expression would reach it. */
static void format_path(const ie_encoder *e, char *out, size_t size) {
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < e->depth && used + 1 < size; i++) {
        const ie_step *s = &e->path[i];
        int n;
        if (s->key == NULL)
            n = snprintf(out + used, size - used, "[%lld]", (long long)s->index);
        else if (is_identifier(s->key, s->keylen))
            n = snprintf(out + used, size - used, "%s%.*s", i ? "." : "", (int)s->keylen, s->key);
        else
            n = snprintf(out + used, size - used, "[\"%.*s\"]", (int)(s->keylen > 40 ? 40 : s->keylen), s->key);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
}

/* "<what> at <path> (<hint>)"; hint may be NULL. */
static int encode_fail(ie_encoder *e, const char *hint, const char *fmt, ...) {
    char what[128], path[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    format_path(e, path, sizeof path);
    snprintf(e->error, sizeof e->error, "%s at %s%s%s%s", what, path[0] ? path : "the top level",
             hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
    return -1;
}

static int encode_value(ie_encoder *e, int idx, int blob_match, int shape);

/* shape: where the value sits in the operation's request (ie_shapes, operations.h), -1 when
 * unknown or a scalar. The shape of a structure member, a list element or a map value. */
static int shape_child(int shape, const char *key, size_t keylen) {
    if (shape < 0 || shape >= IE_SHAPE_COUNT)
        return -1;
    const ie_shape *s = &ie_shapes[shape];
    if (s->kind == IE_SHAPE_LIST)
        return key == NULL ? s->element : -1;
    if (s->kind == IE_SHAPE_MAP || key == NULL)
        return s->kind == IE_SHAPE_MAP && key != NULL ? s->element : -1;
    for (int i = 0; i < s->count; i++)
        if (strlen(s->members[i].name) == keylen && memcmp(s->members[i].name, key, keylen) == 0)
            return s->members[i].shape;
    return -1;
}

/* blob_match: how many steps of e->blob the current path matches, -1 once it diverged. */
static int blob_child(const ie_encoder *e, int match, const char *key, size_t keylen) {
    if (match < 0 || e->blob == NULL || e->blob[match] == NULL)
        return -1;
    const char *want = e->blob[match];
    if (key == NULL)
        return strcmp(want, "*") == 0 ? match + 1 : -1;
    return (strlen(want) == keylen && memcmp(want, key, keylen) == 0) ? match + 1 : -1;
}

static int encode_string(ie_encoder *e, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    ie_buf *b = e->out;
    size_t run = 0; /* start of the bytes not yet copied */
    buf_char(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t len = utf8_sequence((const unsigned char *)s + i, n - i);
            if (len == 0)
                return encode_fail(e, "binary data belongs in a payload, which is base64-encoded",
                                   "invalid UTF-8 in a string (byte %lu)", (unsigned long)i + 1);
            i += len;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        buf_add(b, s + run, i - run);
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t elen = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            elen = 6;
        }
        buf_add(b, esc, elen);
        run = ++i;
    }
    buf_add(b, s + run, n - run);
    buf_char(b, '"');
    return 0;
}

static int encode_number(ie_encoder *e, int idx) {
    char tmp[64];
    int n;
#if IE_INTEGERS
    if (lua_isinteger(e->L, idx)) {
        n = snprintf(tmp, sizeof tmp, "%lld", (long long)lua_tointeger(e->L, idx));
        buf_add(e->out, tmp, (size_t)n);
        return 0;
    }
#endif
    double d = (double)lua_tonumber(e->L, idx);
    if (isnan(d))
        return encode_fail(e, "JSON has no NaN", "NaN");
    if (isinf(d))
        return encode_fail(e, "JSON has no infinities", "%s", d > 0 ? "inf" : "-inf");
#if !IE_INTEGERS
    /* Doubles only: an integral value is written as an integer, as the user meant 10, not 10.0. */
    if (d == floor(d) && fabs(d) < 9.2e18) {
        n = snprintf(tmp, sizeof tmp, "%lld", (long long)d);
        buf_add(e->out, tmp, (size_t)n);
        return 0;
    }
#endif
    n = format_double(tmp, sizeof tmp - 2, d);
#if IE_INTEGERS
    /* A float stays a float (10.0 is a Decimal in IoT Events expressions, 10 an Integer). */
    if (strpbrk(tmp, ".eE") == NULL) {
        memcpy(tmp + n, ".0", 3);
        n += 2;
    }
#endif
    buf_add(e->out, tmp, (size_t)n);
    return 0;
}

/* A positive integral array key, as Lua stores t[1], t[2], ... */
static int array_key(lua_State *L, int idx, lua_Integer *out) {
    if (lua_type(L, idx) != LUA_TNUMBER)
        return 0;
#if IE_INTEGERS
    if (lua_isinteger(L, idx)) {
        *out = lua_tointeger(L, idx);
        return *out >= 1;
    }
#endif
    lua_Number d = lua_tonumber(L, idx);
    if (d >= 1 && d <= 9007199254740992.0 && d == floor(d)) {
        *out = (lua_Integer)d;
        return 1;
    }
    return 0;
}

static int describe_bad_key(ie_encoder *e, int keyidx, int in_array) {
    lua_State *L = e->L;
    if (lua_type(L, keyidx) == LUA_TNUMBER) {
        char num[64];
        format_double(num, sizeof num, (double)lua_tonumber(L, keyidx));
        return encode_fail(e, "keys are strings, or the integers 1..n of an array", "table key %s", num);
    }
    if (lua_type(L, keyidx) == LUA_TSTRING && in_array) {
        size_t n;
        const char *k = lua_tolstring(L, keyidx, &n);
        return encode_fail(e, NULL, "mixed table: string key \"%.40s\" beside array elements", k);
    }
    return encode_fail(e, "keys are strings, or the integers 1..n of an array", "table key of type %s",
                       luaL_typename(L, keyidx));
}

static int encode_object(ie_encoder *e, int idx, int blob_match, int shape) {
    lua_State *L = e->L;
    buf_char(e->out, '{');
    int first = 1;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_Integer i;
            if (array_key(L, -2, &i))
                return encode_fail(e, NULL, "mixed table: integer key %lld beside string keys", (long long)i);
            return describe_bad_key(e, lua_gettop(L) - 1, 0);
        }
        size_t keylen;
        const char *key = lua_tolstring(L, -2, &keylen);
        if (!first)
            buf_char(e->out, ',');
        first = 0;
        ie_step *step = &e->path[e->depth];
        step->key = key;
        step->keylen = keylen;
        e->depth++;
        if (encode_string(e, key, keylen) != 0)
            return -1;
        buf_char(e->out, ':');
        if (encode_value(e, lua_gettop(L), blob_child(e, blob_match, key, keylen), shape_child(shape, key, keylen)) != 0)
            return -1;
        e->depth--;
        lua_pop(L, 1);
    }
    buf_char(e->out, '}');
    return 0;
}

/* Every key is 1..n, nothing missing: checked in one pass before anything is written. */
static int encode_array(ie_encoder *e, int idx, int blob_match, int shape) {
    lua_State *L = e->L;
    lua_Integer count = 0, max = 0, i;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (!array_key(L, -2, &i))
            return describe_bad_key(e, lua_gettop(L) - 1, 1);
        count++;
        if (i > max)
            max = i;
        lua_pop(L, 1);
    }
    if (max != count) {
        for (i = 1;; i++) { /* the first hole is at most count + 1 */
            lua_rawgeti(L, idx, (int)i);
            int hole = lua_isnil(L, -1);
            lua_pop(L, 1);
            if (hole)
                break;
        }
        return encode_fail(e, "use iotevents.null for a JSON null", "sparse array: index %lld of %lld is nil",
                           (long long)i, (long long)max);
    }
    buf_char(e->out, '[');
    for (i = 1; i <= count; i++) {
        if (i > 1)
            buf_char(e->out, ',');
        ie_step *step = &e->path[e->depth];
        step->key = NULL;
        step->index = i;
        e->depth++;
        lua_rawgeti(L, idx, (int)i);
        if (encode_value(e, lua_gettop(L), blob_child(e, blob_match, NULL, 0), shape_child(shape, NULL, 0)) != 0)
            return -1;
        lua_pop(L, 1);
        e->depth--;
    }
    buf_char(e->out, ']');
    return 0;
}

static int encode_table(ie_encoder *e, int idx, int blob_match, int shape) {
    lua_State *L = e->L;
    const void *self = lua_topointer(L, idx);
    for (int i = 0; i < e->ntables; i++)
        if (e->tables[i] == self)
            return encode_fail(e, NULL, "cyclic table (it contains itself)");
    if (e->ntables >= IE_MAX_DEPTH)
        return encode_fail(e, NULL, "tables nested deeper than %d levels", IE_MAX_DEPTH);
    if (!lua_checkstack(L, 4))
        return encode_fail(e, NULL, "tables nested too deep for the Lua stack");
    e->tables[e->ntables++] = self;

    int marked = 0;
    if (lua_getmetatable(L, idx)) {
        marked = lua_topointer(L, -1) == e->array_mt;
        lua_pop(L, 1);
    }
    int rc;
    lua_pushnil(L);
    if (lua_next(L, idx) == 0) { /* empty: {} unless marked as an array or a list in the request */
        int list = shape >= 0 && shape < IE_SHAPE_COUNT && ie_shapes[shape].kind == IE_SHAPE_LIST;
        buf_add(e->out, marked || list ? "[]" : "{}", 2);
        rc = 0;
    } else {
        int object = !marked && lua_type(L, -2) == LUA_TSTRING;
        lua_pop(L, 2);
        rc = object ? encode_object(e, idx, blob_match, shape) : encode_array(e, idx, blob_match, shape);
    }
    e->ntables--;
    return rc;
}

static int encode_value(ie_encoder *e, int idx, int blob_match, int shape) {
    lua_State *L = e->L;
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx))
            buf_add(e->out, "true", 4);
        else
            buf_add(e->out, "false", 5);
        return 0;
    case LUA_TNUMBER:
        return encode_number(e, idx);
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        if (blob_match >= 0 && e->blob != NULL && e->blob[blob_match] == NULL) {
            buf_char(e->out, '"');
            put_base64(e->out, (const unsigned char *)s, n);
            buf_char(e->out, '"');
            return 0;
        }
        return encode_string(e, s, n);
    }
    case LUA_TTABLE:
        return encode_table(e, idx, blob_match, shape);
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == NULL) { /* iotevents.null */
            buf_add(e->out, "null", 4);
            return 0;
        }
        return encode_fail(e, "only iotevents.null is JSON", "light userdata value");
    default:
        return encode_fail(e, "JSON has none", "%s value", luaL_typename(L, idx));
    }
}

/* Encodes the value at idx into out (emptied first, NUL-terminated). shape: the operation's
 * request shape (an empty table where it has a list is []), or -1. Returns 0, or -1 with the
 * reason in error. Never raises, never allocates Lua memory. */
static int encode_json(lua_State *L, int idx, ie_buf *out, const char *const *blob, int shape, char *error, size_t errsize) {
    ie_encoder *e = malloc(sizeof *e); /* ~10 KB: keep it off small C stacks (coroutines in LuaJIT) */
    if (e == NULL) {
        snprintf(error, errsize, "out of memory");
        return -1;
    }
    int top = lua_gettop(L);
    idx = idx < 0 ? top + idx + 1 : idx;
    e->L = L;
    e->out = out;
    e->blob = blob;
    e->depth = 0;
    e->ntables = 0;
    e->error[0] = '\0';
    luaL_getmetatable(L, IE_ARRAY_MT);
    e->array_mt = lua_topointer(L, -1);
    lua_pop(L, 1);
    out->len = 0;
    out->oom = 0;
    int rc = encode_value(e, idx, blob ? 0 : -1, shape);
    buf_char(out, '\0');
    lua_settop(L, top);
    if (rc == 0 && out->oom) {
        snprintf(e->error, sizeof e->error, "out of memory");
        rc = -1;
    }
    if (rc != 0)
        snprintf(error, errsize, "%s", e->error);
    free(e);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Decoder: JSON text -> Lua values. Objects become plain tables, arrays tables with the
 * iotevents.array metatable (so an empty array stays an array when sent back), null
 * iotevents.null. It may raise (out of memory): callers keep the text owned elsewhere.
 * ------------------------------------------------------------------------------------------- */

typedef struct ie_decoder {
    lua_State *L;
    const char *start, *p, *end;
    int depth;
    int array_mt; /* stack index of the iotevents.array metatable */
    char error[160];
} ie_decoder;

static int decode_fail(ie_decoder *d, const char *what) {
    snprintf(d->error, sizeof d->error, "%s at byte %lu", what, (unsigned long)(d->p - d->start) + 1);
    return -1;
}

static void skip_space(ie_decoder *d) {
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
        d->p++;
}

static int decode_value(ie_decoder *d);

static int hex4(const char *p, unsigned long *out) {
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned long)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            v |= (unsigned long)((c | 0x20) - 'a' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static int decode_string(ie_decoder *d) {
    const char *s = ++d->p; /* after the opening quote */
    const char *q = s;
    while (q < d->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
        q++;
    if (q < d->end && *q == '"') { /* the common case: nothing to unescape */
        lua_pushlstring(d->L, s, (size_t)(q - s));
        d->p = q + 1;
        return 0;
    }
    luaL_Buffer b;
    luaL_buffinit(d->L, &b);
    luaL_addlstring(&b, s, (size_t)(q - s));
    d->p = q;
    for (;;) {
        if (d->p >= d->end)
            return decode_fail(d, "unterminated string");
        unsigned char c = (unsigned char)*d->p;
        if (c == '"')
            break;
        if (c < 0x20)
            return decode_fail(d, "control character in a string");
        if (c != '\\') {
            luaL_addchar(&b, (char)c);
            d->p++;
            continue;
        }
        if (d->end - d->p < 2)
            return decode_fail(d, "unterminated string");
        char esc = d->p[1];
        d->p += 2;
        switch (esc) {
        case '"': luaL_addchar(&b, '"'); break;
        case '\\': luaL_addchar(&b, '\\'); break;
        case '/': luaL_addchar(&b, '/'); break;
        case 'b': luaL_addchar(&b, '\b'); break;
        case 'f': luaL_addchar(&b, '\f'); break;
        case 'n': luaL_addchar(&b, '\n'); break;
        case 'r': luaL_addchar(&b, '\r'); break;
        case 't': luaL_addchar(&b, '\t'); break;
        case 'u': {
            unsigned long cp, low;
            if (d->end - d->p < 4 || !hex4(d->p, &cp))
                return decode_fail(d, "bad \\u escape");
            d->p += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return decode_fail(d, "lone low surrogate in a \\u escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (d->end - d->p < 6 || d->p[0] != '\\' || d->p[1] != 'u' || !hex4(d->p + 2, &low) ||
                    low < 0xDC00 || low > 0xDFFF)
                    return decode_fail(d, "lone high surrogate in a \\u escape");
                d->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            return decode_fail(d, "bad escape in a string");
        }
    }
    d->p++;
    luaL_pushresult(&b);
    return 0;
}

static int decode_number(ie_decoder *d) {
    const char *s = d->p, *q = s;
    int integral = 1;
    if (q < d->end && *q == '-')
        q++;
    if (q < d->end && *q == '0')
        q++;
    else if (q < d->end && *q >= '1' && *q <= '9')
        while (q < d->end && *q >= '0' && *q <= '9')
            q++;
    else
        return decode_fail(d, "bad number");
    if (q < d->end && *q == '.') {
        integral = 0;
        if (++q >= d->end || *q < '0' || *q > '9')
            return decode_fail(d, "bad number");
        while (q < d->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < d->end && (*q == 'e' || *q == 'E')) {
        integral = 0;
        q++;
        if (q < d->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= d->end || *q < '0' || *q > '9')
            return decode_fail(d, "bad number");
        while (q < d->end && *q >= '0' && *q <= '9')
            q++;
    }
    d->p = q;
#if IE_INTEGERS
    if (integral) { /* an integer that fits stays an integer; a larger one becomes a float */
        const char *r = s + (*s == '-');
        unsigned long long v = 0, limit = *s == '-' ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
        int fits = 1;
        for (; r < q; r++) {
            unsigned digit = (unsigned)(*r - '0');
            if (v > (limit - digit) / 10) {
                fits = 0;
                break;
            }
            v = v * 10 + digit;
        }
        if (fits) {
            lua_pushinteger(d->L, *s == '-' ? (lua_Integer)(0 - v) : (lua_Integer)v);
            return 0;
        }
    }
#else
    (void)integral;
#endif
    char tmp[400];
    size_t n = (size_t)(q - s);
    if (n >= sizeof tmp)
        return decode_fail(d, "number too long");
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char point = locale_point();
    if (point != '.') {
        char *dot = strchr(tmp, '.');
        if (dot != NULL)
            *dot = point;
    }
    lua_pushnumber(d->L, (lua_Number)strtod(tmp, NULL));
    return 0;
}

static int decode_literal(ie_decoder *d, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(d->end - d->p) < n || memcmp(d->p, word, n) != 0)
        return decode_fail(d, "unexpected character");
    d->p += n;
    return 0;
}

static int decode_container(ie_decoder *d, int object) {
    lua_State *L = d->L;
    if (++d->depth > IE_MAX_DEPTH)
        return decode_fail(d, "nested too deep");
    if (!lua_checkstack(L, 4))
        return decode_fail(d, "nested too deep for the Lua stack");
    d->p++;
    lua_newtable(L);
    int n = 0;
    skip_space(d);
    if (d->p < d->end && *d->p == (object ? '}' : ']')) {
        d->p++;
    } else {
        for (;;) {
            skip_space(d);
            if (object) {
                if (d->p >= d->end || *d->p != '"')
                    return decode_fail(d, "expected a member name");
                if (decode_string(d) != 0)
                    return -1;
                skip_space(d);
                if (d->p >= d->end || *d->p != ':')
                    return decode_fail(d, "expected ':'");
                d->p++;
            }
            if (decode_value(d) != 0)
                return -1;
            if (object)
                lua_rawset(L, -3);
            else
                lua_rawseti(L, -2, ++n);
            skip_space(d);
            if (d->p < d->end && *d->p == ',') {
                d->p++;
                continue;
            }
            if (d->p < d->end && *d->p == (object ? '}' : ']')) {
                d->p++;
                break;
            }
            return decode_fail(d, object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (!object) {
        lua_pushvalue(L, d->array_mt);
        lua_setmetatable(L, -2);
    }
    d->depth--;
    return 0;
}

static int decode_value(ie_decoder *d) {
    skip_space(d);
    if (d->p >= d->end)
        return decode_fail(d, "unexpected end");
    switch (*d->p) {
    case '{': return decode_container(d, 1);
    case '[': return decode_container(d, 0);
    case '"': return decode_string(d);
    case 't':
        if (decode_literal(d, "true") != 0)
            return -1;
        lua_pushboolean(d->L, 1);
        return 0;
    case 'f':
        if (decode_literal(d, "false") != 0)
            return -1;
        lua_pushboolean(d->L, 0);
        return 0;
    case 'n':
        if (decode_literal(d, "null") != 0)
            return -1;
        lua_pushlightuserdata(d->L, NULL);
        return 0;
    default: return decode_number(d);
    }
}

/* Pushes the value of the JSON text s (n bytes); on a syntax error pushes nothing and returns -1
 * with the reason in error. May raise for memory only. */
static int decode_json(lua_State *L, const char *s, size_t n, char *error, size_t errsize) {
    ie_decoder d;
    int top = lua_gettop(L);
    luaL_checkstack(L, 8, "iotevents: decoding");
    luaL_getmetatable(L, IE_ARRAY_MT);
    d.L = L;
    d.start = d.p = s;
    d.end = s + n;
    d.depth = 0;
    d.array_mt = lua_gettop(L);
    d.error[0] = '\0';
    int rc = decode_value(&d);
    if (rc == 0) {
        skip_space(&d);
        if (d.p != d.end)
            rc = decode_fail(&d, "trailing characters");
    }
    if (rc != 0) {
        lua_settop(L, top);
        snprintf(error, errsize, "%s", d.error);
        return -1;
    }
    lua_remove(L, d.array_mt);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Error values: tables {code, message, status, operation, ...} with a __tostring.
 * ------------------------------------------------------------------------------------------- */

/* The error code of each status: ie_status_codes (operations.h, generated). */

/* Pushes an error table of our own making (the module's own checks, not the library's). */
static void push_error(lua_State *L, int status, const char *operation, const char *fmt, ...) {
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, status > 0 && status <= IE_STATUS_MAX ? ie_status_codes[status] : "InternalFailureException");
    lua_setfield(L, -2, "code");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    if (operation != NULL) {
        lua_pushstring(L, operation);
        lua_setfield(L, -2, "operation");
    }
    luaL_getmetatable(L, IE_ERROR_MT);
    lua_setmetatable(L, -2);
}

/* Turns the decoded error document on top ({"__type", "message", ...}) into an error table,
 * keeping the members AWS adds (resourceId, resourceArn). */
static void make_error(lua_State *L, int status, const char *operation) {
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        push_error(L, status, operation, "%s", iotevents_strerror(status));
        return;
    }
    lua_getfield(L, -1, "__type");
    if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushstring(L, status > 0 && status <= IE_STATUS_MAX ? ie_status_codes[status] : "InternalFailureException");
    }
    lua_setfield(L, -2, "code");
    lua_pushnil(L);
    lua_setfield(L, -2, "__type");
    lua_getfield(L, -1, "message");
    if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushstring(L, iotevents_strerror(status));
        lua_setfield(L, -2, "message");
    } else {
        lua_pop(L, 1);
    }
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    if (operation != NULL) {
        lua_pushstring(L, operation);
        lua_setfield(L, -2, "operation");
    }
    luaL_getmetatable(L, IE_ERROR_MT);
    lua_setmetatable(L, -2);
}

static int error_tostring(lua_State *L) {
    lua_getfield(L, 1, "code");
    lua_getfield(L, 1, "message");
    lua_getfield(L, 1, "operation");
    if (lua_isstring(L, -1))
        lua_pushfstring(L, "%s: %s (%s)", lua_tostring(L, -3), lua_tostring(L, -2), lua_tostring(L, -1));
    else
        lua_pushfstring(L, "%s: %s", lua_tostring(L, -3), lua_tostring(L, -2));
    return 1;
}

/* The error value on top of the stack: raised, or returned as nil, err by the safe module. */
static int fail(lua_State *L, int safe) {
    if (!safe)
        return lua_error(L);
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

/* ---------------------------------------------------------------------------------------------
 * Engines
 * ------------------------------------------------------------------------------------------- */

typedef struct ie_action {
    struct ie_action *next;
    size_t len;
    char json[];
} ie_action;

typedef struct ie_engine {
    iotevents_engine *handle; /* NULL before open succeeded and after close */
    int safe;                 /* opened through iotevents.safe: methods return nil, err */
    int delivering;           /* the action queue is being delivered: nested calls only queue */
    int lock_ready;
    /* The queue the library's action handler fills. The handler may run on the library's timer
     * thread, so the queue is guarded by a mutex; Lua pops and delivers on the Lua thread. */
    pthread_mutex_t lock;
    ie_action *head, *tail;
    unsigned long queued, dropped;
    char *owned;    /* a library string not yet converted: freed by the next call, close or __gc */
    ie_buf request; /* the request being encoded; kept between calls to save allocations */
} ie_engine;

/* The library's action handler: copy and queue, nothing else (no Lua here, possibly another
 * thread). A copy that cannot be allocated is counted as dropped. */
static void queue_action(const char *action_json, void *payload) {
    ie_engine *e = payload;
    size_t len = strlen(action_json);
    ie_action *a = malloc(sizeof *a + len + 1);
    if (a != NULL) {
        a->next = NULL;
        a->len = len;
        memcpy(a->json, action_json, len + 1);
    }
    pthread_mutex_lock(&e->lock);
    if (a == NULL) {
        e->dropped++;
    } else {
        if (e->tail != NULL)
            e->tail->next = a;
        else
            e->head = a;
        e->tail = a;
        e->queued++;
    }
    pthread_mutex_unlock(&e->lock);
}

static void clear_queue(ie_engine *e) {
    pthread_mutex_lock(&e->lock);
    ie_action *a = e->head;
    e->head = e->tail = NULL;
    e->queued = 0;
    pthread_mutex_unlock(&e->lock);
    while (a != NULL) {
        ie_action *next = a->next;
        free(a);
        a = next;
    }
}

static void free_owned(ie_engine *e) {
    if (e->owned != NULL) {
        iotevents_free(e->owned);
        e->owned = NULL;
    }
}

/* Everything an engine holds, idempotent: close() and __gc. iotevents_close stops the timer
 * thread, so no handler can run once it has returned. */
static void release_engine(ie_engine *e) {
    if (e->handle != NULL) {
        iotevents_close(e->handle);
        e->handle = NULL;
    }
    free_owned(e);
    buf_free(&e->request);
    if (e->lock_ready) {
        clear_queue(e);
        pthread_mutex_destroy(&e->lock);
        e->lock_ready = 0;
    }
}

static ie_engine *check_engine(lua_State *L) {
    return luaL_checkudata(L, 1, IE_ENGINE_MT);
}

static ie_engine *check_open(lua_State *L) {
    ie_engine *e = check_engine(L);
    if (e->handle == NULL)
        luaL_error(L, "iotevents: the engine is closed");
    free_owned(e); /* left over from a conversion that ran out of memory */
    return e;
}

/* Runs in a protected call, one queued action: decode it, then unlink it, then call the
 * callback. Decoding first keeps the action queued (and freed later) if decoding raises. */
static int deliver_one(lua_State *L) {
    ie_engine *e = lua_touserdata(L, 1);
    char error[160];
    pthread_mutex_lock(&e->lock);
    ie_action *a = e->head;
    pthread_mutex_unlock(&e->lock);
    if (a == NULL)
        return 0;
    int bad = decode_json(L, a->json, a->len, error, sizeof error) != 0;
    pthread_mutex_lock(&e->lock);
    e->head = a->next;
    if (e->head == NULL)
        e->tail = NULL;
    e->queued--;
    pthread_mutex_unlock(&e->lock);
    free(a);
    if (bad) { /* never expected: the library writes well-formed JSON */
        push_error(L, IOTEVENTS_INTERNAL_FAILURE, NULL, "iotevents: cannot decode an action: %s", error);
        return lua_error(L);
    }
    ie_getuservalue(L, 1);
    lua_rawgeti(L, -1, 1);
    if (!lua_isfunction(L, -1))
        return 0; /* on_action(nil) happened meanwhile: dropped */
    lua_pushvalue(L, -3);
    lua_call(L, 1, 0);
    return 0;
}

/* Delivers every queued action, in order, to the engine's callback on this (the Lua) thread.
 * Returns the number delivered, or -1 with the callback's error on top of the stack; the
 * actions after the failing one stay queued for the next delivery. A call made from inside a
 * callback does not deliver itself: the delivery already running picks up what it queued. */
static int deliver(lua_State *L, ie_engine *e, int self) {
    if (e->delivering)
        return 0;
    e->delivering = 1;
    int n = 0;
    for (;;) {
        if (e->handle == NULL || !e->lock_ready)
            break; /* a callback closed the engine */
        pthread_mutex_lock(&e->lock);
        int empty = e->head == NULL;
        pthread_mutex_unlock(&e->lock);
        if (empty)
            break;
        /* deliver_one, kept in the user value: pushing a new C function allocates in 5.1, and
         * nothing between here and the protected call may raise with delivering set. */
        ie_getuservalue(L, self);
        lua_rawgeti(L, -1, 2);
        lua_remove(L, -2);
        lua_pushvalue(L, self);
        if (lua_pcall(L, 1, 0, 0) != IE_OK) {
            e->delivering = 0;
            return -1;
        }
        n++;
    }
    e->delivering = 0;
    return n;
}

static const ie_operation *find_operation(const char *name) {
    size_t lo = 0, hi = IE_OPERATION_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, ie_operations[mid].name);
        if (c == 0)
            return &ie_operations[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (size_t i = 0; i < IE_OPERATION_COUNT; i++) /* a method name works too */
        if (strcmp(name, ie_operations[i].method) == 0)
            return &ie_operations[i];
    return NULL;
}

/* The common tail of every engine call: the library has answered (status, e->owned). Converts
 * the answer (a table, or the JSON text when raw), frees it, delivers queued actions, then
 * returns the result or fails. Stack: the engine at index 1. */
static int finish_call(lua_State *L, ie_engine *e, int status, const char *operation, int raw) {
    char error[160];
    const char *text = e->owned != NULL ? e->owned : "{}";
    if (status == IOTEVENTS_OK && raw) {
        lua_pushstring(L, text);
    } else if (decode_json(L, text, strlen(text), error, sizeof error) != 0) {
        push_error(L, IOTEVENTS_INTERNAL_FAILURE, operation, "iotevents: cannot decode the response: %s", error);
        status = IOTEVENTS_INTERNAL_FAILURE;
    } else if (status != IOTEVENTS_OK) {
        make_error(L, status, operation);
    }
    free_owned(e);
    int result = lua_gettop(L);
    if (deliver(L, e, 1) < 0)
        return fail(L, e->safe);
    lua_settop(L, result);
    return status == IOTEVENTS_OK ? 1 : fail(L, e->safe);
}

/* Encodes the request at idx (nil = {}) and runs the operation. */
static int run_operation(lua_State *L, ie_engine *e, const char *name, const ie_operation *op, int idx) {
    char error[320];
    const char *json = "{}";
    if (!lua_isnoneornil(L, idx)) {
        luaL_checktype(L, idx, LUA_TTABLE);
        if (encode_json(L, idx, &e->request, op ? op->blob : NULL, op ? op->request : -1, error, sizeof error) != 0) {
            push_error(L, IOTEVENTS_INVALID_REQUEST, name, "cannot encode the request: %s", error);
            return fail(L, e->safe);
        }
        json = e->request.data;
    }
    char *response = NULL;
    int status = op != NULL ? op->entry(e->handle, json, &response) : iotevents_call(e->handle, name, json, &response);
    e->owned = response;
    if (e->request.cap > IE_KEEP_BUFFER)
        buf_free(&e->request); /* do not hold on to the memory of one huge request */
    return finish_call(L, e, status, op ? op->name : name, 0);
}

/* engine:<operation>([request]) -- upvalue 1: the index in ie_operations. */
static int engine_operation(lua_State *L) {
    ie_engine *e = check_open(L);
    const ie_operation *op = &ie_operations[lua_tointeger(L, lua_upvalueindex(1))];
    return run_operation(L, e, op->name, op, 2);
}

/* engine:call(operation, [request]) -- operation: the AWS name ("BatchPutMessage") or the
 * method name; an unknown name goes to the library, which answers UnsupportedOperation. */
static int engine_call(lua_State *L) {
    ie_engine *e = check_open(L);
    const char *name = luaL_checkstring(L, 2);
    return run_operation(L, e, name, find_operation(name), 3);
}

/* engine:call_raw(operation, json) -> the response's JSON text. */
static int engine_call_raw(lua_State *L) {
    ie_engine *e = check_open(L);
    const char *name = luaL_checkstring(L, 2);
    const char *json = luaL_checkstring(L, 3);
    const ie_operation *op = find_operation(name);
    char *response = NULL;
    int status = op != NULL ? op->entry(e->handle, json, &response) : iotevents_call(e->handle, name, json, &response);
    e->owned = response;
    return finish_call(L, e, status, op ? op->name : name, 1);
}

/* Epoch milliseconds from the argument at idx; none or nil = -1 (now). */
static int64_t check_millis(lua_State *L, int idx) {
    if (lua_isnoneornil(L, idx))
        return -1;
    luaL_checktype(L, idx, LUA_TNUMBER);
#if IE_INTEGERS
    if (lua_isinteger(L, idx))
        return (int64_t)lua_tointeger(L, idx);
#endif
    lua_Number d = lua_tonumber(L, idx);
    if (!(d == floor(d) && d > -9.2e18 && d < 9.2e18))
        luaL_argerror(L, idx, "epoch milliseconds must be an integral number");
    return (int64_t)d;
}

/* engine:tick([now_millis]) -> the number of expiries processed. */
static int engine_tick(lua_State *L) {
    ie_engine *e = check_open(L);
    int64_t now = check_millis(L, 2);
    int64_t fired = iotevents_tick(e->handle, now);
    lua_settop(L, 1);
    if (fired < 0)
        push_error(L, (int)-fired, "tick", "%s", iotevents_strerror((int)-fired));
    else
        ie_pushint64(L, fired);
    if (deliver(L, e, 1) < 0)
        return fail(L, e->safe);
    lua_settop(L, 2);
    return fired < 0 ? fail(L, e->safe) : 1;
}

/* engine:next_deadline() -> epoch milliseconds of the earliest expiry, or nil when none. */
static int engine_next_deadline(lua_State *L) {
    ie_engine *e = check_open(L);
    int64_t deadline = iotevents_next_deadline(e->handle);
    if (deadline < 0)
        lua_pushnil(L);
    else
        ie_pushint64(L, deadline);
    return 1;
}

/* engine:on_action(fn | nil). The library's handler is set only while there is a callback, so
 * an engine without one queues nothing. Removing it drops what is still queued. */
static int engine_on_action(lua_State *L) {
    ie_engine *e = check_open(L);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    ie_getuservalue(L, 1);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, 1);
    if (lua_isnil(L, 2)) {
        iotevents_set_action_handler(e->handle, NULL, NULL);
        clear_queue(e);
    } else {
        iotevents_set_action_handler(e->handle, queue_action, e);
    }
    return 0;
}

/* engine:deliver() -> the number of queued actions delivered now (those the timer thread
 * queued, or those left behind by a callback that raised). */
static int engine_deliver(lua_State *L) {
    ie_engine *e = check_open(L);
    lua_settop(L, 1);
    int n = deliver(L, e, 1);
    if (n < 0)
        return fail(L, e->safe);
    lua_pushinteger(L, n);
    return 1;
}

/* engine:pending() -> actions queued and not yet delivered, actions dropped for lack of memory. */
static int engine_pending(lua_State *L) {
    ie_engine *e = check_open(L);
    pthread_mutex_lock(&e->lock);
    unsigned long queued = e->queued, dropped = e->dropped;
    pthread_mutex_unlock(&e->lock);
    lua_pushinteger(L, (lua_Integer)queued);
    lua_pushinteger(L, (lua_Integer)dropped);
    return 2;
}

static int engine_close(lua_State *L) {
    release_engine(check_engine(L));
    return 0;
}

static int engine_is_closed(lua_State *L) {
    lua_pushboolean(L, check_engine(L)->handle == NULL);
    return 1;
}

static int engine_gc(lua_State *L) {
    release_engine(lua_touserdata(L, 1));
    return 0;
}

static int engine_tostring(lua_State *L) {
    ie_engine *e = check_engine(L);
    lua_pushfstring(L, "iotevents engine (%s): %p", e->handle ? "open" : "closed", (void *)e);
    return 1;
}

/* Config keys in snake_case become the library's camelCase (start_time_millis ->
 * startTimeMillis); camelCase keys pass unchanged. Applied to the top level and to limits. */
static void push_camel(lua_State *L, const char *key) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (const char *p = key; *p != '\0'; p++) {
        if (*p == '_' && p[1] != '\0' && p != key) {
            p++;
            luaL_addchar(&b, (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p));
        } else {
            luaL_addchar(&b, *p);
        }
    }
    luaL_pushresult(&b);
}

/* Pushes a copy of the table at idx with its string keys camelCased; NULL, or the message. */
static const char *push_config(lua_State *L, int idx, int level) {
    lua_newtable(L);
    int copy = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 2);
            return "a configuration key is not a string";
        }
        const char *key = lua_tostring(L, -2);
        push_camel(L, key);
        lua_pushvalue(L, -1);
        lua_rawget(L, copy);
        if (!lua_isnil(L, -1))
            return lua_pushfstring(L, "configuration key %s given twice (snake_case and camelCase)", key);
        lua_pop(L, 1);
        if (level == 0 && strcmp(lua_tostring(L, -1), "limits") == 0 && lua_istable(L, -2)) {
            const char *msg = push_config(L, lua_gettop(L) - 1, 1);
            if (msg != NULL)
                return msg;
        } else {
            lua_pushvalue(L, -2);
        }
        lua_rawset(L, copy);
        lua_pop(L, 1);
    }
    return NULL;
}

/* iotevents.open([config]) -> engine. Upvalue 1: true in iotevents.safe. */
static int module_open(lua_State *L) {
    int safe = lua_toboolean(L, lua_upvalueindex(1));
    char error[320];
    if (!lua_isnoneornil(L, 1))
        luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    ie_engine *e = lua_newuserdata(L, sizeof *e); /* index 2 */
    memset(e, 0, sizeof *e);
    e->safe = safe;
    luaL_getmetatable(L, IE_ENGINE_MT);
    lua_setmetatable(L, 2);
    lua_createtable(L, 2, 0); /* the user value: [1] = the action callback, [2] = deliver_one */
    lua_pushcfunction(L, deliver_one);
    lua_rawseti(L, -2, 2);
    ie_setuservalue(L, 2);
    if (pthread_mutex_init(&e->lock, NULL) != 0) {
        push_error(L, IOTEVENTS_INTERNAL_FAILURE, "open", "cannot create a mutex");
        return fail(L, safe);
    }
    e->lock_ready = 1;

    const char *config = NULL; /* NULL: every default */
    if (lua_istable(L, 1)) {
        const char *msg = push_config(L, 1, 0);
        if (msg != NULL) {
            push_error(L, IOTEVENTS_INVALID_REQUEST, "open", "%s", msg);
            return fail(L, safe);
        }
        if (encode_json(L, -1, &e->request, NULL, -1, error, sizeof error) != 0) {
            push_error(L, IOTEVENTS_INVALID_REQUEST, "open", "cannot encode the configuration: %s", error);
            return fail(L, safe);
        }
        config = e->request.data;
    }
    char *error_json = NULL;
    e->handle = iotevents_open(config, &error_json);
    e->owned = error_json;
    if (e->handle == NULL) {
        const char *text = error_json != NULL ? error_json : "{}";
        if (decode_json(L, text, strlen(text), error, sizeof error) != 0)
            lua_pushnil(L);
        free_owned(e);
        make_error(L, IOTEVENTS_INVALID_REQUEST, "open");
        return fail(L, safe);
    }
    free_owned(e);
    lua_settop(L, 2);
    return 1;
}

/* iotevents.encode(value [, operation]) -> JSON text, by the request rules (with the operation's
 * blob member base64-encoded and its empty lists [] when a name is given). The text is built in a buffer owned by a
 * userdata whose __gc frees it, so a memory error while making the Lua string leaks nothing. */
static int module_encode(lua_State *L) {
    int safe = lua_toboolean(L, lua_upvalueindex(1));
    char error[320];
    luaL_checkany(L, 1);
    const ie_operation *op = lua_type(L, 2) == LUA_TSTRING ? find_operation(lua_tostring(L, 2)) : NULL;
    lua_settop(L, 1);
    ie_buf *b = lua_newuserdata(L, sizeof *b);
    memset(b, 0, sizeof *b);
    luaL_getmetatable(L, IE_BUFFER_MT);
    lua_setmetatable(L, -2);
    if (encode_json(L, 1, b, op ? op->blob : NULL, op ? op->request : -1, error, sizeof error) != 0) {
        buf_free(b);
        push_error(L, IOTEVENTS_INVALID_REQUEST, NULL, "cannot encode: %s", error);
        return fail(L, safe);
    }
    lua_pushlstring(L, b->data, b->len - 1);
    buf_free(b);
    return 1;
}

static int buffer_gc(lua_State *L) {
    buf_free(lua_touserdata(L, 1));
    return 0;
}

/* iotevents.decode(json) -> value; objects plain tables, arrays iotevents.array tables. */
static int module_decode(lua_State *L) {
    int safe = lua_toboolean(L, lua_upvalueindex(1));
    char error[160];
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    if (decode_json(L, s, n, error, sizeof error) != 0) {
        push_error(L, IOTEVENTS_INVALID_REQUEST, NULL, "cannot decode: %s", error);
        return fail(L, safe);
    }
    return 1;
}

/* iotevents.array([t]) -> t, marked to encode as a JSON array (even when empty). */
static int module_array(lua_State *L) {
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_settop(L, 1);
    }
    luaL_getmetatable(L, IE_ARRAY_MT);
    lua_setmetatable(L, 1);
    return 1;
}

static const luaL_Reg engine_methods[] = {
    {"call", engine_call},
    {"call_raw", engine_call_raw},
    {"tick", engine_tick},
    {"next_deadline", engine_next_deadline},
    {"on_action", engine_on_action},
    {"deliver", engine_deliver},
    {"pending", engine_pending},
    {"close", engine_close},
    {"is_closed", engine_is_closed},
    {NULL, NULL},
};

static const luaL_Reg module_functions[] = {
    {"open", module_open},
    {"encode", module_encode},
    {"decode", module_decode},
    {"array", module_array},
    {NULL, NULL},
};

/* The metatables, once per Lua state (both modules share them). */
static void create_metatables(lua_State *L) {
    if (luaL_newmetatable(L, IE_ENGINE_MT)) {
        lua_newtable(L); /* __index: the methods */
        ie_setfuncs(L, engine_methods, 0);
        for (int i = 0; i < IE_OPERATION_COUNT; i++) {
            lua_pushinteger(L, i);
            lua_pushcclosure(L, engine_operation, 1);
            lua_setfield(L, -2, ie_operations[i].method);
        }
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, engine_gc);
        lua_setfield(L, -2, "__gc");
#if LUA_VERSION_NUM >= 504
        lua_pushcfunction(L, engine_gc);
        lua_setfield(L, -2, "__close");
#endif
        lua_pushcfunction(L, engine_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushliteral(L, "iotevents.engine");
        lua_setfield(L, -2, "__metatable"); /* getmetatable(engine) cannot swap the methods */
    }
    lua_pop(L, 1);
    luaL_newmetatable(L, IE_ARRAY_MT); /* empty: only its identity marks a table as an array */
    lua_pop(L, 1);
    if (luaL_newmetatable(L, IE_BUFFER_MT)) {
        lua_pushcfunction(L, buffer_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, IE_ERROR_MT)) {
        lua_pushcfunction(L, error_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
}

static int open_module(lua_State *L, int safe) {
    /* A library whose major (or, before 1.0, minor) version differs from this header's has
     * another ABI: refuse it at require time rather than misbehave later. */
    int loaded = iotevents_version_number();
    if (loaded / 1000000 != IOTEVENTS_VERSION_MAJOR ||
        (IOTEVENTS_VERSION_MAJOR == 0 && loaded / 1000 % 1000 != IOTEVENTS_VERSION_MINOR))
        return luaL_error(L, "iotevents: libiotevents %s is loaded, this module was built for %s",
                          iotevents_version_string(), IOTEVENTS_VERSION_STRING);
    create_metatables(L);
    lua_newtable(L);
    lua_pushboolean(L, safe);
    ie_setfuncs(L, module_functions, 1);
    lua_pushlightuserdata(L, NULL);
    lua_setfield(L, -2, "null");
    luaL_getmetatable(L, IE_ARRAY_MT);
    lua_setfield(L, -2, "array_mt");
    lua_pushstring(L, iotevents_version_string());
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, loaded);
    lua_setfield(L, -2, "version_number");
    lua_pushboolean(L, safe);
    lua_setfield(L, -2, "safe");
    lua_createtable(L, IE_OPERATION_COUNT, 0); /* operations: {name, method, service} */
    for (int i = 0; i < IE_OPERATION_COUNT; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, ie_operations[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, ie_operations[i].method);
        lua_setfield(L, -2, "method");
        lua_pushstring(L, ie_operations[i].service);
        lua_setfield(L, -2, "service");
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "operations");
    return 1;
}

/* Both entry points live in the one iotevents.so: require "iotevents.safe" finds
 * luaopen_iotevents_safe through iotevents/safe.so (a symlink) or Lua's all-in-one loader. */
#if defined(__GNUC__)
#define IE_EXPORT __attribute__((visibility("default")))
#else
#define IE_EXPORT
#endif

IE_EXPORT int luaopen_iotevents(lua_State *L);
IE_EXPORT int luaopen_iotevents_safe(lua_State *L);

int luaopen_iotevents(lua_State *L) {
    return open_module(L, 0);
}

int luaopen_iotevents_safe(lua_State *L) {
    return open_module(L, 1);
}
