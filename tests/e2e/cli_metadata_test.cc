// tests/e2e/cli_metadata_test.cc — objects keep what makes them usable, through the
// binary on the real peers: Content-Type from the file extension on upload from local
// (/etc/mime.types), content headers and user metadata carried local -> S3 -> Azure -> OSS
// -> S3 (single PUTs and multipart copies), read back by cpsync (lsjson -M) and by
// independent readers (rclone 1.60 on S3 and Azure, the ali-oss SDK on OSS); and the flags
// --header-upload, --metadata-set and --no-metadata, with their errors.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <string>

#include "tests/e2e/cli_objects_suite.h"
#include "tests/integration/rclone_env.h"

using namespace cpsync::testing;
using nlohmann::json;

namespace {

// name -> the Content-Type /etc/mime.types gives it (unknown extension: octet-stream).
const std::map<std::string, std::string> kFiles = {
    {"style.css", "text/css; charset=utf-8"},
    {"data.json", "application/json"},
    {"blob.zzqx", "application/octet-stream"},
    {"big.css", "text/css; charset=utf-8"},  // multipart at --chunk-size 5Mi on every hop
};

const std::map<std::string, std::string> kHeaders = {
    {"cache-control", "max-age=3600"},
    {"content-language", "en"},
    {"content-disposition", "inline"},
    {"content-encoding", "gzip"},
};

void write_site(const TempDir& tmp) {
  write_file_text(tmp / "site/style.css", "body { color: red }\n");
  write_file_text(tmp / "site/data.json", "{\"a\": 1}\n");
  write_file_text(tmp / "site/blob.zzqx", "blob");
  write_file_text(tmp / "site/big.css", random_bytes(6 * 1024 * 1024 + 11, 3));
}

// Path -> entry of `cpsync lsjson -R -M LOC`, objects only.
std::map<std::string, json> lsjson_m(const std::string& config, const std::string& loc) {
  auto r = run_ok(config, {"lsjson", "-R", "-M", "--files-only", loc});
  std::map<std::string, json> out;
  for (auto& e : json::parse(r.out)) out[e["Path"].get<std::string>()] = e;
  return out;
}

// RFC 3339 times equal up to trailing zeros of the fraction (rclone trims them).
bool same_time(const json& a, const json& b) {
  auto norm = [](std::string t) {
    if (t.find('.') == std::string::npos) return t;
    std::string z = t.substr(t.find_first_of("Z+-", t.find('.')));
    t.resize(t.size() - z.size());
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t + z;
  };
  return norm(a.get<std::string>()) == norm(b.get<std::string>());
}

// Path -> entry of `rclone lsjson -R --metadata REMOTE:PATH`.
std::map<std::string, json> rclone_lsjson_m(const std::string& path) {
  configure_rclone();
  int code = 0;
  std::string out = shell_output(
      "env -u AWS_CA_BUNDLE TZ=UTC rclone lsjson -R --files-only --metadata " + shell_quote(path),
      &code);
  INFO("rclone lsjson " << path << ": " << out);
  REQUIRE(code == 0);
  std::map<std::string, json> m;
  for (auto& e : json::parse(out)) m[e["Path"].get<std::string>()] = e;
  return m;
}

// The response headers of `curl -I URL`, names lower-cased.
json curl_head(const std::string& url) {
  int code = 0;
  std::string out = shell_output("curl -sS -f -I " + shell_quote(url), &code);
  INFO("curl -I: " << out);
  REQUIRE(code == 0);
  json h = json::object();
  for (const std::string& line : split_lines(out)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon), v = line.substr(colon + 1);
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!v.empty() && (v.front() == ' ')) v.erase(0, 1);
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
    h[k] = v;
  }
  return h;
}

// The response headers of an ali-oss SDK HEAD (tests/peers/oss/head-object.js).
json oss_head(const std::string& bucket, const std::string& key) {
  auto e = peer_env("oss");
  std::string cmd;
  for (const char* k : {"OSS_ENDPOINT", "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_REGION"})
    cmd += std::string(k) + "=" + shell_quote(e[k]) + " ";
  cmd += "node " + shell_quote(std::string(CPSYNC_SOURCE_DIR) + "/tests/peers/oss/head-object.js") +
         " " + shell_quote(bucket) + " " + shell_quote(key);
  int code = 0;
  std::string out = shell_output(cmd, &code);
  INFO("ali-oss head " << bucket << "/" << key << ": " << out);
  REQUIRE(code == 0);
  return json::parse(out);
}

// Every object of loc (cpsync's view) has the type of its name, the headers, owner=alice
// and the local file's mtime.
void check_cpsync_view(const std::string& config, const std::string& loc,
                       const std::map<std::string, json>& local) {
  auto got = lsjson_m(config, loc);
  REQUIRE(got.size() == kFiles.size());
  for (const auto& [name, type] : kFiles) {
    INFO(loc << " " << name << ": " << got[name].dump());
    const json& m = got[name]["Metadata"];
    CHECK(m.value("content-type", "") == type);
    CHECK(got[name]["MimeType"] == type);
    for (const auto& [h, v] : kHeaders) CHECK(m.value(h, "") == v);
    CHECK(m.value("owner", "") == "alice");
    CHECK(got[name]["ModTime"] == local.at(name)["ModTime"]);
  }
}

}  // namespace

