/* A host process like OpenWrt's ubus/rpcd: it links json-c and exports its symbols (-rdynamic),
 * among them json_object_get, a name jansson also uses. The library's private, hidden jansson
 * must be immune: the same case transcripts must come out. */
#include <json-c/json.h>
#include <stdio.h>

int harness_main(int argc, char **argv);

int main(int argc, char **argv) {
    /* Use json-c for real, so that it is loaded and its symbols are in the global scope. */
    json_object *o = json_tokener_parse("{\"host\":\"json-c\"}");
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, "host", &v)) {
        fprintf(stderr, "json-c did not work in the host\n");
        return 2;
    }
    json_object_put(o);
    return harness_main(argc, argv);
}
