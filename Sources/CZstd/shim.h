#ifndef NIMBUS_CZSTD_SHIM_H
#define NIMBUS_CZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>
#endif
