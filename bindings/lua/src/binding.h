/*
 * binding.h -- what the files of the Lua module share. The module binds libiotevents for Lua
 * 5.1, 5.2, 5.3, 5.4 and LuaJIT (the 5.1 build also loads in LuaJIT):
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
 * The files: compat.h (Lua versions), buffer.c/.h (the encoder's byte buffer), number.c
 * (numbers whatever the C locale), json_encode.c, json_decode.c, errors.c (error values),
 * engine.c (the engine userdata), config.c (open's configuration), module.c (the module and its
 * luaopen_ entry points, the only symbols the module exports). operations.h is generated.
 * Every source includes this header first.
 *
 * See bindings/lua/README.md for the table rules, the callbacks and threads.
 */
#ifndef IOTEVENTS_LUA_BINDING_H
#define IOTEVENTS_LUA_BINDING_H

#define _POSIX_C_SOURCE 200809L

#include <lua.h>
#include <lauxlib.h>

#include <iotevents.h>

#include <pthread.h>
#include <stddef.h>

#include "buffer.h"
#include "compat.h"

/* Names in the registry */
#define IE_ENGINE_MT "iotevents.engine"
#define IE_ARRAY_MT "iotevents.array"
#define IE_ERROR_MT "iotevents.error"
#define IE_BUFFER_MT "iotevents.buffer"

/* Deeper tables than this are refused with an error, in both directions: the converters
 * recurse on the C stack, and the library's own default (limits.maxJsonDepth) is 64. */
#define IE_MAX_DEPTH 256

/* The engine userdata: module.c's open makes it, engine.c holds its methods. */
typedef struct ie_engine {
    iotevents_engine *handle; /* NULL before open succeeded and after close */
    int safe;                 /* opened through iotevents.safe: methods return nil, err */
    int delivering;           /* the action queue is being delivered: nested calls only queue */
    int lock_ready;
    /* The queue the library's action handler fills. The handler may run on the library's timer
     * thread, so the queue is guarded by a mutex; Lua pops and delivers on the Lua thread. */
    pthread_mutex_t lock;
    struct ie_action *head, *tail;
    unsigned long queued, dropped;
    char *owned;    /* a library string not yet converted: freed by the next call, close or __gc */
    ie_buf request; /* the request being encoded; kept between calls to save allocations */
} ie_engine;

struct ie_operation; /* operations.h */

/* Shared between the files, hidden: the module exports its two luaopen_ functions only. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* number.c */
char ie_locale_point(void); /* the C locale's decimal point, as strtod reads it */
int ie_format_double(char *out, size_t size, double d);

/* json_encode.c: the value at idx as JSON in out (NUL-terminated); blob and shape from the
 * operation (NULL, -1: none). 0, or -1 with the reason in error. Never raises. */
int ie_encode_json(lua_State *L, int idx, ie_buf *out, const char *const *blob, int shape, char *error, size_t errsize);

/* json_decode.c: pushes the value of the JSON text s; 0, or -1 with the reason in error (and
 * nothing pushed). May raise for memory only. */
int ie_decode_json(lua_State *L, const char *s, size_t n, char *error, size_t errsize);

/* errors.c */
void ie_push_error(lua_State *L, int status, const char *operation, const char *fmt, ...);
void ie_make_error(lua_State *L, int status, const char *operation);
int ie_error_tostring(lua_State *L);
int ie_fail(lua_State *L, int safe);

/* engine.c */
int ie_deliver_one(lua_State *L);
void ie_free_owned(ie_engine *e);
const struct ie_operation *ie_find_operation(const char *name);
void ie_engine_metatable(lua_State *L);
void ie_push_operations(lua_State *L);

/* config.c */
const char *ie_push_config(lua_State *L, int idx, int level);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* IOTEVENTS_LUA_BINDING_H */
