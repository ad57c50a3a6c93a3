// sync/copy_metadata.cc — the metadata and headers a copy stores.
#include "sync/copy_metadata.h"

#include "core/mime_types.h"
#include "sync/compare.h"
#include "sync/transfer.h"

namespace cpsync {
namespace {

void override_headers(ContentHeaders& c, const ContentHeaders& with) {
  for (auto m : {&ContentHeaders::type, &ContentHeaders::encoding, &ContentHeaders::language,
                 &ContentHeaders::disposition, &ContentHeaders::cache_control})
    if (!(with.*m).empty()) c.*m = with.*m;
}

}  // namespace

void copy_metadata_into(const ObjectInfo& source, const MetadataPolicy& p, UploadOptions& uo) {
  uo.metadata.clear();
  uo.content = {};
  if (p.carry && source.metadata_known) {
    uo.metadata = source.metadata;
    uo.metadata.erase(kMetaMtime);  // ours, written below from what the source says
    uo.metadata.erase(kMetaMd5);
    uo.content = source.content;
  }
  for (const auto& [k, v] : p.set) uo.metadata[k] = v;
  override_headers(uo.content, p.headers);
  if (uo.content.type.empty()) uo.content.type = mime_type_for(source.key);
  for (auto& [k, v] : metadata_for_copy(source)) uo.metadata[k] = std::move(v);
  uo.mtime = source_mtime(source);
}

void apply_upload_policy(std::string_view name, const MetadataPolicy& p, UploadOptions& uo) {
  for (const auto& [k, v] : p.set) uo.metadata[k] = v;
  override_headers(uo.content, p.headers);
  if (uo.content.type.empty()) uo.content.type = mime_type_for(name);
}

}  // namespace cpsync
