/*
 * json_decode.c -- the decoder: JSON text -> Lua values. Objects become plain tables, arrays
 * tables with the iotevents.array metatable (so an empty array stays an array when sent back),
 * null iotevents.null. It may raise (out of memory): callers keep the text owned elsewhere.
 */
#include "binding.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends code point cp (at most U+10FFFF, from a \u escape) to b as UTF-8. */
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
    char point = ie_locale_point();
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
int ie_decode_json(lua_State *L, const char *s, size_t n, char *error, size_t errsize) {
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
