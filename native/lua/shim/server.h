/* Stand-in for Redis's server.h, for resp_parser.c alone: it needs string2ll only. */
#ifndef REDDISH_SHIM_SERVER_H
#define REDDISH_SHIM_SERVER_H
#include <stdlib.h>
#include <string.h>
#define C_OK 0
#define C_ERR -1
#define MAX_LONG_DOUBLE_CHARS 5*1024
#define UNUSED(V) ((void) V)
int string2ll(const char *s, size_t slen, long long *value);
#endif
