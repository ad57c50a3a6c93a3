// remotes/azure/azure_xml.h — the Azure Blob XML bodies cpsync reads and writes: List Blobs
// and List Containers pages, and the Put Block List body. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::azure {

struct BlobPage {
  std::vector<ObjectInfo> entries;  // blobs and (delimiter mode) prefixes as is_dir, in
                                    // the order they appear in the body
  std::string next_marker;          // "" on the last page
};

// Parses an EnumerationResults body of List Blobs (include=metadata). Names marked
// Encoded="true" are percent-decoded; a blob's tier is its AccessTier property.
// Errc::corrupt on a malformed body.
Result<BlobPage> parse_blob_list(std::string_view xml);

struct ContainerPage {
  std::vector<ObjectInfo> containers;  // key = container name, mtime = Last-Modified
  std::string next_marker;
};
Result<ContainerPage> parse_container_list(std::string_view xml);

// <BlockList><Latest>id</Latest>...</BlockList> for Put Block List.
std::string block_list_xml(const std::vector<std::string>& block_ids);

}  // namespace cpsync::azure
