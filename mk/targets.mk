# The cross targets of the small profile: one row per target, read by mk/cross.mk.
# Measured recipe and every dead end: ../shared/guide/cross-build.md (issue 23); why the
# bare-metal Swift triples work: docs/building.md.
#
#   SWIFT   the Embedded stdlib triple swiftc compiles for (Swift 6.3 has no Embedded
#           aarch64/arm/riscv64 *Linux* stdlib; the bare-metal one's code is PIC and self-contained)
#   CC      the C compiler that compiles the C shims and jansson and links the library
#   SYSROOT the C headers the Swift importer reads (-Xcc --sysroot; <SYSROOT>/include)
#   IMPORT  the importer's flags instead of --sysroot, when a target needs others
#   QEMU    the qemu-user binary that runs the target's programs (empty: natively)
#   LD      QEMU_LD_PREFIX: where qemu finds the target's loader and libc
#   SWIFTFLAGS, CFLAGS: the target's own flags (ABI, FPU)
#   TABLES  how the prebuilt Embedded Unicode data tables are made linkable (see cross.mk)
#   LDLIBS  libraries every link of the target adds
#   DEBIAN  "<suite> <arch>": an older Debian's libc to build against (mk/debian-sysroot.sh, in
#           .build-deps/sysroot-<suite>-<arch>/root): its glibc is the library's floor
#   LUA     "<suite> <arch>": the Debian Lua 5.4 (interpreter and headers) test-cross-lua loads the
#           binding with, unpacked privately (it cannot be installed beside the host's lua5.4)
#   WHEEL   the platform tag of the Python wheel that bundles the library (make wheel): from the
#           libc floor (PEP 600 manylinux_<glibc>_<arch>, PEP 656 musllinux_<musl>_<arch>)
#   FLOOR   the newest glibc symbol version the library may need (test-cross checks it)
#   APT     the Debian packages the target needs (installed when missing)
#   ARCHS   foreign dpkg architectures the packages need (dpkg --add-architecture)

CROSS_TARGETS := aarch64-linux-gnu aarch64-linux-gnu-glibc2.31 arm-linux-gnueabihf riscv64-linux-gnu aarch64-linux-musl x86_64-linux-musl

# 64-bit ARM, glibc: Raspberry Pi 3/4/5 (64-bit OS), industrial gateways on Debian or Yocto.
T_aarch64-linux-gnu_SWIFT := aarch64-none-none-elf
T_aarch64-linux-gnu_CC := aarch64-linux-gnu-gcc
T_aarch64-linux-gnu_SYSROOT := /usr/aarch64-linux-gnu
T_aarch64-linux-gnu_QEMU := qemu-aarch64
T_aarch64-linux-gnu_LD := /usr/aarch64-linux-gnu
T_aarch64-linux-gnu_FLOOR := 2.34
T_aarch64-linux-gnu_LUA := bookworm arm64
T_aarch64-linux-gnu_WHEEL := manylinux_2_34_aarch64
T_aarch64-linux-gnu_APT := gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user

# The same against Debian 11's glibc 2.31 (Raspberry Pi OS bullseye, Ubuntu 20.04 class): built,
# linked and tested on that libc. Debian's cross gcc searches /usr/aarch64-linux-gnu before any
# --sysroot, hence -nostdinc and the explicit directories; before 2.34 pthread is libpthread.
B31 = $(DEPS)/sysroot-bullseye-arm64/root
T_aarch64-linux-gnu-glibc2.31_SWIFT := aarch64-none-none-elf
T_aarch64-linux-gnu-glibc2.31_CC = aarch64-linux-gnu-gcc --sysroot=$(B31) -nostdinc \
  -isystem $(shell aarch64-linux-gnu-gcc -print-file-name=include 2>/dev/null) \
  -isystem $(B31)/usr/include/aarch64-linux-gnu -isystem $(B31)/usr/include \
  -B$(B31)/usr/lib/aarch64-linux-gnu/ -L$(B31)/usr/lib/aarch64-linux-gnu -L$(B31)/lib/aarch64-linux-gnu
T_aarch64-linux-gnu-glibc2.31_IMPORT = -Xcc -isystem -Xcc $(B31)/usr/include/aarch64-linux-gnu -Xcc -isystem -Xcc $(B31)/usr/include
T_aarch64-linux-gnu-glibc2.31_QEMU := qemu-aarch64
T_aarch64-linux-gnu-glibc2.31_LD = $(B31)
T_aarch64-linux-gnu-glibc2.31_LDLIBS := -lpthread
T_aarch64-linux-gnu-glibc2.31_DEBIAN := bullseye arm64
T_aarch64-linux-gnu-glibc2.31_FLOOR := 2.25
T_aarch64-linux-gnu-glibc2.31_WHEEL := manylinux_2_25_aarch64
T_aarch64-linux-gnu-glibc2.31_APT := gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user

