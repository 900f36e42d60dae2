/*
 * module.c -- the module: iotevents.open, encode, decode and array, the metatables, and the
 * entry points luaopen_iotevents and luaopen_iotevents_safe. binding.h says what the module
 * is and the rules every file of it keeps.
 */
#include "binding.h"

#include <string.h>

#include "operations.h"

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
    lua_createtable(L, 3, 0); /* the user value: [1] = the action callback, [2] = ie_deliver_one, [3] = the log callback */
    lua_pushcfunction(L, ie_deliver_one);
    lua_rawseti(L, -2, 2);
    ie_setuservalue(L, 2);
    if (pthread_mutex_init(&e->lock, NULL) != 0) {
        ie_push_error(L, IOTEVENTS_INTERNAL_FAILURE, "open", "cannot create a mutex");
        return ie_fail(L, safe);
    }
    e->lock_ready = 1;

    const char *config = NULL; /* NULL: every default */
    if (lua_istable(L, 1)) {
        const char *msg = ie_push_config(L, 1, 0);
        if (msg != NULL) {
            ie_push_error(L, IOTEVENTS_INVALID_REQUEST, "open", "%s", msg);
            return ie_fail(L, safe);
        }
        if (ie_encode_json(L, -1, &e->request, NULL, -1, error, sizeof error) != 0) {
            ie_push_error(L, IOTEVENTS_INVALID_REQUEST, "open", "cannot encode the configuration: %s", error);
            return ie_fail(L, safe);
        }
        config = e->request.data;
    }
    char *error_json = NULL;
    e->handle = iotevents_open(config, &error_json);
    e->owned = error_json;
    if (e->handle == NULL) {
        const char *text = error_json != NULL ? error_json : "{}";
        if (ie_decode_json(L, text, strlen(text), error, sizeof error) != 0)
            lua_pushnil(L);
        ie_free_owned(e);
        ie_make_error(L, IOTEVENTS_INVALID_REQUEST, "open");
        return ie_fail(L, safe);
    }
    ie_free_owned(e);
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
    const ie_operation *op = lua_type(L, 2) == LUA_TSTRING ? ie_find_operation(lua_tostring(L, 2)) : NULL;
    lua_settop(L, 1);
    ie_buf *b = lua_newuserdata(L, sizeof *b);
    memset(b, 0, sizeof *b);
    luaL_getmetatable(L, IE_BUFFER_MT);
    lua_setmetatable(L, -2);
    if (ie_encode_json(L, 1, b, op ? op->blob : NULL, op ? op->request : -1, error, sizeof error) != 0) {
        ie_buf_free(b);
        ie_push_error(L, IOTEVENTS_INVALID_REQUEST, NULL, "cannot encode: %s", error);
        return ie_fail(L, safe);
    }
    lua_pushlstring(L, b->data, b->len - 1);
    ie_buf_free(b);
    return 1;
}

static int buffer_gc(lua_State *L) {
    ie_buf_free(lua_touserdata(L, 1));
    return 0;
}

/* iotevents.decode(json) -> value; objects plain tables, arrays iotevents.array tables. */
static int module_decode(lua_State *L) {
    int safe = lua_toboolean(L, lua_upvalueindex(1));
    char error[160];
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    if (ie_decode_json(L, s, n, error, sizeof error) != 0) {
        ie_push_error(L, IOTEVENTS_INVALID_REQUEST, NULL, "cannot decode: %s", error);
        return ie_fail(L, safe);
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

static const luaL_Reg module_functions[] = {
    {"open", module_open},
    {"encode", module_encode},
    {"decode", module_decode},
    {"array", module_array},
    {NULL, NULL},
};

/* The metatables, once per Lua state (both modules share them). */
static void create_metatables(lua_State *L) {
    ie_engine_metatable(L);
    luaL_newmetatable(L, IE_ARRAY_MT); /* empty: only its identity marks a table as an array */
    lua_pop(L, 1);
    if (luaL_newmetatable(L, IE_BUFFER_MT)) {
        lua_pushcfunction(L, buffer_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, IE_ERROR_MT)) {
        lua_pushcfunction(L, ie_error_tostring);
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
    ie_push_operations(L);
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
