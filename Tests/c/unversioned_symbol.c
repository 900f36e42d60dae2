/* What json-c looks like to a loader that ignores symbol versions (musl, OpenWrt): an
 * *unversioned* json_object_get in the global scope. json-c's own function returns its argument
 * (after taking a reference); this one does the same. glibc binds a versioned reference to an
 * unversioned definition, so a library that resolved jansson's json_object_get dynamically would
 * call this one and read members wrongly. The private, hidden jansson never looks it up. */
void *json_object_get(void *object);
void *json_object_get(void *object) { return object; }
