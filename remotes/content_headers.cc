// remotes/content_headers.cc — content header names, standard and Azure.
#include "remotes/content_headers.h"

#include <array>

namespace cpsync {
namespace {

struct Field {
  std::string ContentHeaders::*member;
  const char* standard;
  const char* azure;
};

constexpr std::array<Field, 5> kFields = {{
    {&ContentHeaders::type, "Content-Type", "x-ms-blob-content-type"},
    {&ContentHeaders::encoding, "Content-Encoding", "x-ms-blob-content-encoding"},
    {&ContentHeaders::language, "Content-Language", "x-ms-blob-content-language"},
    {&ContentHeaders::disposition, "Content-Disposition", "x-ms-blob-content-disposition"},
    {&ContentHeaders::cache_control, "Cache-Control", "x-ms-blob-cache-control"},
}};

}  // namespace

ContentHeaders with_default_type(ContentHeaders c) {
  if (c.type.empty()) c.type = "application/octet-stream";
  return c;
}

ContentHeaders content_from_headers(const Headers& h) {
  ContentHeaders c;
  for (const Field& f : kFields)
    if (const std::string* v = find_header(h, f.standard)) c.*f.member = *v;
  return c;
}

void add_content_headers(Headers& h, const ContentHeaders& c) {
  for (const Field& f : kFields)
    if (!(c.*f.member).empty()) h.emplace_back(f.standard, c.*f.member);
}

void add_azure_content_headers(Headers& h, const ContentHeaders& c) {
  for (const Field& f : kFields)
    if (!(c.*f.member).empty()) h.emplace_back(f.azure, c.*f.member);
}

}  // namespace cpsync
