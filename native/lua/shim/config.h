/* Stand-in for Redis's config.h, for sha1.c: WebAssembly is little-endian. */
#ifndef REDDISH_SHIM_CONFIG_H
#define REDDISH_SHIM_CONFIG_H
#include <endian.h>
#endif