TEST_CASE("content headers and user metadata survive local -> S3 -> Azure -> OSS -> S3",
          "[e2e][metadata]") {
  TempDir tmp;
  const std::string config = write_config(
      tmp, local_section("loc") + s3_section("s3") + azure_section("az") + oss_section("oss"));
  write_site(tmp);
  const auto local = lsjson_m(config, tmp / "site");
  with_bucket(config, "s3", [&](const std::string& s3b) {
    with_bucket(config, "az", [&](const std::string& azb) {
      with_bucket(config, "oss", [&](const std::string& ossb) {
        const std::string s3 = "s3:" + s3b + "/site", az = "az:" + azb + "/site",
                          oss = "oss:" + ossb + "/site", back = "s3:" + s3b + "/back";
        std::vector<std::string> up = {"copy", tmp / "site", s3, "--chunk-size", "5Mi"};
        for (const auto& [h, v] : kHeaders) up.insert(up.end(), {"--header-upload", h + ": " + v});
        up.insert(up.end(), {"--metadata-set", "Owner=alice"});
        run_ok(config, up);
        check_cpsync_view(config, s3, local);
        // No HEAD per object although S3/OSS listings lack the headers: the single-PUT copies
        // read them from their GET, the one multipart copy (big.css) from its one HEAD; the
        // other HEADs are the run's probes of whether the source names one object and
        // whether the destination is an existing object (neither ends in '/').
        auto hop = [&](const std::string& from, const std::string& to, int heads) {
          auto r = run_ok(config, {"copy", from, to, "--chunk-size", "5Mi", "--json"});
          const json stats = json::parse(r.out);
          INFO(from << " -> " << to << ": " << r.out);
          CHECK(stats["transfers"] == kFiles.size());
          CHECK(stats["requests"].value("head", 0) == heads);
          check_cpsync_view(config, to, local);
        };
        hop(s3, az, 3);
        hop(az, oss, 2);  // Azure listings carry them
        hop(oss, back, 3);
        run_ok(config, {"copy", back, tmp / "back"});
        for (const auto& [name, type] : kFiles)
          CHECK(read_file_text(tmp / ("back/" + name)) == read_file_text(tmp / ("site/" + name)));

        // rclone's view of S3 (first and last hop) and of Azure (rclone 1.60 shows no
        // Metadata for Azure blobs: their type and mtime only).
        for (const std::string& where :
             {"ceph:" + s3b + "/site", "ceph:" + s3b + "/back", "az:" + azb + "/site"}) {
          auto rc = rclone_lsjson_m(where);
          REQUIRE(rc.size() == kFiles.size());
          for (const auto& [name, type] : kFiles) {
            INFO(where << " " << name << ": " << rc[name].dump());
            CHECK(rc[name]["MimeType"] == type);
            CHECK(same_time(rc[name]["ModTime"], local.at(name)["ModTime"]));
            if (where.starts_with("az:")) continue;
            const json m = rc[name].value("Metadata", json::object());
            CHECK(m.value("owner", "") == "alice");
            for (const auto& [h, v] : kHeaders) CHECK(m.value(h, "") == v);
          }
        }
        // Azurite's own response to a plain HTTP HEAD (curl on a SAS link).
        for (const auto& [name, type] : kFiles) {
          const std::string url = run_ok(config, {"link", az + "/" + name}).out;
          json h = curl_head(url.substr(0, url.find_last_not_of("\n") + 1));
          INFO(name << ": " << h.dump());
          CHECK(h.value("content-type", "") == type);
          for (const auto& [k, v] : kHeaders) CHECK(h.value(k, "") == v);
          CHECK(h.value("x-ms-meta-owner", "") == "alice");
        }
        // The ali-oss SDK's view of OSS.
        for (const auto& [name, type] : kFiles) {
          json h = oss_head(ossb, "site/" + name);
          INFO(name << ": " << h.dump());
          CHECK(h.value("content-type", "") == type);
          for (const auto& [k, v] : kHeaders) CHECK(h.value(k, "") == v);
          CHECK(h.value("x-oss-meta-owner", "") == "alice");
          CHECK(!h.value("x-oss-meta-mtime", "").empty());
        }
      });
    });
  });
}

