// remotes/azure/azure_listing.cc — List Blobs (include=metadata, marker pagination,
// delimiter mode) and List Containers, streamed page by page. Every page is put in UTF-8
// byte order (Azure and Azurite compare UTF-16 code units, and Azurite returns a page's
// prefixes after its blobs) and checked against the previous page.
#include <algorithm>

#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_xml.h"

namespace cpsync::azure {
namespace {

// Sorts by key bytes (std::string compares as unsigned char) and rejects duplicates and
// keys not after `last`, the previous page's last key.
Status normalise_page(std::vector<ObjectInfo>& entries, const std::string& last, bool have_last,
                      const std::string& label) {
  std::sort(entries.begin(), entries.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].key == entries[i - 1].key)
      return Status{Errc::corrupt, label + ": listing repeats '" + entries[i].key + "'"};
  if (have_last && !entries.empty() && !(last < entries.front().key))
    return Status{Errc::corrupt, label + ": listing out of byte order: '" + entries.front().key +
                                     "' after '" + last + "'"};
  return Status::OK();
}

}  // namespace

Status AzureRemote::list(const ListRequest& req, const PageSink& sink) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ObjectRef{req.bucket, ""}, false));
  const std::string label = remote_label(name());
  std::string marker, last;
  bool have_last = false;
  while (true) {
    AzureCall c;
    c.bucket = req.bucket;
    c.op = "list";
    c.query = {{"restype", "container"}, {"comp", "list"}, {"include", "metadata"}};
    if (!req.prefix.empty()) c.query.emplace_back("prefix", req.prefix);
    if (!req.recursive) c.query.emplace_back("delimiter", "/");
    if (client_.options().list_chunk < 5000)
      c.query.emplace_back("maxresults", std::to_string(client_.options().list_chunk));
    if (!marker.empty()) {
      c.query.emplace_back("marker", marker);
    } else if (req.recursive && !req.start_after.empty() &&
               req.start_after.find_first_of("\xEE\xEF") == std::string::npos) {
      // Start at the key rather than filter everything before it (startFrom is inclusive;
      // the filter below drops the key itself). Delimiter listings take only a one-level
      // startFrom, so they still page from the prefix. Azurite compares names as UTF-16,
      // which puts U+E000..U+FFFF after the characters beyond U+FFFF: a start key holding
      // one (UTF-8 lead bytes EE, EF) could skip keys, so those are filtered here instead;
      // any other start key at worst lets through keys the filter drops.
      c.query.emplace_back("startFrom", req.start_after);
      c.headers.emplace_back("x-ms-version", kStartFromApiVersion);
    }
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
    auto parsed = parse_blob_list(r.body);
    if (!parsed.ok())
      return Status{Errc::corrupt,
                    label + ": list '" + req.bucket + "': " + parsed.status().message};
    BlobPage page = std::move(parsed).value();
    CPSYNC_RETURN_IF_ERROR(normalise_page(page.entries, last, have_last, label));
    if (!page.entries.empty()) {
      last = page.entries.back().key;
      have_last = true;
    }
    if (!req.start_after.empty()) {
      auto& e = page.entries;
      e.erase(std::remove_if(e.begin(), e.end(),
                             [&](const ObjectInfo& i) { return !(req.start_after < i.key); }),
              e.end());
    }
    if (!page.entries.empty()) CPSYNC_RETURN_IF_ERROR(sink(page.entries));
    if (page.next_marker.empty()) return Status::OK();
    if (page.next_marker == marker)
      return Status{Errc::corrupt, label + ": listing marker did not advance"};
    marker = page.next_marker;
  }
}

Status AzureRemote::list_buckets(const PageSink& sink) {
  const AzureOptions& o = client_.options();
  if (o.mode == AuthMode::sas && !o.sas_container.empty()) {
    // A container SAS cannot list the account: its one container is the whole list.
    std::vector<ObjectInfo> one(1);
    one[0].key = o.sas_container;
    one[0].is_dir = true;
    return sink(one);
  }
  std::string marker, last;
  bool have_last = false;
  while (true) {
    AzureCall c;
    c.op = "list";
    c.query = {{"comp", "list"}};
    if (!marker.empty()) c.query.emplace_back("marker", marker);
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
    auto parsed = parse_container_list(r.body);
    if (!parsed.ok())
      return Status{Errc::corrupt,
                    remote_label(name()) + ": list containers: " + parsed.status().message};
    ContainerPage page = std::move(parsed).value();
    CPSYNC_RETURN_IF_ERROR(normalise_page(page.containers, last, have_last, remote_label(name())));
    if (!page.containers.empty()) {
      last = page.containers.back().key;
      have_last = true;
      CPSYNC_RETURN_IF_ERROR(sink(page.containers));
    }
    if (page.next_marker.empty() || page.next_marker == marker) return Status::OK();
    marker = page.next_marker;
  }
}

}  // namespace cpsync::azure
