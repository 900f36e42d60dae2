/*
 * errors.c -- error values: tables {code, message, status, operation, ...} with a __tostring,
 * made by the module's own checks or from the library's error documents, and how a function
 * fails with one (raised, or nil, err in iotevents.safe).
 */
#include "binding.h"

#include <stdarg.h>
#include <stdio.h>

#include "operations.h" /* ie_status_codes: the error code of each status (generated) */

/* The error code a status stands for (a status the table does not know is an internal failure). */
static const char *status_code(int status) {
    return status > 0 && status <= IE_STATUS_MAX ? ie_status_codes[status] : "InternalFailureException";
}

/* Completes the error table on top: its status, the operation (when known), the metatable. */
static void finish_error(lua_State *L, int status, const char *operation) {
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    if (operation != NULL) {
        lua_pushstring(L, operation);
        lua_setfield(L, -2, "operation");
    }
    luaL_getmetatable(L, IE_ERROR_MT);
    lua_setmetatable(L, -2);
}

/* Pushes an error table of our own making (the module's own checks, not the library's). */
void ie_push_error(lua_State *L, int status, const char *operation, const char *fmt, ...) {
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, status_code(status));
    lua_setfield(L, -2, "code");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    finish_error(L, status, operation);
}

/* Turns the decoded error document on top ({"__type", "message", ...}) into an error table,
 * keeping the members AWS adds (resourceId, resourceArn). */
void ie_make_error(lua_State *L, int status, const char *operation) {
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        ie_push_error(L, status, operation, "%s", iotevents_strerror(status));
        return;
    }
    lua_getfield(L, -1, "__type");
    if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushstring(L, status_code(status));
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
    finish_error(L, status, operation);
}

int ie_error_tostring(lua_State *L) {
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
int ie_fail(lua_State *L, int safe) {
    if (!safe)
        return lua_error(L);
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}
