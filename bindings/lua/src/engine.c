/*
 * engine.c -- the engine userdata: the queue of actions the library's handler fills and their
 * delivery to the Lua callback, the operations (engine:<operation>, call, call_raw), tick,
 * next_deadline, on_action, on_log, counters, deliver, pending, close and __gc, and the engine
 * metatable. Log records ride in the same queue as actions (tagged), so a call's records are
 * delivered before its actions, in the order the library handed them over.
 */
#include "binding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "operations.h"

/* An engine keeps its request buffer between calls up to this size. */
#define IE_KEEP_BUFFER (64 * 1024)

/* Where a queued document goes: the user value's slot of its callback. */
#define IE_ACTION_CALLBACK 1
#define IE_LOG_CALLBACK 3

typedef struct ie_action {
    struct ie_action *next;
    size_t len;
    int callback; /* IE_ACTION_CALLBACK or IE_LOG_CALLBACK */
    char json[];
} ie_action;

/* The library's handlers: copy and queue, nothing else (no Lua here, possibly another
 * thread). A copy that cannot be allocated is counted as dropped. */
static void queue_document(const char *json, void *payload, int callback) {
    ie_engine *e = payload;
    size_t len = strlen(json);
    ie_action *a = malloc(sizeof *a + len + 1);
    if (a != NULL) {
        a->next = NULL;
        a->len = len;
        a->callback = callback;
        memcpy(a->json, json, len + 1);
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

static void queue_action(const char *action_json, void *payload) {
    queue_document(action_json, payload, IE_ACTION_CALLBACK);
}

static void queue_log(const char *log_json, void *payload) {
    queue_document(log_json, payload, IE_LOG_CALLBACK);
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

void ie_free_owned(ie_engine *e) {
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
    ie_free_owned(e);
    ie_buf_free(&e->request);
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
    ie_free_owned(e); /* left over from a conversion that ran out of memory */
    return e;
}

/* Runs in a protected call, one queued action: decode it, then unlink it, then call the
 * callback. Decoding first keeps the action queued (and freed later) if decoding raises. */
int ie_deliver_one(lua_State *L) {
    ie_engine *e = lua_touserdata(L, 1);
    char error[160];
    pthread_mutex_lock(&e->lock);
    ie_action *a = e->head;
    pthread_mutex_unlock(&e->lock);
    if (a == NULL)
        return 0;
    int bad = ie_decode_json(L, a->json, a->len, error, sizeof error) != 0;
    pthread_mutex_lock(&e->lock);
    e->head = a->next;
    if (e->head == NULL)
        e->tail = NULL;
    e->queued--;
    pthread_mutex_unlock(&e->lock);
    int callback = a->callback;
    free(a);
    if (bad) { /* never expected: the library writes well-formed JSON */
        ie_push_error(L, IOTEVENTS_INTERNAL_FAILURE, NULL, "iotevents: cannot decode an action: %s", error);
        return lua_error(L);
    }
    ie_getuservalue(L, 1);
    lua_rawgeti(L, -1, callback);
    if (!lua_isfunction(L, -1))
        return 0; /* on_action(nil) or on_log(nil) happened meanwhile: dropped */
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
        /* ie_deliver_one, kept in the user value: pushing a new C function allocates in 5.1, and
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

const ie_operation *ie_find_operation(const char *name) {
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
    } else if (ie_decode_json(L, text, strlen(text), error, sizeof error) != 0) {
        ie_push_error(L, IOTEVENTS_INTERNAL_FAILURE, operation, "iotevents: cannot decode the response: %s", error);
        status = IOTEVENTS_INTERNAL_FAILURE;
    } else if (status != IOTEVENTS_OK) {
        ie_make_error(L, status, operation);
    }
    ie_free_owned(e);
    int result = lua_gettop(L);
    if (deliver(L, e, 1) < 0)
        return ie_fail(L, e->safe);
    lua_settop(L, result);
    return status == IOTEVENTS_OK ? 1 : ie_fail(L, e->safe);
}

/* Encodes the request at idx (nil = {}) and runs the operation. */
static int run_operation(lua_State *L, ie_engine *e, const char *name, const ie_operation *op, int idx) {
    char error[320];
    const char *json = "{}";
    if (!lua_isnoneornil(L, idx)) {
        luaL_checktype(L, idx, LUA_TTABLE);
        if (ie_encode_json(L, idx, &e->request, op ? op->blob : NULL, op ? op->request : -1, error, sizeof error) != 0) {
            ie_push_error(L, IOTEVENTS_INVALID_REQUEST, name, "cannot encode the request: %s", error);
            return ie_fail(L, e->safe);
        }
        json = e->request.data;
    }
    char *response = NULL;
    int status = op != NULL ? op->entry(e->handle, json, &response) : iotevents_call(e->handle, name, json, &response);
    e->owned = response;
    if (e->request.cap > IE_KEEP_BUFFER)
        ie_buf_free(&e->request); /* do not hold on to the memory of one huge request */
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
    return run_operation(L, e, name, ie_find_operation(name), 3);
}

/* engine:call_raw(operation, json) -> the response's JSON text. */
static int engine_call_raw(lua_State *L) {
    ie_engine *e = check_open(L);
    const char *name = luaL_checkstring(L, 2);
    const char *json = luaL_checkstring(L, 3);
    const ie_operation *op = ie_find_operation(name);
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
        ie_push_error(L, (int)-fired, "tick", "%s", iotevents_strerror((int)-fired));
    else
        ie_pushint64(L, fired);
    if (deliver(L, e, 1) < 0)
        return ie_fail(L, e->safe);
    lua_settop(L, 2);
    return fired < 0 ? ie_fail(L, e->safe) : 1;
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

/* engine:on_action(fn) and engine:on_log(fn): the callback (a function or nil) kept in the
 * user value's slot; returns the engine, the callback at index 2. */
static ie_engine *store_callback(lua_State *L, int slot) {
    ie_engine *e = check_open(L);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    ie_getuservalue(L, 1);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, slot);
    return e;
}

/* engine:on_action(fn | nil). The library's handler is set only while there is a callback, so
 * an engine without one queues nothing. Removing it drops what is still queued. */
static int engine_on_action(lua_State *L) {
    ie_engine *e = store_callback(L, IE_ACTION_CALLBACK);
    if (lua_isnil(L, 2)) {
        iotevents_set_action_handler(e->handle, NULL, NULL);
        clear_queue(e);
    } else {
        iotevents_set_action_handler(e->handle, queue_action, e);
    }
    return 0;
}

/* engine:on_log(fn | nil): fn(record) for every log record the logging options ask for
 * (PutLoggingOptions), queued and delivered like actions. With no callback the library's log
 * handler is removed, and the engine writes no records. Removing it drops no queued actions:
 * queued records are dropped when delivered. */
static int engine_on_log(lua_State *L) {
    ie_engine *e = store_callback(L, IE_LOG_CALLBACK);
    iotevents_set_log_handler(e->handle, lua_isnil(L, 2) ? NULL : queue_log, lua_isnil(L, 2) ? NULL : e);
    return 0;
}

/* engine:counters() -> the engine's counters (iotevents_counters) as a table. */
static int engine_counters(lua_State *L) {
    ie_engine *e = check_open(L);
    lua_settop(L, 1);
    int status = iotevents_counters(e->handle, &e->owned);
    return finish_call(L, e, status, "counters", 0);
}

/* engine:deliver() -> the number of queued actions delivered now (those the timer thread
 * queued, or those left behind by a callback that raised). */
static int engine_deliver(lua_State *L) {
    ie_engine *e = check_open(L);
    lua_settop(L, 1);
    int n = deliver(L, e, 1);
    if (n < 0)
        return ie_fail(L, e->safe);
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

static const luaL_Reg engine_methods[] = {
    {"call", engine_call},
    {"call_raw", engine_call_raw},
    {"tick", engine_tick},
    {"next_deadline", engine_next_deadline},
    {"on_action", engine_on_action},
    {"on_log", engine_on_log},
    {"counters", engine_counters},
    {"deliver", engine_deliver},
    {"pending", engine_pending},
    {"close", engine_close},
    {"is_closed", engine_is_closed},
    {NULL, NULL},
};

/* The engine metatable, once per Lua state: its __index holds the methods and one method per
 * operation (create_metatables, module.c). */
void ie_engine_metatable(lua_State *L) {
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
}

/* Pushes the list iotevents.operations: {name, method, service} for every operation. */
void ie_push_operations(lua_State *L) {
    lua_createtable(L, IE_OPERATION_COUNT, 0);
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
}
