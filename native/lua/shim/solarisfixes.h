/* Stand-in for Redis's solarisfixes.h: nothing to fix on WebAssembly. */
