/*
 * config.c -- the configuration table of iotevents.open: a copy with its snake_case keys
 * camelCased, as the library's JSON configuration names them.
 */
#include "binding.h"

#include <string.h>

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
const char *ie_push_config(lua_State *L, int idx, int level) {
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
            const char *msg = ie_push_config(L, lua_gettop(L) - 1, 1);
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