TEST_CASE("--no-metadata, --metadata-set and --header-upload on copy, sync, copyto, rcat",
          "[e2e][metadata]") {
  TempDir tmp;
  const std::string config =
      write_config(tmp, local_section("loc") + s3_section("s3") + azure_section("az"));
  write_site(tmp);
  const auto local = lsjson_m(config, tmp / "site");
  with_bucket(config, "s3", [&](const std::string& s3b) {
    with_bucket(config, "az", [&](const std::string& azb) {
      const std::string s3 = "s3:" + s3b + "/site";
      run_ok(config, {"copy", tmp / "site", s3, "--chunk-size", "5Mi", "--header-upload",
                      "Cache-Control: max-age=60", "--metadata-set", "owner=alice"});

      SECTION("bad values: one line, usage exit code, nothing copied") {
        for (std::vector<std::string> bad : {
                 std::vector<std::string>{"--header-upload", "X-Frame-Options: deny"},
                 {"--header-upload", "Cache-Control"},
                 {"--header-upload", "Cache-Control:"},
                 {"--metadata-set", "owner"},
                 {"--metadata-set", "=x"},
                 {"--metadata-set", "mtime=1"},
                 {"--metadata-set", "bad name=1"},
             }) {
          std::vector<std::string> args = {"copy", s3, "az:" + azb + "/bad"};
          args.insert(args.end(), bad.begin(), bad.end());
          auto r = run_cpsync(config, args);
          INFO(bad[0] << " " << bad[1] << ": " << r.err);
          CHECK(r.code == 1);
          CHECK(split_lines(r.err).size() == 1);
          CHECK(r.err.find(bad[0]) != std::string::npos);
        }
        CHECK(run_ok(config, {"lsjson", "-R", "az:" + azb}).out == "[\n]\n");
      }

      SECTION("--no-metadata copies bytes, type from the extension, mtime and MD5 only") {
        const std::string az = "az:" + azb + "/plain";
        run_ok(config, {"copy", s3, az, "--no-metadata", "--chunk-size", "5Mi"});
        auto got = lsjson_m(config, az);
        REQUIRE(got.size() == kFiles.size());
        for (const auto& [name, type] : kFiles) {
          INFO(name << ": " << got[name].dump());
          const json& m = got[name]["Metadata"];
          CHECK(m.value("content-type", "") == type);
          CHECK(!m.contains("cache-control"));
          CHECK(!m.contains("owner"));
          CHECK(got[name]["ModTime"] == local.at(name)["ModTime"]);
        }
        // A rerun finds everything up to date: the mtime cpsync compares by was kept.
        auto again = run_ok(config, {"copy", s3, az, "--no-metadata", "--json"});
        INFO(again.out);
        CHECK(json::parse(again.out)["transfers"] == 0);
        CHECK(json::parse(again.out)["matched"] == kFiles.size());
      }

      SECTION("same endpoint: server-side keeps all; an override streams and applies it") {
        run_ok(config, {"copyto", s3 + "/style.css", "s3:" + s3b + "/ss/kept.css"});
        run_ok(config,
               {"copyto", s3 + "/style.css", "s3:" + s3b + "/ss/changed.css", "--metadata-set",
                "stage=2", "--header-upload", "Content-Type: text/plain"});
        auto got = lsjson_m(config, "s3:" + s3b + "/ss");
        const json& kept = got["kept.css"]["Metadata"];
        CHECK(kept.value("content-type", "") == "text/css; charset=utf-8");
        CHECK(kept.value("cache-control", "") == "max-age=60");
        CHECK(kept.value("owner", "") == "alice");
        const json& changed = got["changed.css"]["Metadata"];
        CHECK(changed.value("content-type", "") == "text/plain");
        CHECK(changed.value("cache-control", "") == "max-age=60");
        CHECK(changed.value("owner", "") == "alice");
        CHECK(changed.value("stage", "") == "2");
        CHECK(got["changed.css"]["ModTime"] == local.at("style.css")["ModTime"]);
      }

      SECTION("sync and rcat take the flags") {
        run_ok(config, {"sync", tmp / "site", "az:" + azb + "/synced", "--header-upload",
                        "Cache-Control: no-cache", "--header-upload", "X-Ms-Meta-Team: web"});
        auto got = lsjson_m(config, "az:" + azb + "/synced");
        REQUIRE(got.size() == kFiles.size());
        for (const auto& [name, type] : kFiles) {
          INFO(name << ": " << got[name].dump());
          CHECK(got[name]["Metadata"].value("content-type", "") == type);
          CHECK(got[name]["Metadata"].value("cache-control", "") == "no-cache");
          CHECK(got[name]["Metadata"].value("team", "") == "web");
        }
        write_file_text(tmp / "in", "{}");
        run_ok(config, {"rcat", "az:" + azb + "/r/x.json"}, tmp / "in");
        run_ok(config,
               {"rcat", "az:" + azb + "/r/y.json", "--header-upload", "Content-Type: text/plain",
                "--metadata-set", "k=v"},
               tmp / "in");
        auto r = lsjson_m(config, "az:" + azb + "/r");
        CHECK(r["x.json"]["Metadata"].value("content-type", "") == "application/json");
        CHECK(r["y.json"]["Metadata"].value("content-type", "") == "text/plain");
        CHECK(r["y.json"]["Metadata"].value("k", "") == "v");
      }
    });
  });
}
