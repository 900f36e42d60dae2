/* Reading whole files in the C test and bench programs: one copy of the code they all need. */
#ifndef IOTEVENTS_TEST_FILES_H
#define IOTEVENTS_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>

/* The contents of `path`, NUL-terminated, malloc'd (free it); its length in *size when size is
 * not NULL. NULL when the file cannot be read. */
static inline char *test_read_path(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1)) != NULL) {
        if (fread(data, 1, (size_t)n, f) == (size_t)n) {
            data[n] = '\0';
            if (size) *size = (size_t)n;
        } else {
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    return data;
}

/* The contents of dir/name, as test_read_path gives them; exits the program (status 2) when the
 * file cannot be read, since a test without its fixture cannot say anything. */
static inline char *test_read_file(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = test_read_path(path, NULL);
    if (!data) { perror(path); exit(2); }
    return data;
}

#endif
