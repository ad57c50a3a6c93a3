// remotes/azure/azure_pending.cc — what a killed block upload left behind: the blob's
// uncommitted block list (Get Block List, blocklisttype=uncommitted), read by a resumed
// upload, and the content-addressed block ids that make those blocks verifiable.
#include <tinyxml2.h>

#include <cstdio>

#include "core/crypto.h"
#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"

namespace cpsync::azure {

std::string block_id(uint32_t part, const std::string& md5_raw) {
  char num[11];
  std::snprintf(num, sizeof num, "%010u", part);
  return base64_encode("cpsync" + std::string(num) + md5_raw);
}

Result<std::map<std::string, uint64_t>> AzureRemote::uncommitted_blocks(
    const ObjectRef& ref) const {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  AzureCall c;
  c.container = ref.bucket;
  c.blob = ref.key;
  c.op = "list";
  c.query = {{"comp", "blocklist"}, {"blocklisttype", "uncommitted"}};
  auto r = client_.send(c);
  std::map<std::string, uint64_t> blocks;
  if (!r.ok()) {
    if (r.status().code == Errc::not_found) return blocks;  // no blob, no blocks
    return r.status();
  }
  tinyxml2::XMLDocument doc;
  if (doc.Parse(r->body.data(), r->body.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, remote_label(name()) + ": malformed Get Block List response"};
  const auto* root = doc.FirstChildElement("BlockList");
  const auto* list = root ? root->FirstChildElement("UncommittedBlocks") : nullptr;
  for (const auto* b = list ? list->FirstChildElement("Block") : nullptr; b;
       b = b->NextSiblingElement("Block")) {
    const auto* name_el = b->FirstChildElement("Name");
    const auto* size_el = b->FirstChildElement("Size");
    uint64_t size = 0;
    if (!name_el || !name_el->GetText() || !size_el ||
        size_el->QueryUnsigned64Text(&size) != tinyxml2::XML_SUCCESS)
      return Status{Errc::corrupt,
                    remote_label(name()) + ": Get Block List entry without a name and size"};
    blocks[name_el->GetText()] = size;
  }
  return blocks;
}

}  // namespace cpsync::azure
