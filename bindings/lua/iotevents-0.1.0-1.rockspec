-- LuaRocks package of the Lua binding. From bindings/lua/, with libiotevents installed
-- (make install) or built in the tree:
--
--   luarocks make iotevents-0.1.0-1.rockspec LIBIOTEVENTS_INCDIR=../../include LIBIOTEVENTS_LIBDIR=../../build/standard
--
-- It builds the C sources of src/ into iotevents.so and, for require "iotevents.safe",
-- iotevents/safe.so (builtin cannot make symlinks: the same sources are compiled twice).
rockspec_format = "3.0"
package = "iotevents"
version = "0.1.0-1"
source = {
  url = "git+file:///libiotevents", -- this file is used with luarocks make from the source tree
  dir = "libiotevents/bindings/lua",
}
description = {
  license = "Apache-2.0",
  summary = "AWS IoT Events detector and alarm models, embedded (libiotevents)",
  detailed = [[
    An in-process runtime for AWS IoT Events detector models and alarm models: every operation
    of the iotevents and iotevents-data APIs as an engine method taking and returning Lua tables,
    a manual or system clock, and action callbacks. Binds the C library libiotevents.
  ]],
}
dependencies = { "lua >= 5.1, < 5.5" }
external_dependencies = {
  LIBIOTEVENTS = { header = "iotevents.h", library = "iotevents" },
}
local module = {
  sources = { -- every src/*.c (builtin takes no pattern)
    "src/buffer.c", "src/config.c", "src/engine.c", "src/errors.c", "src/json_decode.c",
    "src/json_encode.c", "src/module.c", "src/number.c",
  },
  incdirs = { "$(LIBIOTEVENTS_INCDIR)", "src" },
  libdirs = { "$(LIBIOTEVENTS_LIBDIR)" },
  libraries = { "iotevents", "pthread" },
}
build = {
  type = "builtin",
  modules = {
    iotevents = module,
    ["iotevents.safe"] = module,
  },
}
