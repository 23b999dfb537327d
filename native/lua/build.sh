#!/usr/bin/env bash
# Builds build/redis-lua.cjs (the WebAssembly inlined) from Redis 7.0.15's
# Lua and reddish_lua.c. The output is committed, so neither CI nor users
# need a compiler; rebuild it after changing anything in native/lua.
# Needs Emscripten: `apt-get install -y emscripten` (Debian 12: 3.1.6).
set -euo pipefail
# Debian's emcc runs its JS optimiser with the system Node, which finds acorn (node-acorn) here.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/redis-7.0.15/deps-lua" "$here/redis-7.0.15/src" "$work/"
for patch in "$here"/patches/*.patch; do
  (cd "$work" && patch -s -p1 < "$patch")
done
# Redis's layout: lua_cjson.c includes ../../../src/solarisfixes.h.
mkdir -p "$work/deps/lua"
mv "$work/deps-lua" "$work/deps/lua/src"
cp "$here/shim/solarisfixes.h" "$work/src/"
lua_sources=(lapi lcode ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser lstate lstring
  ltable ltm lundump lvm lzio lauxlib lbaselib ltablib lstrlib lmathlib ldblib
  lua_cjson lua_cmsgpack lua_struct lua_bit strbuf fpconv)
files=()
for name in "${lua_sources[@]}"; do files+=("$work/deps/lua/src/$name.c"); done
files+=("$work/src/resp_parser.c" "$work/src/sha1.c" "$work/src/rand.c" "$here/reddish_lua.c")
mkdir -p "$here/build"
# -mnontrapping-fptoint: a double out of an int's range must not trap (the
# patched conversions give x86-64's values where Lua code can see them).
# ENABLE_CJSON_GLOBAL: Redis builds cjson with it (cjson is a global).
emcc -O2 -mnontrapping-fptoint -sSUPPORT_LONGJMP=wasm \
  -DENABLE_CJSON_GLOBAL -DLUA_USE_MKSTEMP -DLUA_USELONGLONG \
  -I"$work/deps/lua/src" -I"$work/src" -I"$here/shim" \
  --js-library "$here/host-library.js" \
  -sMODULARIZE=1 -sEXPORT_NAME=createRedisLua -sENVIRONMENT=node \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -sFILESYSTEM=0 \
  -sWASM_ASYNC_COMPILATION=0 -sSINGLE_FILE=1 \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB \
  -sEXPORTED_RUNTIME_METHODS=HEAPU8 \
  -sEXPORTED_FUNCTIONS=_rl_init,_rl_reset,_rl_memory,_rl_compile,_rl_run,_rl_resume,_rl_reserve,_rl_exchange,_rl_script_resp,_rl_load_library,_rl_free_function \
  "${files[@]}" -o "$here/build/redis-lua.cjs"
echo "built $here/build/redis-lua.cjs"
