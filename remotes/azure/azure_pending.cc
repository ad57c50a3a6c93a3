// remotes/azure/azure_pending.cc — what a killed block upload left behind: the blob's
// uncommitted block list (Get Block List, blocklisttype=uncommitted), read by a resumed
// upload; the content-addressed block ids that make those blocks verifiable; and, for
// `cpsync cleanup`, the blobs that exist only as uncommitted blocks (List Blobs with
// include=uncommittedblobs minus the plain listing), which are discarded by committing an
// empty block list only if no blob exists (If-None-Match: *) and deleting that empty blob.
#include <tinyxml2.h>

#include <cstdio>
#include <map>

#include "core/crypto.h"
#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"
#include "remotes/azure/azure_xml.h"

namespace cpsync::azure {

std::string block_id(uint32_t part, const std::string& md5_raw) {
  char num[11];
  std::snprintf(num, sizeof num, "%010u", part);
  return base64_encode("cpsync" + std::string(num) + md5_raw);
}

std::optional<uint32_t> part_of_block_id(const std::string& id) {
  std::string raw;
  if (!base64_decode(id, raw) || raw.size() != 32 || raw.compare(0, 6, "cpsync") != 0)
    return std::nullopt;
  uint32_t n = 0;
  for (size_t i = 6; i < 16; ++i) {
    if (raw[i] < '0' || raw[i] > '9') return std::nullopt;
    n = n * 10 + static_cast<uint32_t>(raw[i] - '0');
  }
  return n;
}

Result<std::map<std::string, uint64_t>> AzureRemote::uncommitted_blocks(
    const ObjectRef& ref) const {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  AzureCall c;
  c.bucket = ref.bucket;
  c.key = ref.key;
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

namespace {

// Blob name -> Last-Modified of every blob under prefix; with uncommitted, blobs that have
// only uncommitted blocks too.
Status list_blob_times(const AzureClient& client, const std::string& label,
                       const std::string& container, const std::string& prefix, bool uncommitted,
                       std::map<std::string, TimePoint>& out) {
  std::string marker;
  for (int page = 0; page < 1000000; ++page) {
    AzureCall c;
    c.bucket = container;
    c.op = "list";
    c.query = {{"restype", "container"}, {"comp", "list"}};
    if (uncommitted) c.query.emplace_back("include", "uncommittedblobs");
    if (!prefix.empty()) c.query.emplace_back("prefix", prefix);
    if (!marker.empty()) c.query.emplace_back("marker", marker);
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client.send(c));
    auto parsed = parse_blob_list(r.body);
    if (!parsed.ok())
      return Status{Errc::corrupt,
                    label + ": list '" + container + "': " + parsed.status().message};
    for (const ObjectInfo& e : parsed->entries)
      if (!e.is_dir) out[e.key] = e.mtime;
    if (parsed->next_marker.empty()) return Status::OK();
    if (parsed->next_marker == marker)
      return Status{Errc::corrupt, label + ": listing marker did not advance"};
    marker = parsed->next_marker;
  }
  return Status{Errc::corrupt, label + ": too many listing pages"};
}

}  // namespace

Status AzureRemote::list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                         std::vector<PendingUpload>& out) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ObjectRef{bucket, ""}, false));
  const std::string label = remote_label(name());
  std::map<std::string, TimePoint> all, committed;
  CPSYNC_RETURN_IF_ERROR(list_blob_times(client_, label, bucket, prefix, true, all));
  CPSYNC_RETURN_IF_ERROR(list_blob_times(client_, label, bucket, prefix, false, committed));
  for (const auto& [key, t] : all) {
    if (committed.count(key)) continue;  // its uncommitted blocks (if any) are not listed
    PendingUpload u;
    u.key = key;
    u.initiated = t;  // Last-Modified: when the first block was staged
    out.push_back(std::move(u));
  }
  return Status::OK();
}

Status AzureRemote::abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
  const ObjectRef ref{bucket, u.key};
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  // Committing an empty block list discards the uncommitted blocks; If-None-Match: * makes
  // sure no blob that appeared meanwhile is overwritten (then its commit discarded them).
  const std::string body = block_list_xml({});
  AzureCall c;
  c.method = "PUT";
  c.bucket = bucket;
  c.key = u.key;
  c.op = "commit";
  c.query = {{"comp", "blocklist"}};
  c.body = body.data();
  c.body_size = body.size();
  c.headers = {{"Content-MD5", base64_encode(md5_raw(body))}, {"If-None-Match", "*"}};
  auto r = client_.send(c);
  if (!r.ok()) return r.status().code == Errc::conflict ? Status::OK() : r.status();
  // Remove the empty blob that commit made, and only that one.
  AzureCall d;
  d.method = "DELETE";
  d.bucket = bucket;
  d.key = u.key;
  d.op = "delete";
  const std::string etag = r->header_or("ETag");
  if (!etag.empty()) d.headers = {{"If-Match", etag}};
  auto del = client_.send(d);
  if (!del.ok() && del.status().code != Errc::not_found) return del.status();
  return Status::OK();
}

}  // namespace cpsync::azure
