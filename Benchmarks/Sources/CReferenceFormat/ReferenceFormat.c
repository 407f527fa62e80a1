// A hand-written C formatter of the records the benchmark formats, producing the same bytes as the
// library's logfmt and JSON formatters for ASCII text: the cost floor the Swift formatters are
// compared with. No printf family, no allocation.
#include "CReferenceFormat.h"
#include <string.h>

void ref_state_init(ref_state *state) {
    state->cached_second = INT64_MIN;
    memset(state->cached_text, 0, sizeof state->cached_text);
}

static inline char *put(char *out, const char *text, size_t length) {
    memcpy(out, text, length);
    return out + length;
}

#define PUT_LITERAL(out, literal) put((out), (literal), sizeof(literal) - 1)

static inline char *two_digits(char *out, int value) {
    out[0] = (char)('0' + value / 10);
    out[1] = (char)('0' + value % 10);
    return out + 2;
}

static char *decimal(char *out, int64_t value) {
    char digits[24];
    int count = 0;
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) *out++ = '-';
    while (count > 0) *out++ = digits[--count];
    return out;
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian).
static void civil_from_days(int64_t days, int *year, int *month, int *day) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_index = (5 * day_of_year + 2) / 153;
    *day = (int)(day_of_year - (153 * month_index + 2) / 5 + 1);
    *month = (int)(month_index < 10 ? month_index + 3 : month_index - 9);
    *year = (int)(year_of_era + era * 400 + (*month <= 2 ? 1 : 0));
}

// RFC 3339 with microseconds and "Z"; the date-time part is cached per second.
static char *timestamp(ref_state *state, int64_t nanoseconds, char *out) {
    int64_t second = nanoseconds >= 0 ? nanoseconds / 1000000000 : -((-nanoseconds + 999999999) / 1000000000);
    int64_t fraction = nanoseconds - second * 1000000000;
    if (second != state->cached_second) {
        int64_t days = second >= 0 ? second / 86400 : -((-second + 86399) / 86400);
        int64_t second_of_day = second - days * 86400;
        int year, month, day;
        civil_from_days(days, &year, &month, &day);
        char *text = state->cached_text;
        text = two_digits(text, year / 100);
        text = two_digits(text, year % 100);
        *text++ = '-';
        text = two_digits(text, month);
        *text++ = '-';
        text = two_digits(text, day);
        *text++ = 'T';
        text = two_digits(text, (int)(second_of_day / 3600));
        *text++ = ':';
        text = two_digits(text, (int)(second_of_day / 60 % 60));
        *text++ = ':';
        two_digits(text, (int)(second_of_day % 60));
        state->cached_second = second;
    }
    out = put(out, state->cached_text, 19);
    int micros = (int)(fraction / 1000);
    *out++ = '.';
    out = two_digits(out, micros / 10000);
    out = two_digits(out, micros / 100 % 100);
    out = two_digits(out, micros % 100);
    *out++ = 'Z';
    return out;
}

static const char hex[] = "0123456789abcdef";

// JSON-style escaping of quotes, backslashes and control characters.
static char *escaped(char *out, const char *text, size_t length) {
    for (size_t index = 0; index < length; index++) {
        unsigned char byte = (unsigned char)text[index];
        if (byte >= 0x20 && byte != 0x7F && byte != '"' && byte != '\\') {
            *out++ = (char)byte;
            continue;
        }
        *out++ = '\\';
        switch (byte) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        default:
            *out++ = 'u'; *out++ = '0'; *out++ = '0';
            *out++ = hex[byte >> 4]; *out++ = hex[byte & 15];
        }
    }
    return out;
}

static int needs_quotes(const char *text, size_t length) {
    if (length == 0) return 1;
    for (size_t index = 0; index < length; index++) {
        unsigned char byte = (unsigned char)text[index];
        if (byte <= 0x20 || byte == '=' || byte == '"' || byte == 0x7F) return 1;
    }
    return 0;
}

static char *logfmt_string(char *out, const char *text, size_t length) {
    if (!needs_quotes(text, length)) return put(out, text, length);
    *out++ = '"';
    out = escaped(out, text, length);
    *out++ = '"';
    return out;
}

