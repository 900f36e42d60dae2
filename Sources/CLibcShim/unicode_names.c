/* The standard profile's link sends the Swift stdlib's one call of _swift_stdlib_getScalarName
 * here (Package.swift: --wrap=_swift_stdlib_getScalarName). The static stdlib's code is a single
 * .text section, so --gc-sections keeps everything it references, and that function is what holds
 * the Unicode name tables (_swift_stdlib_names, _names_scalars, _words, _word_indices,
 * _names_scalar_sets: 553 KB of the stripped library). Only Unicode.Scalar.Properties.name and
 * nameAlias read it, and this library asks neither (nor Regex's \N{...}); 0 is the table's own
 * answer for "no name", so such a call would give nil instead of a name. The small profile does
 * not wrap it: there --gc-sections drops this function. */
#include <stdint.h>

__attribute__((visibility("hidden")))
intptr_t __wrap__swift_stdlib_getScalarName(uint32_t scalar, uint8_t *buffer, intptr_t capacity) {
    (void)scalar;
    (void)buffer;
    (void)capacity;
    return 0;
}
