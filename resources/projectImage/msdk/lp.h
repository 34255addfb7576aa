/* Stand-in for the MSDK header of the same name: everything a generated project needs is in mxc.h. */
#ifndef AI8X_STANDIN_LP_H
#define AI8X_STANDIN_LP_H
#include "mxc.h"
#endif
