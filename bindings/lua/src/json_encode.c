/*
 * json_encode.c -- the encoder: a Lua value -> JSON text in an ie_buf. It never raises: on
 * failure it returns -1 with a message naming the path of the offending value (Lua's 1-based
 * indices: messages[1].payload). An operation's request shape (operations.h) makes an empty
 * table a list where the request has one; its blob member's strings are base64-encoded.
 */
#include "binding.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "operations.h"

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

static void put_base64(ie_buf *b, const unsigned char *s, size_t n) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n > (SIZE_MAX / 4) * 3 - 3 || !ie_buf_reserve(b, (n + 2) / 3 * 4)) {
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
    ie_buf_char(b, '"');
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
        ie_buf_add(b, s + run, i - run);
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
        ie_buf_add(b, esc, elen);
        run = ++i;
    }
    ie_buf_add(b, s + run, n - run);
    ie_buf_char(b, '"');
    return 0;
}

static int encode_number(ie_encoder *e, int idx) {
    char tmp[64];
    int n;
#if IE_INTEGERS
    if (lua_isinteger(e->L, idx)) {
        n = snprintf(tmp, sizeof tmp, "%lld", (long long)lua_tointeger(e->L, idx));
        ie_buf_add(e->out, tmp, (size_t)n);
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
        ie_buf_add(e->out, tmp, (size_t)n);
        return 0;
    }
#endif
    n = ie_format_double(tmp, sizeof tmp - 2, d);
#if IE_INTEGERS
    /* A float stays a float (10.0 is a Decimal in IoT Events expressions, 10 an Integer). */
    if (strpbrk(tmp, ".eE") == NULL) {
        memcpy(tmp + n, ".0", 3);
        n += 2;
    }
#endif
    ie_buf_add(e->out, tmp, (size_t)n);
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
        ie_format_double(num, sizeof num, (double)lua_tonumber(L, keyidx));
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
    ie_buf_char(e->out, '{');
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
            ie_buf_char(e->out, ',');
        first = 0;
        ie_step *step = &e->path[e->depth];
        step->key = key;
        step->keylen = keylen;
        e->depth++;
        if (encode_string(e, key, keylen) != 0)
            return -1;
        ie_buf_char(e->out, ':');
        if (encode_value(e, lua_gettop(L), blob_child(e, blob_match, key, keylen), shape_child(shape, key, keylen)) != 0)
            return -1;
        e->depth--;
        lua_pop(L, 1);
    }
    ie_buf_char(e->out, '}');
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
    ie_buf_char(e->out, '[');
    for (i = 1; i <= count; i++) {
        if (i > 1)
            ie_buf_char(e->out, ',');
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
    ie_buf_char(e->out, ']');
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
        ie_buf_add(e->out, marked || list ? "[]" : "{}", 2);
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
            ie_buf_add(e->out, "true", 4);
        else
            ie_buf_add(e->out, "false", 5);
        return 0;
    case LUA_TNUMBER:
        return encode_number(e, idx);
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        if (blob_match >= 0 && e->blob != NULL && e->blob[blob_match] == NULL) {
            ie_buf_char(e->out, '"');
            put_base64(e->out, (const unsigned char *)s, n);
            ie_buf_char(e->out, '"');
            return 0;
        }
        return encode_string(e, s, n);
    }
    case LUA_TTABLE:
        return encode_table(e, idx, blob_match, shape);
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == NULL) { /* iotevents.null */
            ie_buf_add(e->out, "null", 4);
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
int ie_encode_json(lua_State *L, int idx, ie_buf *out, const char *const *blob, int shape, char *error, size_t errsize) {
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
    ie_buf_char(out, '\0');
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
