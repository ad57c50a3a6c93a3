// tests/unit/metadata_test.cc — what a copy stores besides its bytes: the mime.types
// reader (on a written table, on Debian's /etc/mime.types, on a missing file), the
// metadata flags (repeatable, positional arguments untouched, bad values named), and
// copy_metadata_into (carry, --no-metadata, overrides, cpsync's own mtime/md5chksum).
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/metadata_flags.h"
#include "core/mime_types.h"
#include "core/time_format.h"
#include "sync/copy_metadata.h"

using namespace cpsync;

namespace {

void parse(CLI::App& app, std::vector<std::string> args) {
  args.insert(args.begin(), "cpsync");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("mime.types: first type of an extension, case-insensitive, comments", "[metadata]") {
  const std::string path =
      (std::filesystem::temp_directory_path() / "cpsync-mime-test.types").string();
  {
    std::ofstream f(path);
    f << "# a comment line\n"
         "text/css\t\t\t\tcss\n"
         "application/json json map # trailing comment\n"
         "application/x-other css\n"
         "noslash foo\n"
         "\n";
  }
  MimeTable t = MimeTable::load(path);
  std::remove(path.c_str());
  CHECK(t.size() == 3);
  CHECK(t.type_for("site/style.css") == "text/css; charset=utf-8");
  CHECK(t.type_for("A.CSS") == "text/css; charset=utf-8");
  CHECK(t.type_for("x.map") == "application/json");
  CHECK(t.type_for("dir.css/file") == "application/octet-stream");
  CHECK(t.type_for("x.foo") == "application/octet-stream");
  CHECK(t.type_for("noext") == "application/octet-stream");
  CHECK(t.type_for("trailing.") == "application/octet-stream");
}

TEST_CASE("mime.types: Debian's table gives the usual types; no file gives octet-stream",
          "[metadata]") {
  REQUIRE(std::filesystem::exists(kSystemMimeTypes));  // package media-types (install-deps)
  CHECK(mime_type_for("a.css") == "text/css; charset=utf-8");
  CHECK(mime_type_for("a.json") == "application/json");
  CHECK(mime_type_for("a.html") == "text/html; charset=utf-8");
  CHECK(mime_type_for("a.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("a.png") == "image/png");
  CHECK(mime_type_for("a.zzqx") == "application/octet-stream");
  MimeTable none = MimeTable::load("/nonexistent/mime.types");
  CHECK(none.size() == 0);
  CHECK(none.type_for("a.css") == "application/octet-stream");
}

TEST_CASE("metadata flags: repeatable, before or after the positionals", "[metadata][flags]") {
  CLI::App app;
  MetadataFlags f;
  std::vector<std::string> pos;
  app.add_option("pos", pos);
  add_metadata_flags(app, f);
  parse(app, {"--header-upload", "Cache-Control: max-age=3600", "src", "--metadata-set",
              "Owner=alice", "dst", "--header-upload", "content-type:text/plain", "--metadata-set",
              "eq=a=b", "--header-upload", "X-Amz-Meta-Team: web"});
  CHECK(pos == std::vector<std::string>{"src", "dst"});
  auto p = metadata_policy(f);
  REQUIRE(p.ok());
  CHECK(p->carry);
  CHECK(p->headers.cache_control == "max-age=3600");
  CHECK(p->headers.type == "text/plain");
  CHECK(p->set == Metadata{{"owner", "alice"}, {"eq", "a=b"}, {"team", "web"}});
  CHECK(p->overrides());
  MetadataFlags none;
  CHECK_FALSE(metadata_policy(none)->overrides());
  none.no_metadata = true;
  CHECK(metadata_policy(none)->overrides());
}

TEST_CASE("metadata flags: bad values name the flag and the value", "[metadata][flags]") {
  for (auto [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"--header-upload", "Cache-Control"},
           {"--header-upload", "Cache-Control:  "},
           {"--header-upload", "X-Frame-Options: deny"},
           {"--header-upload", "Content-Type: caf\xc3\xa9"},
           {"--metadata-set", "novalue"},
           {"--metadata-set", "=v"},
           {"--metadata-set", "md5chksum=x"},
           {"--metadata-set", "MTime=1"},
           {"--metadata-set", "a b=1"},
       }) {
    MetadataFlags f;
    (flag == "--header-upload" ? f.header_upload : f.metadata_set).push_back(value);
    auto p = metadata_policy(f);
    INFO(flag << " " << value);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code == Errc::invalid_argument);
    CHECK(p.status().message.rfind(flag + " '" + value + "'", 0) == 0);
  }
}

TEST_CASE("copy_metadata_into: carry, overrides, --no-metadata, own keys", "[metadata]") {
  ObjectInfo src;
  src.key = "dir/style.css";
  src.metadata_known = true;
  src.metadata = {{"owner", "alice"}, {kMetaMtime, "1700000000.5"}, {kMetaMd5, "stale"}};
  src.content = {"text/x-custom", "gzip", "en", "inline", "max-age=60"};
  src.mtime = *parse_unix_seconds("1700000000.5");
  src.mtime_from_metadata = true;
  src.md5 = "0123456789abcdef0123456789abcdef";

  UploadOptions uo;
  copy_metadata_into(src, MetadataPolicy{}, uo);
  CHECK(uo.content == src.content);
  CHECK(uo.metadata.at("owner") == "alice");
  CHECK(uo.metadata.at(kMetaMtime) == "1700000000.500000000");
  CHECK(uo.metadata.at(kMetaMd5) == "ASNFZ4mrze8BI0VniavN7w==");  // from src.md5, not "stale"
  CHECK(uo.mtime == src.mtime);

  MetadataPolicy p;
  p.set = {{"owner", "bob"}, {"stage", "2"}};
  p.headers.cache_control = "no-cache";
  copy_metadata_into(src, p, uo);
  CHECK(uo.metadata.at("owner") == "bob");
  CHECK(uo.metadata.at("stage") == "2");
  CHECK(uo.content.cache_control == "no-cache");
  CHECK(uo.content.type == "text/x-custom");

  MetadataPolicy bytes_only;
  bytes_only.carry = false;
  copy_metadata_into(src, bytes_only, uo);
  CHECK(uo.content ==
        ContentHeaders{"text/css; charset=utf-8", "", "", "", ""});  // from the extension
  CHECK(uo.metadata.size() == 2);                                    // mtime and md5chksum only
  CHECK(uo.metadata.count(kMetaMtime) == 1);

  ObjectInfo listed;  // an S3 listing entry: nothing known but the name and times
  listed.key = "data.json";
  copy_metadata_into(listed, MetadataPolicy{}, uo);
  CHECK(uo.content.type == "application/json");
  CHECK(uo.metadata.count("owner") == 0);
}
