#ifndef ASYNCSINKS_CZLIB_SHIM_H
#define ASYNCSINKS_CZLIB_SHIM_H
#include <zlib.h>
#endif
