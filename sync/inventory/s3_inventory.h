// sync/inventory/s3_inventory.h — an S3 Inventory report (CSV, gzip) as the source listing
// of a run (--source-inventory REMOTE:bucket/path/manifest.json): the manifest's files,
// each sorted by key, are read as they are consumed and merged in key order, so memory is
// one chunk and one row per file whatever the inventory's size. Rows for other buckets,
// outside the source prefix, not the latest version or delete markers are skipped; keys
// are URL-decoded. Manifest and row parsing are pure; the stream is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "remotes/remote.h"
#include "sync/entry_stream.h"
#include "sync/inventory/gzip_lines.h"

namespace cpsync {

struct InventoryManifest {
  std::string source_bucket;
  std::string destination_bucket;    // the bucket named by destinationBucket's ARN
  std::vector<std::string> columns;  // fileSchema, split
  struct File {
    std::string key;
    uint64_t size = 0;
  };
  std::vector<File> files;
};

// Errc::invalid_argument naming what is missing or unsupported (only CSV inventories).
Result<InventoryManifest> parse_inventory_manifest(std::string_view json_text);

struct InventoryRow {
  std::string bucket, key;  // key decoded
  ObjectInfo info;          // key unset; size, mtime, etag
  bool latest = true, delete_marker = false;
};

// One CSV line of the inventory by the manifest's columns (quoted fields, "" escapes).
// Errc::corrupt naming the problem.
Result<InventoryRow> parse_inventory_row(std::string_view line,
                                         const std::vector<std::string>& columns);

class InventoryStream : public EntryStream {
 public:
  // Reads the manifest at `manifest` on `remote`; the report's files are read from the
  // same remote, in the manifest's bucket. Yields the rows of src_bucket under src_prefix,
  // keys relative to the prefix.
  static Result<std::unique_ptr<InventoryStream>> open(Remote& remote, const ObjectRef& manifest,
                                                       std::string src_bucket,
                                                       std::string src_prefix);
  const ObjectInfo* next() override;
  Status status() const override { return status_; }
  uint64_t rows() const { return rows_; }

 private:
  struct Cursor {
    std::unique_ptr<GzipLines> lines;
    InventoryRow row;
    bool live = false;
  };
  InventoryStream() = default;
  void advance(Cursor& c);

  InventoryManifest manifest_;
  std::string bucket_, prefix_;
  std::vector<Cursor> cursors_;
  ObjectInfo current_;
  std::string last_key_;
  bool started_ = false;
  uint64_t rows_ = 0;
  Status status_;
};

}  // namespace cpsync
