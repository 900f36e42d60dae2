/* jansson for Swift. jansson's type tests and refcount helpers are C macros or static inline
 * functions Swift cannot always import; these wrappers give them plain names. The core never
 * imports this module: JSON stays in the API layer. */
#ifndef IOTEVENTS_CJANSSON_SHIM_H
#define IOTEVENTS_CJANSSON_SHIM_H

#include <jansson.h>
#include <stddef.h>

static inline int ie_json_typeof(const json_t *j) { return j ? (int)json_typeof(j) : -1; }
static inline int ie_json_is_object(const json_t *j) { return json_is_object(j); }
static inline int ie_json_is_array(const json_t *j) { return json_is_array(j); }
static inline int ie_json_is_string(const json_t *j) { return json_is_string(j); }
static inline int ie_json_is_integer(const json_t *j) { return json_is_integer(j); }
static inline int ie_json_is_real(const json_t *j) { return json_is_real(j); }
static inline int ie_json_is_number(const json_t *j) { return json_is_number(j); }
static inline int ie_json_is_boolean(const json_t *j) { return json_is_boolean(j); }
static inline int ie_json_is_true(const json_t *j) { return json_is_true(j); }
static inline int ie_json_is_null(const json_t *j) { return json_is_null(j); }
static inline json_t *ie_json_incref(json_t *j) { return json_incref(j); }
static inline void ie_json_decref(json_t *j) { json_decref(j); }
/* json_object_set_new & co. are real functions; these avoid importing the *_nocheck variants. */
static inline int ie_json_object_set_new(json_t *o, const char *k, json_t *v) { return json_object_set_new(o, k, v); }
static inline int ie_json_array_append_new(json_t *a, json_t *v) { return json_array_append_new(a, v); }
/* Flags as size_t: JSON_COMPACT & co. import as Int32 while json_dumps takes size_t. */
static inline size_t ie_json_dump_flags(int precision) {
    return (size_t)(JSON_COMPACT | JSON_REAL_PRECISION(precision));
}
/* JSON_ENCODE_ANY: lets json_dumpb print a lone scalar (CompactJSONSize measures reals so). */
static inline size_t ie_json_encode_any_flag(void) { return (size_t)JSON_ENCODE_ANY; }
/* jansson refuses integers beyond json_int_t; the caller then widens them to reals (§1.2). */
static inline int ie_json_error_is_numeric_overflow(const json_error_t *e) { return json_error_code(e) == json_error_numeric_overflow; }
/* Strict first: jansson refuses \u0000 by itself, which costs nothing when there is none. Only
   then is the text parsed again allowing it, so that NulCharacters (IoTEventsAPI) can refuse it
   naming the member. */
static inline size_t ie_json_load_flags(int allow_nul) {
    return (size_t)(JSON_REJECT_DUPLICATES | (allow_nul ? JSON_ALLOW_NUL : 0));
}
static inline int ie_json_error_is_null_character(const json_error_t *e) { return json_error_code(e) == json_error_null_character; }

#endif
