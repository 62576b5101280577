/*
 * trace_error.h - the error domain of trace reading and writing.
 *
 * Every message names the input (FILE:LINE for text formats, FILE: offset N
 * for binary ones) and what was expected. The CLI turns any of these into
 * exit code 2.
 */
#ifndef TIERSIM_TRACES_TRACE_ERROR_H
#define TIERSIM_TRACES_TRACE_ERROR_H

#include <glib.h>

#define TIERSIM_TRACE_ERROR (tiersim_trace_error_quark())
GQuark tiersim_trace_error_quark(void);

typedef enum TraceErrorCode {
    TRACE_ERROR_IO,          /* cannot open, read or write */
    TRACE_ERROR_MALFORMED,   /* the content does not follow the format */
    TRACE_ERROR_OPTION,      /* an option is missing, unknown or does not apply */
    TRACE_ERROR_UNSUPPORTED, /* a format or compression tiersim does not read */
} TraceErrorCode;

#endif
