// Wall-clock times as pod writes them in records.
#pragma once

#include <cstdint>

#include <string>

namespace pod {

// The current time as RFC 3339 in UTC with seconds ("2024-01-02T03:04:05Z").
std::string now_rfc3339();
// A time given in seconds since the epoch, the same way.
std::string rfc3339_of(std::int64_t seconds);
// The same with `digits` (1-9) of the second's fraction ("2024-01-02T03:04:05.123Z").
std::string now_rfc3339_fraction(int digits);

}  // namespace pod
