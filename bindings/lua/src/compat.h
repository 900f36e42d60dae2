/*
 * compat.h -- the parts of the Lua 5.2+ C API the module uses, written for 5.1 (and so LuaJIT),
 * and whether numbers have an integer subtype (5.3+).
 */
#ifndef IOTEVENTS_LUA_COMPAT_H
#define IOTEVENTS_LUA_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

#include <stdint.h>

#if LUA_VERSION_NUM < 502
#define ie_rawlen(L, i) lua_objlen(L, i)
/* A 5.1 userdata's environment table plays the part of the 5.2+ user value. */
#define ie_setuservalue(L, i) lua_setfenv(L, i)
#define ie_getuservalue(L, i) lua_getfenv(L, i)
#define IE_OK 0

static inline void ie_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
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

static inline void ie_pushint64(lua_State *L, int64_t v) {
#if IE_INTEGERS
    lua_pushinteger(L, (lua_Integer)v);
#else
    lua_pushnumber(L, (lua_Number)v);
#endif
}

#endif /* IOTEVENTS_LUA_COMPAT_H */
