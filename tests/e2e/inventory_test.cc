// tests/e2e/inventory_test.cc — `copy --source-inventory` against RGW: an S3 Inventory report
// of 100,000 entries in 4 gzip CSV files (each sorted, keys interleaved across files, as S3
// writes them) stored in the S3 Inventory layout, used as the source listing with
// --max-age 24h: exactly the recent, latest, in-prefix objects are copied, and the source
// is never listed (request counters: no list request at all, the destination being local).
#include <zlib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/time_format.h"
#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;
using nlohmann::json;

namespace {

std::string gzip(const std::string& data) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string key_of(int i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "data/d%02d/obj %06d+.bin", i % 50, i);
  return buf;
}

}  // namespace

TEST_CASE("inventory: 100,000 entries in 4 gzip CSV files as the source, --max-age 24h",
          "[e2e][events][inventory]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3"));
  const int n = 100000, every = 400;  // every 400th entry is recent: 250 objects
  const auto now = std::chrono::system_clock::now();
  const std::string recent = cpsync::format_iso8601(now - std::chrono::hours(2));
  const std::string old = cpsync::format_iso8601(now - std::chrono::hours(24 * 30));
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "s3", [&](const std::string& ib) {
      // The recent objects exist at the source; the rest of the inventory is only rows.
      std::vector<std::string> expected;
      for (int i = 0; i < n; i += every) {
        write_file_text(tmp / ("src/" + key_of(i)), random_bytes(64 + i % 512, i));
        expected.push_back(key_of(i).substr(5));
      }
      run_ok(config, {"copy", tmp / "src", "s3:" + sb, "--transfers", "8"});

      // Rows: every key (URL-encoded, '+' for a space), its size and date; files by i % 4,
      // each file in key order. Also an older version, a delete marker and a key outside
      // the prefix, all recent: none may be copied.
      std::vector<std::vector<std::pair<std::string, std::string>>> files(4);
      for (int i = 0; i < n; ++i) {
        std::string enc;
        for (char c : key_of(i))
          enc += c == ' ' ? std::string("+") : c == '+' ? std::string("%2B") : std::string(1, c);
        const bool is_recent = i % every == 0;
        const std::string size = std::to_string(is_recent ? 64 + i % 512 : 1000);
        // A recent object's real ETag (the MD5 of its one PUT): reads are If-Match on it.
        const std::string etag =
            is_recent ? cpsync::hex_lower(cpsync::md5_raw(random_bytes(64 + i % 512, i))) : "e";
        files[static_cast<size_t>(i % 4)].emplace_back(
            key_of(i), "\"" + sb + "\",\"" + enc + "\",\"\",\"true\",\"false\",\"" + size +
                           "\",\"" + (is_recent ? recent : old) + "\",\"" + etag +
                           "\",\"STANDARD\"");
      }
      files[1].emplace_back("data/d00/obj 000000+.bin~", "\"" + sb +
                                                             "\",\"data/d00/obj+000001+version\","
                                                             "\"v0\",\"false\",\"false\",\"5\",\"" +
                                                             recent + "\",\"e\",\"STANDARD\"");
      files[2].emplace_back("data/d00/obj 000002+.bin~", "\"" + sb +
                                                             "\",\"data/d00/obj+000002+marker\","
                                                             "\"v1\",\"true\",\"true\",\"\",\"" +
                                                             recent + "\",\"\",\"\"");
      files[3].emplace_back("other/x", "\"" + sb +
                                           "\",\"other/x\",\"\",\"true\",\"false\",\"5\",\"" +
                                           recent + "\",\"e\",\"STANDARD\"");
      const std::string dir = "Inventory/" + sb + "/daily/2026-12-07T00-00Z";
      json manifest = {{"sourceBucket", sb},
                       {"destinationBucket", "arn:aws:s3:::" + ib},
                       {"version", "2016-11-30"},
                       {"creationTimestamp", "1765065600000"},
                       {"fileFormat", "CSV"},
                       {"fileSchema",
                        "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, "
                        "ETag, StorageClass"},
                       {"files", json::array()}};
      for (size_t f = 0; f < files.size(); ++f) {
        std::sort(files[f].begin(), files[f].end());
        std::string csv;
        for (const auto& [k, line] : files[f]) csv += line + "\n";
        const std::string gz = gzip(csv);
        const std::string rel = "Inventory/" + sb + "/daily/data/" + std::to_string(f) + ".csv.gz";
        write_file_text(tmp / ("inv/" + rel), gz);
        manifest["files"].push_back({{"key", rel},
                                     {"size", gz.size()},
                                     {"MD5checksum", cpsync::hex_lower(cpsync::md5_raw(gz))}});
      }
      write_file_text(tmp / ("inv/" + dir + "/manifest.json"), manifest.dump());
      run_ok(config, {"copy", tmp / "inv", "s3:" + ib});

      const std::string out = tmp / "out";
      const auto start = std::chrono::steady_clock::now();
      auto r = run_ok(config, {"copy", "s3:" + sb + "/data", out, "--source-inventory",
                               "s3:" + ib + "/" + dir + "/manifest.json", "--max-age", "24h",
                               "--transfers", "8", "--json"});
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto stats = json::parse(split_lines(r.out).back());
      INFO(stats.dump());
      CHECK(stats["transfers"] == expected.size());
      CHECK(stats["errors"] == 0);
      CHECK(stats["listed_src"] == n);
      CHECK(!stats["requests"].contains("list"));
      WARN("inventory source: " << n << " entries, " << expected.size() << " copied, "
                                << stats["requests_total"] << " requests, " << secs << " s");
      std::vector<std::string> got;
      for (const auto& e : std::filesystem::recursive_directory_iterator(out))
        if (e.is_regular_file()) got.push_back(std::filesystem::relative(e.path(), out).string());
      std::sort(got.begin(), got.end());
      std::sort(expected.begin(), expected.end());
      CHECK(got == expected);
      CHECK(read_file_text(out + "/" + expected[3]) ==
            read_file_text(tmp / ("src/data/" + expected[3])));

      // --check-inventory: the report holds 100,000 rows, the bucket 250 objects: stale.
      auto checked = run_ok(
          config, {"copy", "s3:" + sb + "/data", tmp / "out3", "--dry-run", "--source-inventory",
                   "s3:" + ib + "/" + dir + "/manifest.json", "--check-inventory"});
      CHECK(checked.err.find("the report differs from a listing of the source's first 250 "
                             "objects: 0 not in the report, ") != std::string::npos);
      CHECK(checked.err.find("(the report is stale)") != std::string::npos);
      // A report of exactly the bucket's objects matches.
      std::string exact;
      for (const auto& f : files)
        for (const auto& [k, line] : f)
          if (line.find(recent) != std::string::npos &&
              line.find("\"true\",\"false\"") != std::string::npos && k.rfind("data/", 0) == 0)
            exact += line + "\n";
      std::vector<std::string> rows = split_lines(exact);
      std::sort(rows.begin(), rows.end(), [](const std::string& a, const std::string& b) {
        return a.substr(a.find("\",\"") + 3) < b.substr(b.find("\",\"") + 3);
      });
      exact.clear();
      for (const auto& l : rows) exact += l + "\n";
      const std::string gz = gzip(exact);
      write_file_text(tmp / "inv2/exact.csv.gz", gz);
      json m2 = manifest;
      m2["files"] = json::array({{{"key", "exact/exact.csv.gz"}, {"size", gz.size()}}});
      write_file_text(tmp / "inv2/manifest.json", m2.dump());
      run_ok(config, {"copy", tmp / "inv2", "s3:" + ib + "/exact"});
      checked = run_ok(
          config, {"copy", "s3:" + sb + "/data", tmp / "out4", "--dry-run", "--source-inventory",
                   "s3:" + ib + "/exact/manifest.json", "--check-inventory"});
      CHECK(checked.err.find("the report matches a listing of the source's first 250 objects") !=
            std::string::npos);

      // The same copy from a listing (of the 250 objects the bucket holds) lists the source.
      auto listed = run_ok(
          config, {"copy", "s3:" + sb + "/data", tmp / "out2", "--max-age", "24h", "--json"});
      auto ls = json::parse(split_lines(listed.out).back());
      CHECK(ls["transfers"] == expected.size());
      CHECK(ls["requests"].value("list", 0) >= 1);
    });
  });
}

