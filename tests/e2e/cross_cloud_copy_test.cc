// tests/e2e/cross_cloud_copy_test.cc — S3 (RGW) and OSS (the OSS test server) to Azure copied
// server-side: Azure's Put Blob From URL and Put Block From URL, served for foreign sources
// by tests/peers/azurite-front in front of Azurite, fetch the presigned source URLs
// themselves. Through sync, copy, move and copyto: the bytes are identical, no body byte
// passes through cpsync (a counting proxy between cpsync and Azure, and --json's
// client_bytes), later syncs and `check` compare the copies like any other. A source changed
// since its listing, a refused source URL and --no-server-side-copy behave as designed, and
// the copy survives faults between the front and the source. Azure -> Azure across two
// storage accounts goes the same way, from SAS URLs of the source account. Tag [xcopy]: ctest group
// integration_xcopy (ceph, azurite, oss, azurite-front).
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "core/log.h"
#include "sync/transfer.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/peer_remotes.h"

namespace cpsync::testing {
namespace {

using json = nlohmann::json;
constexpr uint64_t kMi = uint64_t{1} << 20;

// The Azure remote behind the front: endpoint at `endpoint` (the front, or a proxy before it).
std::string front_section(const std::string& name, const std::string& endpoint) {
  auto e = peer_env("azurite");
  return "[" + name + "]\ntype = azureblob\naccount = " + e["AZURE_ACCOUNT"] +
         "\nkey = " + e["AZURE_KEY"] + "\nendpoint = " + endpoint + "\ncopy_from_url = true\n\n";
}

std::unique_ptr<Remote> front_remote(const std::string& endpoint) {
  ConfigSection s = peer_section("azure");
  s.name = "az";
  s.values["endpoint"] = endpoint;
  s.values["copy_from_url"] = "true";
  return make_remote_from(s);
}

std::string source_section(const std::string& kind, const std::string& name) {
  if (kind == "azure2") {  // Azurite's second account, straight (not through the front)
    auto e = peer_env("azurite");
    return "[" + name + "]\ntype = azureblob\naccount = " + e["AZURE_ACCOUNT2"] +
           "\nkey = " + e["AZURE_KEY2"] + "\nendpoint = " + e["AZURE_ENDPOINT2"] + "\n\n";
  }
  return kind == "s3" ? s3_section(name) : oss_section(name);
}

struct Obj {
  std::string key;
  std::string data;
};

// The source objects: a small one, one of three blocks, an empty one, and one written in parts
// (its ETag is not an MD5, and no md5chksum is stored: the copy knows no MD5 for it).
std::vector<Obj> seed(Remote& src, const std::string& bucket) {
  std::vector<Obj> objs = {{"dir/small.txt", random_bytes(1000, 1)},
                           {"dir/big.bin", random_bytes(9 * kMi + 123, 2)},
                           {"dir/empty", ""},
                           {"dir/parts.bin", random_bytes(11 * kMi, 3)}};
  for (const auto& o : objs) {
    if (o.key == "dir/parts.bin") {
      UploadOptions uo;
      uo.size = o.data.size();
      uo.part_size = 6 * kMi;
      auto up = src.begin_upload(ObjectRef{bucket, o.key}, uo);
      REQUIRE(up.ok());
      REQUIRE((*up)->write_part(1, 0, o.data.data(), 6 * kMi).ok());
      REQUIRE((*up)->write_part(2, 6 * kMi, o.data.data() + 6 * kMi, 5 * kMi).ok());
      REQUIRE((*up)->commit().ok());
      continue;
    }
    UploadOptions uo;
    uo.size = o.data.size();
    auto put = src.put(ObjectRef{bucket, o.key}, o.data.data(), o.data.size(), uo);
    INFO(put.status().message);
    REQUIRE(put.ok());
  }
  return objs;
}

std::string md5_of(Remote& r, const ObjectRef& ref) {
  Digest md5(Digest::Algo::md5);
  Status st = r.read(ref, ByteRange{}, [&](const char* d, size_t n) {
    md5.update(d, n);
    return Status::OK();
  });
  INFO(ref.key << ": " << st.message);
  REQUIRE(st.ok());
  return hex_lower(md5.digest());
}

// Every non-empty object of objs (keys under "dir/") is at dst under prefix, byte-identical,
// with cpsync's mtime metadata.
void check_copies(Remote& dst, const std::string& bucket, const std::string& prefix,
                  const std::vector<Obj>& objs) {
  for (const auto& o : objs) {
    const std::string key = prefix + o.key.substr(4);
    auto st = dst.stat(ObjectRef{bucket, key});
    INFO(key << ": " << st.status().message);
    REQUIRE(st.ok());
    CHECK(st->size == o.data.size());
    CHECK(st->metadata.count(kMetaMtime) == 1);
    CHECK(md5_of(dst, ObjectRef{bucket, key}) == hex_lower(md5_raw(o.data)));
  }
}

uint64_t total_bytes(const std::vector<Obj>& objs) {
  uint64_t n = 0;
  for (const auto& o : objs) n += o.data.size();
  return n;
}

json run_json(const std::string& config, const std::vector<std::string>& args) {
  auto r = run_cpsync(config, args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("S3 and OSS to Azure copy server-side through sync, copy, move and copyto", "[xcopy]") {
  for (const std::string kind : {"s3", "oss"}) {
    DYNAMIC_SECTION(kind << " -> Azure") {
      PeerBucket src(kind);
      PeerBucket az("azure");  // Azurite itself, for checks
      const auto objs = seed(*src.remote, src.bucket);
      // Counts what cpsync sends to Azure (the front behind it).
      FaultProxy counter(url_origin(peer_env("azurite-front")["AZURE_FRONT_ENDPOINT"]), {});
      TempDir tmp;
      const std::string config = write_config(
          tmp, source_section(kind, "src") + front_section("az", counter.url("/devstoreaccount1")));
      const std::string from = "src:" + src.bucket + "/dir";
      const std::string to = "az:" + az.bucket;
      const std::vector<std::string> sizes = {"--upload-cutoff", "4Mi", "--chunk-size", "4Mi"};
      auto with_sizes = [&](std::vector<std::string> args) {
        args.insert(args.end(), sizes.begin(), sizes.end());
        return args;
      };

      json s = run_json(config, with_sizes({"sync", from, to + "/sync", "--json"}));
      INFO(s.dump());
      CHECK(s["transfers"] == 4);
      CHECK(s["server_side_copies"] == 3);  // the empty object is one empty Put Blob
      CHECK(s["server_side_bytes"] == total_bytes(objs));
      CHECK(s["client_bytes"] == 0);
      CHECK(s["requests"].value("get", 0) == 0);
      CHECK(s["requests"].value("part", 0) == 0);
      CHECK(s["requests"].value("put_from_url", 0) == 1);   // small.txt
      CHECK(s["requests"].value("part_from_url", 0) == 6);  // 3 blocks each of two objects
      // Body bytes cpsync sent to Azure: the two block lists' XML only.
      const json proxy = counter.stats();
      INFO(proxy.dump());
      CHECK(proxy["bytesUp"].get<uint64_t>() < 4096);
      check_copies(*az.remote, az.bucket, "sync/", objs);
      // The single-request copy's MD5 was the source's, checked by the service and stored.
      auto small = az.remote->stat(ObjectRef{az.bucket, "sync/small.txt"});
      REQUIRE(small.ok());
      CHECK(small->md5 == hex_lower(md5_raw(objs[0].data)));

      // Later runs compare the copies like any other: nothing to do, and check agrees.
      s = run_json(config, with_sizes({"sync", from, to + "/sync", "--json"}));
      CHECK(s["transfers"] == 0);
      auto chk = run_cpsync(config, {"check", from, to + "/sync"});
      INFO(chk.err);
      CHECK(chk.code == 0);
      chk = run_cpsync(config, {"check", "--download", from, to + "/sync"});
      INFO(chk.err);
      CHECK(chk.code == 0);

      s = run_json(config, with_sizes({"copy", from, to + "/copy", "--json"}));
      CHECK(s["server_side_copies"] == 3);
      CHECK(s["client_bytes"] == 0);
      check_copies(*az.remote, az.bucket, "copy/", objs);

      auto one =
          run_cpsync(config, with_sizes({"copyto", from + "/big.bin", to + "/one.bin", "-vv"}));
      INFO(one.err);
      CHECK(one.code == 0);
      CHECK(one.err.find("(server-side)") != std::string::npos);
      // The presigned source URLs are secrets: not even -vv shows them.
      for (const char* secret : {"Signature", "X-Amz-", "OSSAccessKeyId", "x-oss-"})
        CHECK(one.err.find(secret) == std::string::npos);
      CHECK(md5_of(*az.remote, ObjectRef{az.bucket, "one.bin"}) ==
            hex_lower(md5_raw(objs[1].data)));

      s = run_json(config, with_sizes({"move", from, to + "/moved", "--json"}));
      CHECK(s["server_side_copies"] == 3);
      CHECK(s["source_deletes"] == 4);
      check_copies(*az.remote, az.bucket, "moved/", objs);
      for (const auto& o : objs)
        CHECK(src.remote->stat(ObjectRef{src.bucket, o.key}).status().code == Errc::not_found);
    }
  }
}

TEST_CASE("Azure to Azure across storage accounts copies server-side from SAS URLs", "[xcopy]") {
  PeerBucket src("azure2");
  PeerBucket az("azure");
  const auto objs = seed(*src.remote, src.bucket);
  FaultProxy counter(url_origin(peer_env("azurite-front")["AZURE_FRONT_ENDPOINT"]), {});
  TempDir tmp;
  const std::string config = write_config(
      tmp, source_section("azure2", "src") + front_section("az", counter.url("/devstoreaccount1")));
  const std::string from = "src:" + src.bucket + "/dir";
  const std::string to = "az:" + az.bucket;

  auto r = run_cpsync(
      config, {"sync", from, to, "--json", "-vv", "--upload-cutoff", "4Mi", "--chunk-size", "4Mi"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const json s = json::parse(r.out);
  CHECK(s["server_side_copies"] == 3);  // the empty object is one empty Put Blob
  CHECK(s["server_side_bytes"] == total_bytes(objs));
  CHECK(s["client_bytes"] == 0);
  CHECK(s["requests"].value("get", 0) == 0);
  CHECK(s["requests"].value("put_from_url", 0) == 1);   // small.txt
  CHECK(s["requests"].value("part_from_url", 0) == 6);  // 3 blocks each of two objects
  CHECK(counter.stats()["bytesUp"].get<uint64_t>() < 4096);
  // The source URLs carry a SAS signed with the source account's key: never shown.
  CHECK(r.err.find("sig=") == std::string::npos);
  CHECK(r.err.find(peer_env("azurite")["AZURE_KEY2"]) == std::string::npos);
  check_copies(*az.remote, az.bucket, "", objs);

  // A later sync finds nothing to do, and check compares the copies by their MD5.
  const json again = run_json(config, {"sync", from, to, "--json"});
  CHECK(again["transfers"] == 0);
  auto chk = run_cpsync(config, {"check", from, to});
  INFO(chk.err);
  CHECK(chk.code == 0);

  // Without --chunk-size, blocks fetched by Azure are at least 16 MiB (they cost no client
  // memory; each costs a request): the 9 and 11 MiB objects go in one block each.
  const json wide =
      run_json(config, {"copy", from, to + "/wide", "--json", "--upload-cutoff", "4Mi"});
  CHECK(wide["server_side_copies"] == 3);
  CHECK(wide["requests"].value("part_from_url", 0) == 2);
  check_copies(*az.remote, az.bucket, "wide/", objs);
}

TEST_CASE("a cross-cloud copy falls back to streaming where it must, and only there", "[xcopy]") {
  PeerBucket src("s3");
  PeerBucket az("azure");
  const auto objs = seed(*src.remote, src.bucket);
  TempDir tmp;
  const std::string front = peer_env("azurite-front")["AZURE_FRONT_ENDPOINT"];
  const std::string config = write_config(tmp, s3_section("src") + front_section("az", front));

  SECTION("--no-server-side-copy streams each object, saying so once per object") {
    auto r = run_cpsync(config, {"copy", "src:" + src.bucket + "/dir", "az:" + az.bucket,
                                 "--no-server-side-copy", "--json", "-v"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json s = json::parse(r.out);
    CHECK(s["server_side_copies"] == 0);
    CHECK(s["client_bytes"] == total_bytes(objs));
    size_t lines = 0;
    for (size_t p = 0; (p = r.err.find("--no-server-side-copy", p)) != std::string::npos; ++p)
      ++lines;
    CHECK(lines == 3);  // the empty object is not a server-side candidate
    check_copies(*az.remote, az.bucket, "", objs);
  }

  SECTION("a source URL the service is refused (wrong signature, expired) falls back") {
    // The source hands out URLs whose signature is wrong, or that have expired.
    struct BadLinks : ForwardingRemote {
      using ForwardingRemote::ForwardingRemote;
      bool expired = false;
      Result<std::string> link(const ObjectRef& r, std::chrono::seconds e) override {
        if (expired) return inner().link(r, std::chrono::seconds(1));
        auto url = inner().link(r, e);
        if (!url.ok()) return url;
        std::string u = *url;
        const size_t sig = u.find("X-Amz-Signature=");
        REQUIRE(sig != std::string::npos);
        char& c = u[sig + 16];
        c = c == '0' ? '1' : '0';
        return u;
      }
    };
    for (bool expired : {false, true}) {
      BadLinks bad(*src.remote);
      bad.expired = expired;
      auto dst = front_remote(front);
      const ObjectRef from{src.bucket, "dir/small.txt"};
      auto info = src.remote->stat(from);
      REQUIRE(info.ok());
      // The service refuses to fetch it: copy_from_url says not_supported.
      UrlCopySource us;
      us.make_url = [&]() -> Result<std::string> {
        auto u = bad.link(from, std::chrono::seconds(900));
        if (expired) std::this_thread::sleep_for(std::chrono::milliseconds(2100));
        return u;
      };
      us.size = info->size;
      us.etag = info->etag;
      us.single_max = 4 * kMi;
      auto direct = dst->copy_from_url(us, ObjectRef{az.bucket, "refused"}, UploadOptions{});
      INFO(direct.status().message);
      CHECK(direct.status().code == Errc::not_supported);
      CHECK(direct.status().provider_code == "CannotVerifyCopySource");
      CHECK(direct.status().http_status == 403);
      CHECK(direct.status().message.find("X-Amz") == std::string::npos);
      CHECK(az.remote->stat(ObjectRef{az.bucket, "refused"}).status().code == Errc::not_found);
      if (expired) continue;
      // transfer_object then streams it, and the copy is right.
      BufferPool pool(16 * kMi, 4 * kMi);
      TransferOptions o;
      o.pool = &pool;
      o.chunk_size = 4 * kMi;
      auto done = transfer_object(bad, from, *info, *dst, ObjectRef{az.bucket, "fallback.txt"}, o);
      INFO(done.status().message);
      REQUIRE(done.ok());
      CHECK_FALSE(done->server_side);
      CHECK(md5_of(*az.remote, ObjectRef{az.bucket, "fallback.txt"}) ==
            hex_lower(md5_raw(objs[0].data)));
    }
  }

  SECTION("a source changed since its listing fails cleanly, and the next run copies it") {
    const ObjectRef from{src.bucket, "dir/big.bin"};
    auto listed = src.remote->stat(from);
    REQUIRE(listed.ok());
    const std::string now = random_bytes(9 * kMi + 123, 99);
    UploadOptions uo;
    REQUIRE(src.remote->put(from, now.data(), now.size(), uo).ok());
    auto dst = front_remote(front);
    for (uint64_t cutoff : {16 * kMi, 4 * kMi}) {  // one Put Blob From URL; blocks
      BufferPool pool(16 * kMi, 4 * kMi);
      TransferOptions o;
      o.pool = &pool;
      o.chunk_size = 4 * kMi;
      o.upload_cutoff = cutoff;
      auto r =
          transfer_object(*src.remote, from, *listed, *dst, ObjectRef{az.bucket, "changed"}, o);
      INFO(r.status().message);
      CHECK(r.status().code == Errc::conflict);
      CHECK(r.status().message.find("changed since it was listed") != std::string::npos);
      CHECK(az.remote->stat(ObjectRef{az.bucket, "changed"}).status().code == Errc::not_found);
    }
    auto r = run_cpsync(
        config, {"copyto", "src:" + src.bucket + "/dir/big.bin", "az:" + az.bucket + "/changed"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(md5_of(*az.remote, ObjectRef{az.bucket, "changed"}) == hex_lower(md5_raw(now)));
  }
}

TEST_CASE("a cross-cloud sync survives faults between Azure and the source", "[xcopy]") {
  PeerBucket src("s3");
  PeerBucket az("azure");
  const auto objs = seed(*src.remote, src.bucket);
  // The source's endpoint for cpsync is the fault proxy, so the presigned URLs the front
  // fetches name it: throttling and resets hit the service's fetches.
  FaultProxy faults(
      peer_env("ceph")["S3_ENDPOINT"],
      {"--seed", "11", "--provider", "s3", "--throttle-rate", "0.25", "--reset-rate", "0.15"});
  TempDir tmp;
  auto e = peer_env("ceph");
  const std::string s3 =
      "[src]\ntype = s3\nprovider = Ceph\naccess_key_id = " + e["S3_ACCESS_KEY_ID"] +
      "\nsecret_access_key = " + e["S3_SECRET_ACCESS_KEY"] + "\nendpoint = " + faults.url() +
      "\nforce_path_style = true\nregion = " + e["S3_REGION"] + "\n\n";
  const std::string config = write_config(
      tmp, s3 + front_section("az", peer_env("azurite-front")["AZURE_FRONT_ENDPOINT"]));
  auto r = run_cpsync(
      config, {"sync", "src:" + src.bucket + "/dir", "az:" + az.bucket, "--json", "--upload-cutoff",
               "4Mi", "--chunk-size", "4Mi", "--retries", "5", "--low-level-retries", "10"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const json st = faults.stats();
  INFO(st.dump());
  CHECK(st["injected"]["throttle"].get<int>() + st["injected"]["resetResponse"].get<int>() > 0);
  check_copies(*az.remote, az.bucket, "", objs);
}

}  // namespace cpsync::testing
