#!/usr/bin/env python3
"""riscv-float-abi.py IN.a OUT.a: a copy of an ar archive of RISC-V ELF objects, each marked with
the double-float ABI (e_flags 0x5: RVC, lp64d) instead of soft-float (0x1). The prebuilt
riscv64-none-none-eabi Embedded Unicode tables are soft-float and ld refuses to link them beside
Linux's lp64d objects; the library calls only their integer-only functions (mk/cross.mk)."""
import struct
import sys

source, target = sys.argv[1], sys.argv[2]
data = bytearray(open(source, "rb").read())
if data[:8] != b"!<arch>\n":
    sys.exit(f"{source}: not an ar archive")
offset = 8
while offset + 60 <= len(data):
    size = int(data[offset + 48:offset + 58].decode().strip())
    member = offset + 60
    if data[member:member + 4] == b"\x7fELF":
        if data[member + 4] != 2 or struct.unpack_from("<H", data, member + 18)[0] != 243:  # ELFCLASS64, EM_RISCV
            sys.exit(f"{source}: a member is not a 64-bit RISC-V object")
        flags_at = member + 48  # e_flags in a 64-bit ELF header
        flags = struct.unpack_from("<I", data, flags_at)[0]
        if flags & 0x6 not in (0x0, 0x4):  # float ABI: soft (0) or already double (4)
            sys.exit(f"{source}: unexpected float ABI in e_flags {flags:#x}")
        struct.pack_into("<I", data, flags_at, (flags & ~0x6) | 0x4)
    offset = member + size + (size & 1)
open(target, "wb").write(data)