# 32-bit ARMv7-A hard-float, glibc (Debian armhf). armv7-none-none-eabi defaults to the soft-float
# calling convention: ld then refuses to mix its objects with gnueabihf ones.
T_arm-linux-gnueabihf_SWIFT := armv7-none-none-eabi
T_arm-linux-gnueabihf_CC := arm-linux-gnueabihf-gcc
T_arm-linux-gnueabihf_SYSROOT := /usr/arm-linux-gnueabihf
T_arm-linux-gnueabihf_QEMU := qemu-arm
T_arm-linux-gnueabihf_LD := /usr/arm-linux-gnueabihf
T_arm-linux-gnueabihf_SWIFTFLAGS := -Xcc -mfloat-abi=hard -Xcc -mfpu=vfpv3-d16
T_arm-linux-gnueabihf_TABLES := arm-hard-float
T_arm-linux-gnueabihf_FLOOR := 2.34
T_arm-linux-gnueabihf_WHEEL := manylinux_2_34_armv7l
T_arm-linux-gnueabihf_APT := gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user

# 64-bit RISC-V, glibc: rv64gc, lp64d (the bare-metal triple defaults to rv64imac, soft-float).
T_riscv64-linux-gnu_SWIFT := riscv64-none-none-eabi
T_riscv64-linux-gnu_CC := riscv64-linux-gnu-gcc
T_riscv64-linux-gnu_SYSROOT := /usr/riscv64-linux-gnu
T_riscv64-linux-gnu_QEMU := qemu-riscv64
T_riscv64-linux-gnu_LD := /usr/riscv64-linux-gnu
T_riscv64-linux-gnu_SWIFTFLAGS := -Xcc -march=rv64gc -Xcc -mabi=lp64d
T_riscv64-linux-gnu_TABLES := riscv-double-float
T_riscv64-linux-gnu_FLOOR := 2.34
T_riscv64-linux-gnu_WHEEL := manylinux_2_34_riscv64
T_riscv64-linux-gnu_APT := gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user

# 64-bit ARM, musl (OpenWrt-class routers): Debian's multiarch musl for arm64 (headers in
# /usr/include/aarch64-linux-musl; libc.so, crt files and a gcc specs file in
# /usr/lib/aarch64-linux-musl; the loader /lib/ld-musl-aarch64.so.1, so qemu needs no prefix),
# used through the glibc cross gcc. No outline atomics: libgcc's need glibc's __getauxval.
T_aarch64-linux-musl_SWIFT := aarch64-none-none-elf
T_aarch64-linux-musl_CC := aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs -mno-outline-atomics
T_aarch64-linux-musl_IMPORT := -Xcc -nostdlibinc -Xcc -isystem -Xcc /usr/include/aarch64-linux-musl
T_aarch64-linux-musl_QEMU := qemu-aarch64
T_aarch64-linux-musl_LD := /
T_aarch64-linux-musl_WHEEL := musllinux_1_2_aarch64
T_aarch64-linux-musl_APT := gcc-aarch64-linux-gnu qemu-user musl-dev:arm64 musl:arm64
T_aarch64-linux-musl_ARCHS := arm64

# x86-64, musl (Alpine, OpenWrt x86), run natively by musl's loader. The x86-64 Linux Embedded
# stdlib, its importer kept off glibc's headers (it warns "libc not found", harmlessly).
T_x86_64-linux-musl_SWIFT := x86_64-unknown-linux-gnu
T_x86_64-linux-musl_CC := musl-gcc
T_x86_64-linux-musl_IMPORT := -Xcc -nostdlibinc -Xcc -isystem -Xcc /usr/include/x86_64-linux-musl
T_x86_64-linux-musl_WHEEL := musllinux_1_2_x86_64
T_x86_64-linux-musl_APT := musl-tools musl-dev

# The selected target's row.
X_SWIFT := $(T_$(TARGET)_SWIFT)
X_CC := $(T_$(TARGET)_CC)
X_SYSROOT := $(T_$(TARGET)_SYSROOT)
X_IMPORT := $(or $(T_$(TARGET)_IMPORT),-Xcc --sysroot=$(X_SYSROOT))
X_QEMU := $(T_$(TARGET)_QEMU)
X_LD := $(T_$(TARGET)_LD)
X_SWIFTFLAGS := $(T_$(TARGET)_SWIFTFLAGS)
X_CFLAGS := $(T_$(TARGET)_CFLAGS)
X_TABLES := $(T_$(TARGET)_TABLES)
X_APT := $(T_$(TARGET)_APT)
X_ARCHS := $(T_$(TARGET)_ARCHS)
X_LDLIBS := $(T_$(TARGET)_LDLIBS)
X_DEBIAN := $(T_$(TARGET)_DEBIAN)
X_FLOOR := $(T_$(TARGET)_FLOOR)
X_LUA := $(T_$(TARGET)_LUA)
X_WHEEL := $(T_$(TARGET)_WHEEL)