TEST_CASE("inventory: an OSS inventory (its manifest, schema and layout) as the source",
          "[e2e][events][inventory]") {
  TempDir tmp;
  const std::string config = write_config(tmp, oss_section("oss"));
  const int n = 8000, every = 200;  // 40 recent objects
  const auto now = std::chrono::system_clock::now();
  const std::string recent = cpsync::format_iso8601(now - std::chrono::hours(3));
  const std::string old = cpsync::format_iso8601(now - std::chrono::hours(24 * 9));
  with_bucket(config, "oss", [&](const std::string& ob) {
    with_bucket(config, "oss", [&](const std::string& ib) {
      std::vector<std::string> expected;
      for (int i = 0; i < n; i += every) {
        write_file_text(tmp / ("src/" + key_of(i)), random_bytes(32 + i % 100, i));
        expected.push_back(key_of(i).substr(5));
      }
      run_ok(config, {"copy", tmp / "src", "oss:" + ob, "--transfers", "8"});
      // OSS: dst_bucket/src_bucket/inventory_id/YYYY-MM-DDTHH-MMZ/manifest.json and
      // data/uuid.csv.gz, uuid-1.csv.gz; an object's row is in one file only.
      std::vector<std::string> csv(2);
      std::vector<std::string> keys;
      for (int i = 0; i < n; ++i) keys.push_back(key_of(i));
      std::sort(keys.begin(), keys.end());
      for (size_t j = 0; j < keys.size(); ++j) {
        const int i = std::stoi(keys[j].substr(keys[j].find("obj ") + 4, 6));
        const bool is_recent = i % every == 0;
        std::string enc;
        for (char c : keys[j])
          enc += c == ' ' ? std::string("%20") : c == '+' ? std::string("%2B") : std::string(1, c);
        const std::string etag =
            is_recent ? cpsync::hex_lower(cpsync::md5_raw(random_bytes(32 + i % 100, i))) : "E";
        std::string upper;
        for (char c : etag) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        csv[j < keys.size() / 2 ? 0 : 1] += "\"" + ob + "\",\"" + enc + "\",\"" +
                                            std::to_string(is_recent ? 32 + i % 100 : 7) +
                                            "\",\"Standard\",\"" + (is_recent ? recent : old) +
                                            "\",\"" + upper + "\",\"false\",\"false\"\n";
      }
      const std::string base = ob + "/nightly";
      json manifest = {{"creationTimestamp", "1765065600"},
                       {"destinationBucket", ib},
                       {"fileFormat", "CSV"},
                       {"fileSchema",
                        "Bucket, Key, Size, StorageClass, LastModifiedDate, ETag, "
                        "IsMultipartUploaded, EncryptionStatus"},
                       {"files", json::array()},
                       {"sourceBucket", ob}};
      for (size_t f = 0; f < csv.size(); ++f) {
        const std::string gz = gzip(csv[f]);
        const std::string rel =
            base + "/data/745a29e3-bfaa-490d-9109-47086afcc8f2" + (f ? "-1" : "") + ".csv.gz";
        write_file_text(tmp / ("inv/" + rel), gz);
        manifest["files"].push_back({{"key", rel},
                                     {"size", gz.size()},
                                     {"MD5checksum", cpsync::hex_lower(cpsync::md5_raw(gz))}});
      }
      write_file_text(tmp / ("inv/" + base + "/2026-12-07T00-00Z/manifest.json"), manifest.dump());
      run_ok(config, {"copy", tmp / "inv", "oss:" + ib});

      const std::string out = tmp / "out";
      auto r = run_ok(config, {"copy", "oss:" + ob + "/data", out, "--source-inventory",
                               "oss:" + ib + "/" + base + "/2026-12-07T00-00Z/manifest.json",
                               "--max-age", "24h", "--json"});
      auto stats = json::parse(split_lines(r.out).back());
      INFO(stats.dump());
      CHECK(stats["transfers"] == expected.size());
      CHECK(stats["listed_src"] == n);
      CHECK(!stats["requests"].contains("list"));
      std::vector<std::string> got;
      for (const auto& e : std::filesystem::recursive_directory_iterator(out))
        if (e.is_regular_file()) got.push_back(std::filesystem::relative(e.path(), out).string());
      std::sort(got.begin(), got.end());
      std::sort(expected.begin(), expected.end());
      CHECK(got == expected);
    });
  });
}
