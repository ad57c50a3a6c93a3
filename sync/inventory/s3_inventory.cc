// sync/inventory/s3_inventory.cc — manifest.json, CSV rows, and the k-way merge of the
// report's files (a linear scan for the smallest key: reports have few files).
#include "sync/inventory/s3_inventory.h"

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/time_format.h"

namespace cpsync {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// RFC 4180 fields: quoted ("" for a quote inside) or bare.
bool split_csv(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  for (;;) {
    std::string f;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return false;  // unterminated
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != ',' && line[i] != '\r') return false;
    } else {
      while (i < line.size() && line[i] != ',' && line[i] != '\r') f.push_back(line[i++]);
    }
    out.push_back(std::move(f));
    if (i >= line.size() || line[i] == '\r') return true;
    ++i;  // ','
  }
}

}  // namespace

Result<InventoryManifest> parse_inventory_manifest(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [](const std::string& what) {
    return Status{Errc::invalid_argument, "inventory manifest: " + what};
  };
  if (j.is_discarded() || !j.is_object()) return bad("not JSON");
  InventoryManifest m;
  const std::string format = j.value("fileFormat", "");
  if (format != "CSV")
    return bad("fileFormat '" + format +
               "' (only CSV inventories are read; ORC and Parquet are not)");
  m.source_bucket = j.value("sourceBucket", "");
  std::string dest = j.value("destinationBucket", "");
  if (dest.rfind("arn:aws:s3:::", 0) == 0) dest = dest.substr(13);
  m.destination_bucket = dest;
  const std::string schema = j.value("fileSchema", "");
  size_t start = 0;
  while (start <= schema.size()) {
    const size_t comma = schema.find(',', start);
    m.columns.push_back(trim(std::string_view(schema).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  bool has_key = false;
  for (const auto& c : m.columns) has_key |= c == "Key";
  if (!has_key) return bad("fileSchema '" + schema + "' has no Key column");
  if (!j.contains("files") || !j["files"].is_array() || j["files"].empty())
    return bad("no files listed");
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("key") || !f["key"].is_string())
      return bad("a files entry without key");
    InventoryManifest::File file;
    file.key = f["key"].get<std::string>();
    if (f.contains("size") && f["size"].is_number_unsigned()) file.size = f["size"].get<uint64_t>();
    m.files.push_back(std::move(file));
  }
  return m;
}

Result<InventoryRow> parse_inventory_row(std::string_view line,
                                         const std::vector<std::string>& columns) {
  std::vector<std::string> fields;
  if (!split_csv(line, fields)) return Status{Errc::corrupt, "inventory row: bad CSV quoting"};
  if (fields.size() < columns.size())
    return Status{Errc::corrupt, "inventory row: " + std::to_string(fields.size()) +
                                     " fields, the schema has " + std::to_string(columns.size())};
  InventoryRow r;
  bool has_key = false;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& c = columns[i];
    const std::string& v = fields[i];
    if (c == "Bucket") {
      r.bucket = v;
    } else if (c == "Key") {
      if (!uri_decode(v, r.key, /*plus_as_space=*/true))
        return Status{Errc::corrupt, "inventory row: key '" + v + "' is not URL-encoded"};
      has_key = true;
    } else if (c == "Size") {
      if (!v.empty()) {
        if (v.find_first_not_of("0123456789") != std::string::npos)
          return Status{Errc::corrupt, "inventory row: size '" + v + "'"};
        r.info.size = std::stoull(v);
      }
    } else if (c == "LastModifiedDate" && !v.empty()) {
      auto t = parse_iso8601(v);
      if (!t) return Status{Errc::corrupt, "inventory row: LastModifiedDate '" + v + "'"};
      r.info.mtime = *t;
    } else if (c == "ETag") {
      r.info.etag = v;
    } else if (c == "IsLatest") {
      r.latest = v != "false";
    } else if (c == "IsDeleteMarker") {
      r.delete_marker = v == "true";
    }
  }
  if (!has_key) return Status{Errc::corrupt, "inventory row without a key"};
  // A single-part ETag is the content's MD5 (as in a listing).
  if (r.info.etag.size() == 32 && r.info.etag.find('-') == std::string::npos)
    r.info.md5 = ascii_lower(r.info.etag);
  return r;
}

Result<std::unique_ptr<InventoryStream>> InventoryStream::open(Remote& remote,
                                                               const ObjectRef& manifest,
                                                               std::string src_bucket,
                                                               std::string src_prefix) {
  std::string text;
  Status st = remote.read(manifest, ByteRange{}, [&text](const char* d, size_t n) {
    if (text.size() + n > (64u << 20)) return Status{Errc::invalid_argument, "manifest too large"};
    text.append(d, n);
    return Status::OK();
  });
  if (!st.ok())
    return st.with_context("--source-inventory " + manifest.bucket + "/" + manifest.key);
  CPSYNC_ASSIGN_OR_RETURN(InventoryManifest m, parse_inventory_manifest(text));
  if (!m.source_bucket.empty() && m.source_bucket != src_bucket)
    return Status{Errc::invalid_argument, "--source-inventory: the inventory is of bucket '" +
                                              m.source_bucket + "', the source is '" + src_bucket +
                                              "'"};
  std::unique_ptr<InventoryStream> s(new InventoryStream());
  s->bucket_ = std::move(src_bucket);
  s->prefix_ = std::move(src_prefix);
  for (const auto& f : m.files) {
    Cursor c;
    c.lines = std::make_unique<GzipLines>(remote, ObjectRef{manifest.bucket, f.key}, f.size);
    s->cursors_.push_back(std::move(c));
  }
  s->manifest_ = std::move(m);
  return s;
}

// Moves c to its next row in scope; a file's keys must ascend.
void InventoryStream::advance(Cursor& c) {
  c.live = false;
  std::string line;
  while (status_.ok() && c.lines->next(line)) {
    if (line.empty()) continue;
    auto row = parse_inventory_row(line, manifest_.columns);
    if (!row.ok()) {
      status_ = row.status();
      return;
    }
    if (!row->latest || row->delete_marker) continue;
    if (!row->bucket.empty() && row->bucket != bucket_) continue;
    if (row->key.compare(0, prefix_.size(), prefix_) != 0 || row->key.size() == prefix_.size() ||
        row->key.back() == '/')
      continue;
    if (!c.row.key.empty() && row->key < c.row.key) {
      status_ = Status{Errc::corrupt, "inventory: keys out of order in a report file ('" +
                                          row->key + "' after '" + c.row.key + "')"};
      return;
    }
    c.row = std::move(row).value();
    c.live = true;
    return;
  }
  if (status_.ok() && !c.lines->status().ok()) status_ = c.lines->status();
}

const ObjectInfo* InventoryStream::next() {
  if (!started_) {
    started_ = true;
    for (auto& c : cursors_) advance(c);
  }
  for (;;) {
    if (!status_.ok()) return nullptr;
    Cursor* min = nullptr;
    for (auto& c : cursors_)
      if (c.live && (!min || c.row.key < min->row.key)) min = &c;
    if (!min) return nullptr;
    const std::string key = min->row.key;
    current_ = min->row.info;
    current_.key = key.substr(prefix_.size());
    advance(*min);
    if (!last_key_.empty() && key <= last_key_) continue;  // the same key in two files
    last_key_ = key;
    ++rows_;
    return &current_;
  }
}

}  // namespace cpsync
