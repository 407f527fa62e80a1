#ifndef ASYNCSINKS_REFERENCE_FORMAT_H
#define ASYNCSINKS_REFERENCE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/// The kind of a reference field's value.
typedef enum {
    REF_STRING = 0,
    REF_INT = 1,
    REF_BOOL = 2,
} ref_kind;

/// One field of a reference record: a key and a string, integer or boolean value.
typedef struct {
    const char *key;
    size_t key_length;
    ref_kind kind;
    const char *string;
    size_t string_length;
    int64_t integer;
} ref_field;

/// A log record as plain C data: the same content the Swift formatters receive.
typedef struct {
    int64_t timestamp_ns;
    const char *level;
    size_t level_length;
    const char *label;
    size_t label_length;
    const char *message;
    size_t message_length;
    const ref_field *fields;
    size_t field_count;
    const char *file;
    size_t file_length;
    uint64_t line;
} ref_record;

/// Per-buffer state: the date-time text of the last second formatted.
typedef struct {
    int64_t cached_second;
    char cached_text[20];
} ref_state;

/// Initialises the state (no second cached).
void ref_state_init(ref_state *state);

/// Formats the record as one logfmt line (with "\n") into `out`, which must hold at least 4096 bytes;
/// returns the line's length.
size_t ref_format_logfmt(ref_state *state, const ref_record *record, char *out);

/// Formats the record as one JSON line (with "\n") into `out`, which must hold at least 4096 bytes;
/// returns the line's length.
size_t ref_format_json(ref_state *state, const ref_record *record, char *out);

#endif
