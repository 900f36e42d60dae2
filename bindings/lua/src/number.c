/*
 * number.c -- numbers, independent of the C locale (a host may have called os.setlocale): the
 * decimal point the C library reads and writes, and doubles written with '.'.
 */
#include "binding.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

char ie_locale_point(void) {
    const char *p = localeconv()->decimal_point;
    return (p != NULL && p[0] != '\0') ? p[0] : '.';
}

/* The shortest of %.15g and %.17g that reads back as d, with '.' as the decimal point. */
int ie_format_double(char *out, size_t size, double d) {
    int n = snprintf(out, size, "%.15g", d);
    if (strtod(out, NULL) != d)
        n = snprintf(out, size, "%.17g", d);
    char point = ie_locale_point();
    if (point != '.')
        for (char *p = out; *p != '\0'; p++)
            if (*p == point)
                *p = '.';
    return n;
}