static int is_reserved(const char *key, size_t length) {
    switch (length) {
    case 3: return memcmp(key, "msg", 3) == 0;
    case 4: return memcmp(key, "time", 4) == 0;
    case 5: return memcmp(key, "level", 5) == 0 || memcmp(key, "error", 5) == 0;
    case 6: return memcmp(key, "logger", 6) == 0 || memcmp(key, "source", 6) == 0;
    default: return 0;
    }
}

static char *logfmt_key(char *out, const char *key, size_t length) {
    for (size_t index = 0; index < length; index++) {
        unsigned char byte = (unsigned char)key[index];
        *out++ = (byte <= 0x20 || byte == '=' || byte == '"' || byte == 0x7F) ? '_' : (char)byte;
    }
    return out;
}

size_t ref_format_logfmt(ref_state *state, const ref_record *record, char *out) {
    char *start = out;
    out = PUT_LITERAL(out, "time=");
    out = timestamp(state, record->timestamp_ns, out);
    out = PUT_LITERAL(out, " level=");
    out = put(out, record->level, record->level_length);
    if (record->label_length > 0) {
        out = PUT_LITERAL(out, " logger=");
        out = logfmt_string(out, record->label, record->label_length);
    }
    out = PUT_LITERAL(out, " msg=");
    out = logfmt_string(out, record->message, record->message_length);
    for (size_t index = 0; index < record->field_count; index++) {
        const ref_field *field = &record->fields[index];
        *out++ = ' ';
        if (is_reserved(field->key, field->key_length)) out = PUT_LITERAL(out, "fields.");
        out = logfmt_key(out, field->key, field->key_length);
        *out++ = '=';
        switch (field->kind) {
        case REF_STRING: out = logfmt_string(out, field->string, field->string_length); break;
        case REF_INT: out = decimal(out, field->integer); break;
        case REF_BOOL: out = field->integer ? PUT_LITERAL(out, "true") : PUT_LITERAL(out, "false"); break;
        }
    }
    out = PUT_LITERAL(out, " source=");
    int quoted = needs_quotes(record->file, record->file_length);
    if (quoted) {
        *out++ = '"';
        out = escaped(out, record->file, record->file_length);
    } else {
        out = put(out, record->file, record->file_length);
    }
    *out++ = ':';
    out = decimal(out, (int64_t)record->line);
    if (quoted) *out++ = '"';
    *out++ = '\n';
    return (size_t)(out - start);
}

size_t ref_format_json(ref_state *state, const ref_record *record, char *out) {
    char *start = out;
    out = PUT_LITERAL(out, "{\"time\":\"");
    out = timestamp(state, record->timestamp_ns, out);
    out = PUT_LITERAL(out, "\",\"level\":\"");
    out = put(out, record->level, record->level_length);
    out = PUT_LITERAL(out, "\",");
    if (record->label_length > 0) {
        out = PUT_LITERAL(out, "\"logger\":\"");
        out = escaped(out, record->label, record->label_length);
        out = PUT_LITERAL(out, "\",");
    }
    out = PUT_LITERAL(out, "\"msg\":\"");
    out = escaped(out, record->message, record->message_length);
    *out++ = '"';
    for (size_t index = 0; index < record->field_count; index++) {
        const ref_field *field = &record->fields[index];
        out = PUT_LITERAL(out, ",\"");
        if (is_reserved(field->key, field->key_length)) out = PUT_LITERAL(out, "fields.");
        out = escaped(out, field->key, field->key_length);
        out = PUT_LITERAL(out, "\":");
        switch (field->kind) {
        case REF_STRING:
            *out++ = '"';
            out = escaped(out, field->string, field->string_length);
            *out++ = '"';
            break;
        case REF_INT: out = decimal(out, field->integer); break;
        case REF_BOOL: out = field->integer ? PUT_LITERAL(out, "true") : PUT_LITERAL(out, "false"); break;
        }
    }
    out = PUT_LITERAL(out, ",\"source\":\"");
    out = escaped(out, record->file, record->file_length);
    *out++ = ':';
    out = decimal(out, (int64_t)record->line);
    out = PUT_LITERAL(out, "\"}\n");
    return (size_t)(out - start);
}
